import { SectionRevision } from '../../src/portfolio/models';
import { getRevision, listRevisions } from '../../src/portfolio/revisions';
import { restoreRevision, saveBody } from '../../src/portfolio/section.service';
import { Section, type SectionDoc } from '../../src/portfolio/models';
import { aPortfolio, connectFreshDatabase, disconnect } from '../support/factories';

beforeAll(() => connectFreshDatabase('revisions'));
afterAll(disconnect);

const sectionOf = async (id: string) => (await Section.findById(id).lean()) as unknown as SectionDoc;
const revisionsOf = async (id: string) => listRevisions(await sectionOf(id));

async function save(t: ReturnType<Awaited<ReturnType<typeof aPortfolio>>['target']>, base: number, body: string) {
  const r = await saveBody(t, { baseVersion: base, body });
  if (!r.ok) throw new Error(`unexpected conflict at ${base}`);
  return r.section;
}

describe('revision history', () => {
  test('saves by one person within five minutes coalesce into one revision holding the latest text', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>a</p>');
    await save(t, 1, '<p>ab</p>');
    await save(t, 2, '<p>abc</p>');
    const revs = await revisionsOf(t.sectionId);
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ version: 3, open: true });
    expect((await getRevision(await sectionOf(t.sectionId), revs[0].id))?.snapshot.body).toBe('<p>abc</p>');
  });

  test('a coalescing autosave writes only the section; the revision it joined gets its final text when it closes', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>a</p>');
    const [rev] = await revisionsOf(t.sectionId);
    const storedAt = async () => (await SectionRevision.findById(rev.id).lean()) as unknown as { version: number; snapshot: { body: string } };
    await save(t, 1, '<p>ab</p>');
    await save(t, 2, '<p>abc</p>');
    expect((await storedAt()).snapshot.body).toBe('<p>a</p>'); // not rewritten on every autosave
    await save({ ...t, byUser: 'someone-else' }, 3, '<p>abcd</p>'); // another person: the first revision closes
    expect(await storedAt()).toMatchObject({ version: 3, snapshot: { body: '<p>abc</p>' } });
    const [newest, first] = await revisionsOf(t.sectionId);
    expect(newest).toMatchObject({ version: 4, open: true });
    expect(first).toMatchObject({ id: rev.id, version: 3, open: false });
    expect((await getRevision(await sectionOf(t.sectionId), first.id))?.snapshot.body).toBe('<p>abc</p>');
    expect((await getRevision(await sectionOf(t.sectionId), newest.id))?.snapshot.body).toBe('<p>abcd</p>');
  });

  test('an open revision whose document was lost (a crash just after its save) is written when it closes', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>kept in the section</p>');
    const [rev] = await revisionsOf(t.sectionId);
    await SectionRevision.deleteOne({ _id: rev.id });
    await save({ ...t, byUser: 'someone-else' }, 1, '<p>next</p>');
    const restoredDoc = (await SectionRevision.findById(rev.id).lean()) as unknown as { version: number; byUser: string; snapshot: { body: string } };
    expect(restoredDoc).toMatchObject({ version: 1, byUser: t.byUser, snapshot: { body: '<p>kept in the section</p>' } });
    expect((await revisionsOf(t.sectionId)).map((r) => r.version)).toEqual([2, 1]);
  });

  test('a state change does not make the open revision claim a version it never had', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>ready soon</p>');
    await Section.updateOne({ _id: t.sectionId }, { $set: { state: 'ready_for_review' }, $inc: { version: 1 } }); // as a review request does
    const [rev] = await revisionsOf(t.sectionId);
    expect(rev).toMatchObject({ version: 1, open: true });
  });

  test('another person, or the same person after five minutes, starts a new revision', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>one</p>');
    await save({ ...t, byUser: 'someone-else' }, 1, '<p>two</p>');
    expect(await revisionsOf(t.sectionId)).toHaveLength(2);
    // as if the five minutes had passed since someone-else's revision opened
    await Section.updateOne({ _id: t.sectionId }, { $set: { 'openRevision.startedAt': new Date(Date.now() - 3600_000) } });
    await save({ ...t, byUser: 'someone-else' }, 2, '<p>three</p>');
    expect((await revisionsOf(t.sectionId)).map((r) => r.version)).toEqual([3, 2, 1]);
  });

  test('restoring an old revision adds a new revision and keeps the history', async () => {
    const p = await aPortfolio();
    const t = p.target('future-plans');
    await save(t, 0, '<p>first plan</p>');
    await save({ ...t, byUser: 'other-device-user' }, 1, '<p>second plan</p>');
    const [newest, oldest] = await revisionsOf(t.sectionId);
    expect(newest.version).toBe(2);
    const r = await restoreRevision(t, { baseVersion: 2, revisionId: oldest.id });
    expect(r.ok && r.section.body).toBe('<p>first plan</p>');
    expect(r.ok && r.section.version).toBe(3);
    const revs = await revisionsOf(t.sectionId);
    expect(revs.map((x) => x.version)).toEqual([3, 2, 1]);
    expect(revs[0].restoredFrom).toBe(1);
    // The next ordinary save after a restore starts its own revision.
    await save(t, 3, '<p>after restore</p>');
    expect(await revisionsOf(t.sectionId)).toHaveLength(4);
  });

  test('restoring from a stale version is a conflict and changes nothing', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>x</p>');
    const [rev] = await revisionsOf(t.sectionId);
    const r = await restoreRevision(t, { baseVersion: 0, revisionId: rev.id });
    expect(r.ok).toBe(false);
    expect((await Section.findById(t.sectionId).lean())!.version).toBe(1);
  });

  test('a revision of another section cannot be restored here', async () => {
    const p = await aPortfolio();
    await save(p.target('1a'), 0, '<p>1a text</p>');
    const [rev] = await revisionsOf(p.target('1a').sectionId);
    await expect(restoreRevision(p.target('contextual'), { baseVersion: 0, revisionId: rev.id })).rejects.toMatchObject({ status: 404 });
  });
});
