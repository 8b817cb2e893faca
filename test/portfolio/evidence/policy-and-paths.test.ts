import { attachmentHeader } from '../../../src/portfolio/evidence/attachment';
import { safeReturnPath, sectionHref } from '../../../src/portfolio/evidence/paths';
import { addEvidenceReadRule, canChangeEvidence, canKeepEvidence, canReadEvidence } from '../../../src/portfolio/evidence/policy';

const item = { courseId: 'c1', ownerId: 'u1' };

test('only the owner, in the course they own it in, reads and changes evidence', async () => {
  expect(await canReadEvidence({ userId: 'u1', courseId: 'c1' }, item)).toBe(true);
  expect(canChangeEvidence({ userId: 'u1', courseId: 'c1' }, item)).toBe(true);
  expect(await canReadEvidence({ userId: 'u2', courseId: 'c1' }, item)).toBe(false);
  expect(await canReadEvidence({ userId: 'u1', courseId: 'c2' }, item)).toBe(false); // same person, another course
  expect(canChangeEvidence({ userId: 'u2', courseId: 'c1', roles: ['coordinator', 'mentor'] }, item)).toBe(false);
});

test('a rule added later (a mentor) can grant reading but never changing', async () => {
  const mentor = { userId: 'm1', courseId: 'c1', roles: ['mentor'] };
  expect(await canReadEvidence(mentor, item)).toBe(false);
  addEvidenceReadRule((who, it) => who.userId === 'm1' && it.ownerId === 'u1');
  expect(await canReadEvidence(mentor, item)).toBe(true);
  expect(canChangeEvidence(mentor, item)).toBe(false);
});

test('only candidates keep a library', () => {
  expect(canKeepEvidence({ userId: 'u', courseId: 'c', roles: ['candidate'] })).toBe(true);
  expect(canKeepEvidence({ userId: 'u', courseId: 'c', roles: ['mentor', 'coordinator'] })).toBe(false);
  expect(canKeepEvidence({ userId: 'u', courseId: 'c' })).toBe(false);
});

test('a return address is followed only inside the portfolio, without the old session token', () => {
  expect(safeReturnPath('/portfolio/sections/abc?done=saved&ltik=old#ex-1')).toBe('/portfolio/sections/abc?done=saved#ex-1');
  for (const bad of ['//evil.example/portfolio', 'https://evil.example/portfolio/x', '/\\evil.example', '/admin/platforms', 'javascript:alert(1)', '/portfolioX', '']) {
    expect(safeReturnPath(bad)).toBeUndefined();
  }
  expect(sectionHref('64b7')).toBe('/portfolio/sections/64b7');
});

test('a download is always an attachment, with an ASCII fallback and the exact UTF-8 name', () => {
  expect(attachmentHeader('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  expect(attachmentHeader('Évaluation (v2).pdf')).toBe(`attachment; filename="Evaluation (v2).pdf"; filename*=UTF-8''%C3%89valuation%20%28v2%29.pdf`);
  expect(attachmentHeader('"quoted"\\.txt')).toMatch(/^attachment; filename="quoted\.txt";/);
  expect(attachmentHeader('报告.pdf')).toMatch(/^attachment; filename="\.pdf"; filename\*=UTF-8''%E6%8A%A5%E5%91%8A\.pdf$/);
});
