import { fieldErrors, isWebAddress, linkSchema, MESSAGES, noteSchema, parseTags } from '../../../src/portfolio/evidence/evidence.schema';

const base = { title: 'Moodle quiz redesign', date: '2024-11-02', description: 'What changed', tags: 'moodle, assessment' };

test('a link must be an http or https address', () => {
  expect(isWebAddress('https://example.ac.uk/report')).toBe(true);
  expect(isWebAddress('http://intranet/page')).toBe(true);
  for (const bad of ['javascript:alert(1)', 'data:text/html,<script>1</script>', 'file:///etc/passwd', 'ftp://x.org/a', 'example.com', '', 'https://']) {
    expect(isWebAddress(bad)).toBe(false);
  }
});

test('a javascript: link is refused with a message the candidate can act on', () => {
  const result = linkSchema.safeParse({ ...base, url: 'javascript:alert(1)' });
  expect(result.success).toBe(false);
  if (!result.success) expect(fieldErrors(result.error)).toEqual({ url: MESSAGES.urlInvalid });
});

test('a link with a title and a web address is accepted, trimmed', () => {
  const result = linkSchema.parse({ ...base, title: '  Blog post ', url: ' https://blog.example.org/post ' });
  expect(result).toMatchObject({ title: 'Blog post', url: 'https://blog.example.org/post', tags: ['moodle', 'assessment'] });
});

test('a note needs a title and some text', () => {
  const result = noteSchema.safeParse({ title: '', text: '   ' });
  expect(result.success).toBe(false);
  if (!result.success) expect(fieldErrors(result.error)).toEqual({ title: MESSAGES.titleMissing, text: MESSAGES.textMissing });
});

test('a date that is not a real date is refused', () => {
  const result = noteSchema.safeParse({ ...base, text: 'x', date: '14/03/2025' });
  expect(result.success).toBe(false);
  if (!result.success) expect(fieldErrors(result.error).date).toBe(MESSAGES.dateInvalid);
});

test('tags are split on commas, trimmed and kept once regardless of case', () => {
  expect(parseTags(' Moodle, moodle ,  role: lecturer ,, 2024 ')).toEqual(['Moodle', 'role: lecturer', '2024']);
});

test('more than twenty tags are refused', () => {
  const tags = Array.from({ length: 21 }, (_, i) => `t${i}`).join(',');
  expect(noteSchema.safeParse({ ...base, text: 'x', tags }).success).toBe(false);
});
