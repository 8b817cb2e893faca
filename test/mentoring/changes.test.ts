import { Types } from 'mongoose';
import { changesBetween, paragraphsOf, snapshotFromText, wordChanges, type SectionSnapshot } from '../../src/mentoring/change-view';
import { composeEmail } from '../../src/notifications/email.job';
import { nextDigestAt } from '../../src/notifications/service';

const para = (text: string, place = 'The section’s text') => ({ place, text });
const evidence = (id: string, title: string, exampleId = 'e1') => ({ id, title, exampleId, place: 'Example 1: Quiz tool' });

describe('what changed, paragraph by paragraph', () => {
  test('marks added and removed words and keeps the rest', () => {
    expect(wordChanges('I support a college.', 'I support Northfield College.')).toEqual([
      { kind: 'same', text: 'I support ' },
      { kind: 'removed', text: 'a college' },
      { kind: 'added', text: 'Northfield College' },
      { kind: 'same', text: '.' },
    ]);
  });

  test('a section’s paragraphs are the body’s, then each example’s heading, description and reflection, without markup', () => {
    const example = { _id: new Types.ObjectId(), title: 'Quiz tool', tags: { role: '', project: '', year: '' }, description: '<p>I compared <strong>three</strong> tools.</p><p>Then I chose one.</p>', reflection: '<p>Next time &amp; sooner.</p>', evidenceIds: [] };
    expect(paragraphsOf({ body: '<p>Intro</p>', examples: [example] })).toEqual([
      para('Intro'),
      para('Example 1: Quiz tool', 'Example 1: Quiz tool'),
      para('I compared three tools.', 'Example 1: Quiz tool – description'),
      para('Then I chose one.', 'Example 1: Quiz tool – description'),
      para('Next time & sooner.', 'Example 1: Quiz tool – reflection'),
    ]);
  });

  test('one paragraph changed among many: only it is shown, with one unchanged paragraph either side, and what was skipped is counted', () => {
    const before = Array.from({ length: 10 }, (_, i) => para(`Paragraph ${i + 1} says something.`));
    const after = before.map((p, i) => (i === 5 ? para('Paragraph 6 says something new.') : p));
    const c = changesBetween({ paragraphs: before, evidence: [] }, { paragraphs: after, evidence: [] });
    expect(c.changedParagraphs).toBe(1);
    expect(c.hunks).toHaveLength(1);
    expect(c.hunks[0].skipped).toBe(4);
    expect(c.skippedAfter).toBe(3);
    expect(c.hunks[0].paragraphs.map((p) => p.kind)).toEqual(['context', 'changed', 'context']);
    expect(c.hunks[0].paragraphs[0].parts).toEqual([{ kind: 'same', text: 'Paragraph 5 says something.' }]);
    expect(c.hunks[0].paragraphs[1].parts.filter((x) => x.kind !== 'same').map((x) => [x.kind, x.text.trim()])).toEqual([['added', 'new']]);
  });

  test('two changes far apart make two runs; a new paragraph and a removed one are shown whole', () => {
    const before = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((t) => para(`${t}.`));
    const after = [para('New first.'), ...before.slice(0, 6)]; // G removed, a paragraph added at the top
    const c = changesBetween({ paragraphs: before, evidence: [] }, { paragraphs: after, evidence: [] });
    expect(c.hunks.map((h) => h.paragraphs.map((p) => `${p.kind}:${p.parts.map((x) => x.text).join('')}`))).toEqual([
      ['added:New first.', 'context:A.'],
      ['context:F.', 'removed:G.'],
    ]);
    expect(c.hunks[1].skipped).toBe(4);
    expect(c.skippedAfter).toBe(0);
  });

  test('evidence linked and unlinked since is listed; the same item moved to another example is both', () => {
    const then: SectionSnapshot = { paragraphs: [para('Same.')], evidence: [evidence('a', 'Survey'), evidence('b', 'Old report')] };
    const now: SectionSnapshot = { paragraphs: [para('Same.')], evidence: [evidence('a', 'Survey'), evidence('c', 'Screenshot'), evidence('b', 'Old report', 'e2')] };
    const c = changesBetween(then, now);
    expect(c.hunks).toEqual([]);
    expect(c.changedParagraphs).toBe(0);
    expect(c.evidenceAdded.map((e) => e.title)).toEqual(['Screenshot', 'Old report']);
    expect(c.evidenceRemoved.map((e) => `${e.title}@${e.exampleId}`)).toEqual(['Old report@e1']);
  });

  test('a visit kept as one block of text (before paragraphs were kept) still compares, with evidence unknown rather than all new', () => {
    const old = snapshotFromText('Intro\n\nExample 1: Quiz tool\n\nDescription: I compared three tools.');
    const now: SectionSnapshot = { paragraphs: [para('Intro'), para('Example 1: Quiz tool', 'Example 1: Quiz tool'), para('I compared four tools.', 'Example 1: Quiz tool – description')], evidence: [evidence('a', 'Survey')] };
    const c = changesBetween(old, now);
    expect(c.changedParagraphs).toBe(1);
    expect(c.evidenceKnown).toBe(false);
    expect(c.evidenceAdded).toEqual([]);
  });
});

describe('email wording and timing', () => {
  test('an email links back through the VLE course, or says where to go when the VLE gave no link', () => {
    const withLink = composeEmail({ name: 'Cat', courseTitle: 'CMALT 2026', returnUrl: 'https://vle.example/course/7', items: [{ text: 'Mo commented on Future plans.' }], digest: false });
    expect(withLink.subject).toBe('CMALT Portfolio: Mo commented on Future plans.');
    expect(withLink.text).toContain('Open CMALT Portfolio from your course "CMALT 2026" in the VLE:\nhttps://vle.example/course/7');
    const without = composeEmail({ name: 'Cat', courseTitle: 'CMALT 2026', items: [{ text: 'a' }, { text: 'b' }], digest: true });
    expect(without.subject).toBe('CMALT Portfolio: 2 things need your attention');
    expect(without.text).toContain('Open CMALT Portfolio from your course "CMALT 2026" in the VLE.');
  });

  test('the digest goes out at 07:00 UTC, the next morning once that time has passed', () => {
    expect(nextDigestAt(new Date('2026-03-01T06:59:00Z')).toISOString()).toBe('2026-03-01T07:00:00.000Z');
    expect(nextDigestAt(new Date('2026-03-01T07:00:00Z')).toISOString()).toBe('2026-03-02T07:00:00.000Z');
  });
});
