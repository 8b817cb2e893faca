import { SectionRevision } from '../../src/portfolio/models';
import { COALESCE_MS, listRevisions, recordRevision } from '../../src/portfolio/revisions';
import { restoreRevision, saveBody } from '../../src/portfolio/section-service';
import { Section, SectionDoc } from '../../src/portfolio/models';
import { aPortfolio, connectFreshDatabase, disconnect } from './factories';

beforeAll(() => connectFreshDatabase('revisions'));
afterAll(disconnect);

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
    const revs = await listRevisions(t.sectionId);
    expect(revs).toHaveLength(1);
    expect(revs[0].version).toBe(3);
    const stored = await SectionRevision.findById(revs[0].id).lean();
    expect(stored?.snapshot?.body).toBe('<p>abc</p>');
  });

  test('another person, or the same person after five minutes, starts a new revision', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>one</p>');
    await save({ ...t, byUser: 'someone-else' }, 1, '<p>two</p>');
    expect(await listRevisions(t.sectionId)).toHaveLength(2);
    const section = (await Section.findById(t.sectionId).lean())!;
    await Section.updateOne({ _id: section._id }, { $set: { body: '<p>three</p>', version: 3 } });
    const later = new Date(Date.now() + COALESCE_MS + 1000);
    await recordRevision({ ...(section as unknown as SectionDoc), body: '<p>three</p>', version: 3 }, 'someone-else', { now: later });
    expect((await listRevisions(t.sectionId)).map((r) => r.version)).toEqual([3, 2, 1]);
  });

  test('restoring an old revision adds a new revision and keeps the history', async () => {
    const p = await aPortfolio();
    const t = p.target('future-plans');
    await save(t, 0, '<p>first plan</p>');
    await save({ ...t, byUser: 'other-device-user' }, 1, '<p>second plan</p>');
    const [newest, oldest] = await listRevisions(t.sectionId);
    expect(newest.version).toBe(2);
    const r = await restoreRevision(t, { baseVersion: 2, revisionId: oldest.id });
    expect(r.ok && r.section.body).toBe('<p>first plan</p>');
    expect(r.ok && r.section.version).toBe(3);
    const revs = await listRevisions(t.sectionId);
    expect(revs.map((x) => x.version)).toEqual([3, 2, 1]);
    expect(revs[0].restoredFrom).toBe(1);
    // The next ordinary save after a restore starts its own revision.
    await save(t, 3, '<p>after restore</p>');
    expect(await listRevisions(t.sectionId)).toHaveLength(4);
  });

  test('restoring from a stale version is a conflict and changes nothing', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    await save(t, 0, '<p>x</p>');
    const [rev] = await listRevisions(t.sectionId);
    const r = await restoreRevision(t, { baseVersion: 0, revisionId: rev.id });
    expect(r.ok).toBe(false);
    expect((await Section.findById(t.sectionId).lean())!.version).toBe(1);
  });

  test('a revision of another section cannot be restored here', async () => {
    const p = await aPortfolio();
    await save(p.target('1a'), 0, '<p>1a text</p>');
    const [rev] = await listRevisions(p.target('1a').sectionId);
    await expect(restoreRevision(p.target('contextual'), { baseVersion: 0, revisionId: rev.id })).rejects.toMatchObject({ status: 404 });
  });
});
