import { Types } from 'mongoose';
import { sectionText, wordChanges } from '../../src/mentoring/changes';
import { composeEmail } from '../../src/notifications/email.job';
import { nextDigestAt } from '../../src/notifications/service';

describe('what changed, word by word', () => {
  test('marks added and removed words and keeps the rest', () => {
    expect(wordChanges('I support a college.', 'I support Northfield College.')).toEqual([
      { kind: 'same', text: 'I support ' },
      { kind: 'removed', text: 'a college' },
      { kind: 'added', text: 'Northfield College' },
      { kind: 'same', text: '.' },
    ]);
  });

  test('a section’s text includes the body and every example’s description and reflection, without markup', () => {
    const example = { _id: new Types.ObjectId(), title: 'Quiz tool', tags: { role: '', project: '', year: '' }, description: '<p>I compared <strong>three</strong> tools.</p>', reflection: '<p>Next time &amp; sooner.</p>', evidenceIds: [] };
    expect(sectionText({ body: '<p>Intro</p>', examples: [example] })).toBe('Intro\n\nExample 1: Quiz tool\n\nDescription: I compared three tools.\n\nReflection: Next time & sooner.');
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
