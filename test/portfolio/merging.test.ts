import { Types } from 'mongoose';
import { onApprovedSectionEdited, type ApprovedSectionEdit } from '../../src/portfolio/approval-edits';
import { mergeRichText } from '../../src/portfolio/merge';
import { Portfolio, Section } from '../../src/portfolio/models';
import { getRevision, listRevisions } from '../../src/portfolio/revisions';
import { addExample, saveBody, updateExample, type SectionTarget } from '../../src/portfolio/section.service';
import { applyTransition } from '../../src/portfolio/section-states';
import { aPortfolio, anExample, connectFreshDatabase, disconnect } from '../support/factories';

beforeAll(() => connectFreshDatabase('merging'));
afterAll(disconnect);

const fieldsOf = (e: ReturnType<typeof anExample>) => ({ title: e.title, role: e.tags.role, project: e.tags.project, year: e.tags.year, description: e.description, reflection: e.reflection });

/** A section of examples with two examples, and two tabs (writers) of the same candidate. */
async function twoExamples() {
  const p = await aPortfolio();
  const t = p.target('1a');
  const first = await addExample(t, { baseVersion: 0, example: anExample({ title: 'First' }), format: 'html' });
  const second = await addExample(t, { baseVersion: 0, example: anExample({ title: 'Second' }), format: 'html' });
  if (!first.ok || !second.ok) throw new Error('setup failed');
  const [a, b] = second.section.examples.map((e) => String(e._id));
  const tab = (writer: string): SectionTarget => ({ ...t, writer });
  return { p, t, a, b, tabA: tab('tab-a'), tabB: tab('tab-b'), version: second.section.version };
}

describe('three-way merge of one text', () => {
  test('changes to different paragraphs combine; both changes to one paragraph keep both, labelled', () => {
    const base = '<p>One.</p><p>Two.</p><p>Three.</p>';
    expect(mergeRichText(base, '<p>One, changed there.</p><p>Two.</p><p>Three.</p>', '<p>One.</p><p>Two.</p><p>Three, changed here.</p>')).toEqual({
      clean: true,
      text: '<p>One, changed there.</p><p>Two.</p><p>Three, changed here.</p>',
    });
    const clash = mergeRichText(base, '<p>Two by them.</p>', '<p>Two by me.</p>');
    expect(clash.clean).toBe(false);
    expect(clash.text).toContain('Two by them.');
    expect(clash.text).toContain('Two by me.');
  });
});

describe('versions per example', () => {
  test('two tabs editing two different examples from the same page both save, with no conflict', async () => {
    const { a, b, tabA, tabB, version } = await twoExamples();
    const ra = await updateExample(tabA, { baseVersion: version, partVersion: 1, exampleId: a, example: anExample({ title: 'First, edited in tab A' }), format: 'html' });
    const rb = await updateExample(tabB, { baseVersion: version, partVersion: 1, exampleId: b, example: anExample({ title: 'Second, edited in tab B' }), format: 'html' });
    expect(ra.ok && rb.ok).toBe(true);
    const stored = (await Section.findById(tabA.sectionId).lean())!;
    expect(stored.examples.map((e) => [e.title, e.version])).toEqual([['First, edited in tab A', 2], ['Second, edited in tab B', 2]]);
  });

  test('two tabs editing one example merge three ways, and the text the merge overwrote stays restorable', async () => {
    const { a, tabA, tabB, version } = await twoExamples();
    const base = anExample({ title: 'First', description: '<p>Para one.</p><p>Para two.</p>' });
    await updateExample(tabA, { baseVersion: version, partVersion: 1, exampleId: a, example: base, format: 'html' });
    const mineA = anExample({ title: 'First', description: '<p>Para one, from A.</p><p>Para two.</p>' });
    const ra = await updateExample(tabA, { baseVersion: version + 1, partVersion: 2, exampleId: a, example: mineA, base: fieldsOf(base), format: 'html' });
    expect(ra.ok).toBe(true);
    const mineB = anExample({ title: 'First', description: '<p>Para one.</p><p>Para two, from B.</p>' });
    const rb = await updateExample(tabB, { baseVersion: version + 1, partVersion: 2, exampleId: a, example: mineB, base: fieldsOf(base), format: 'html' });
    if (!rb.ok) throw new Error('expected a clean merge');
    expect(rb.merged?.description).toBe('<p>Para one, from A.</p><p>Para two, from B.</p>');
    const stored = (await Section.findById(tabA.sectionId).lean())!;
    expect(stored.examples[0].description).toBe('<p>Para one, from A.</p><p>Para two, from B.</p>');
    // Tab A's own text (before the merge) is a revision of its own.
    const revisions = await listRevisions(stored as never);
    const texts = await Promise.all(revisions.map(async (r) => (await getRevision(stored as never, r.id))!.snapshot.examples[0]?.description));
    expect(texts).toContain('<p>Para one, from A.</p><p>Para two.</p>');
  });

  test('a clash in the same paragraph is refused with the combined text and the differing words, and nothing is written', async () => {
    const { a, tabA, tabB, version } = await twoExamples();
    const base = anExample({ title: 'First' });
    await updateExample(tabA, { baseVersion: version, partVersion: 1, exampleId: a, example: anExample({ title: 'First', reflection: '<p>A thinks this.</p>' }), format: 'html' });
    const before = (await Section.findById(tabA.sectionId).lean())!;
    const rb = await updateExample(tabB, { baseVersion: version, partVersion: 1, exampleId: a, example: anExample({ title: 'First', reflection: '<p>B thinks that.</p>' }), base: fieldsOf(base), format: 'html' });
    if (rb.ok) throw new Error('expected a conflict');
    expect(rb.conflict.merge?.combined.reflection).toContain('A thinks this.');
    expect(rb.conflict.merge?.combined.reflection).toContain('B thinks that.');
    expect(rb.conflict.merge?.differences.reflection.some((d) => d.kind === 'theirs' && d.text.includes('this'))).toBe(true);
    expect((await Section.findById(tabA.sectionId).lean())!.version).toBe(before.version);
  });

  test('the "Add an example" form saves a draft under the id the page chose; saving it again is harmless', async () => {
    const { tabA, version } = await twoExamples();
    const id = new Types.ObjectId().toHexString();
    const draft = anExample({ title: 'Draft from the first keystroke' });
    for (let i = 0; i < 2; i++) {
      const r = await updateExample(tabA, { baseVersion: version, partVersion: i, exampleId: id, example: draft, format: 'html' });
      expect(r.ok).toBe(true);
    }
    const stored = (await Section.findById(tabA.sectionId).lean())!;
    expect(stored.examples.filter((e) => String(e._id) === id)).toHaveLength(1);
  });

  test('a body save based on an older body version merges with base, and without base it is a conflict', async () => {
    const p = await aPortfolio();
    const t = { ...p.target('contextual'), writer: 'tab-a' };
    await saveBody(t, { baseVersion: 0, partVersion: 0, body: '<p>Start.</p><p>End.</p>' });
    await saveBody(t, { baseVersion: 1, partVersion: 1, body: '<p>Start, A.</p><p>End.</p>' });
    const other = { ...t, writer: 'tab-b' };
    expect((await saveBody(other, { baseVersion: 1, partVersion: 1, body: '<p>Start.</p><p>End, B.</p>' })).ok).toBe(false);
    const r = await saveBody(other, { baseVersion: 1, partVersion: 1, body: '<p>Start.</p><p>End, B.</p>', base: { body: '<p>Start.</p><p>End.</p>' } });
    if (!r.ok) throw new Error('expected a merge');
    expect(r.section.body).toBe('<p>Start, A.</p><p>End, B.</p>');
  });
});

describe('review follows edits', () => {
  test('editing an approved section of a signed-off portfolio marks both once and tells the listeners; a decision clears the marks', async () => {
    const seen: ApprovedSectionEdit[] = [];
    const stop = onApprovedSectionEdited((e) => void seen.push(e));
    const { p, t, a, version } = await twoExamples();
    await applyTransition({ sectionId: t.sectionId, to: 'ready_for_review', by: 'candidate', expectedVersion: version, byUser: 'c' });
    const approved = await applyTransition({ sectionId: t.sectionId, to: 'meets_criterion', by: 'mentor', expectedVersion: version + 1, byUser: 'm' });
    if (!approved.ok) throw new Error('approval failed');
    await Portfolio.updateOne({ _id: p.portfolio._id }, { $set: { submittedAt: new Date(), signedOffAt: new Date() } });
    for (const [i, title] of ['Edited after approval', 'Edited again'].entries()) {
      const r = await updateExample(t, { baseVersion: 0, partVersion: 1 + i, exampleId: a, example: anExample({ title }), format: 'html' });
      expect(r.ok).toBe(true);
    }
    const marked = (await Section.findById(t.sectionId).lean())!;
    expect(marked.state).toBe('meets_criterion'); // the approval and its score stand until a mentor decides
    expect(marked.approvedChangedAt).toBeInstanceOf(Date);
    expect((await Portfolio.findById(p.portfolio._id).lean())!.changedAfterSignOffAt).toBeInstanceOf(Date);
    await new Promise((r) => setImmediate(r));
    expect(seen.map((e) => [String(e.section._id), e.afterSignOff])).toEqual([[t.sectionId, true]]);
    const confirmed = await applyTransition({ sectionId: t.sectionId, to: 'meets_criterion', by: 'mentor', expectedVersion: marked.version, byUser: 'm' });
    expect(confirmed.ok).toBe(true);
    expect((await Section.findById(t.sectionId).lean())!.approvedChangedAt).toBeNull();
    expect((await Portfolio.findById(p.portfolio._id).lean())!.changedAfterSignOffAt).toBeNull();
    stop();
  });
});
