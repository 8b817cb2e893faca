import { copyFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import type { ToolSession } from '../support/launch';
import { aCandidate, aCoordinator, aMentor, sectionNow } from '../support/factories';

/**
 * The mentor's "what changed" view (issue 16): only the changed paragraphs with one either side, and the evidence
 * linked since, against what the mentor saw at their last visit or at their review.
 */
const suite = browserSuite();

const paragraph = (n: number, edit = '') => `Paragraph ${n} of the appraisal: we compared the tools on cost, captions and support${edit}.`;
const descriptionWith = (edits: Record<number, string>) => Array.from({ length: 8 }, (_, i) => `<p>${paragraph(i + 1, edits[i + 1] ?? '')}</p>`).join('');

async function saveDescription(s: ToolSession, sectionId: string, exampleId: string, edits: Record<number, string>) {
  const section = await sectionNow(sectionId);
  const example = section.examples.find((e) => String(e._id) === exampleId)!;
  const r = await s.post(`/portfolio/sections/${sectionId}/examples/${exampleId}`, {
    baseVersion: String(section.version), title: example.title, role: '', project: '', year: '', description: descriptionWith(edits), reflection: example.reflection, format: 'html',
  });
  if (r.status !== 200) throw new Error(`save failed: ${r.status}`);
}

const FIVE = ' and, above all, on how students found them';
const changedTexts = (p: Page) => p.locator('.changes .diff-para').evaluateAll((els) => els.map((e) => `${e.className.replace('diff-para diff-para--', '')}: ${(e.textContent ?? '').replace(/\s+/g, ' ').trim()}`));

async function expectAxeClean(p: Page) {
  expect(await checkAccessibility(p, { bestPractice: true })).toEqual([]);
}

describe('the mentor’s change view in Chromium', () => {
  test('the candidate edits one paragraph of many and links evidence: the mentor sees only that paragraph with context and the evidence; then compares with their review', async () => {
    const course = suite.platform.course({ title: 'Changes' });
    const { session: cora } = await aCoordinator(suite, { course, name: 'Cora Changes' });
    const moUser = suite.platform.user({ name: 'Mo Changes' });
    await aMentor(suite, { course, user: moUser });
    const cat = await aCandidate(suite, { course, name: 'Cat Changes' });
    await cora.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: moUser.id, action: 'assign' });
    const id = cat.id('1a');
    const v = (await sectionNow(id)).version;
    const added = await cat.session.post(`/portfolio/sections/${id}/examples`, {
      baseVersion: String(v), title: 'Lecture capture appraisal', role: '', project: '', year: '', description: descriptionWith({}), reflection: '<p>Next time I would ask students first.</p>', format: 'html',
    });
    expect(added.status).toBe(200);
    const exampleId = String((await sectionNow(id)).examples[0]._id);
    expect((await cat.session.post(`/portfolio/sections/${id}/ready`, { baseVersion: String((await sectionNow(id)).version) })).status).toBe(200);

    // The mentor's first visit.
    await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'TeachingAssistant', user: moUser, course });
    const ltik = new URL(suite.page.url()).searchParams.get('ltik')!;
    const sectionUrl = `${suite.tool.baseUrl}/mentoring/sections/${id}?ltik=${encodeURIComponent(ltik)}`;
    await suite.page.goto(sectionUrl);
    expect(await suite.page.textContent('.changes')).toContain('This is your first visit');

    // The candidate changes paragraph 5 and links a new note as evidence.
    await saveDescription(cat.session, id, exampleId, { 5: FIVE });
    const note = await cat.session.post('/portfolio/evidence/notes', { title: 'Student survey summary', date: '2026-03-01', description: '', tags: '', text: 'Most students wanted captions.' });
    expect(note.status).toBe(200);
    const evidenceId = new URL(note.url).pathname.split('/').pop()!;
    expect((await cat.session.post('/portfolio/evidence/attach', { evidenceId, sectionId: id, exampleId })).status).toBe(200);

    // Back again: that paragraph with the one either side, nothing else of the section, and the evidence.
    await suite.page.goto(sectionUrl);
    await suite.page.waitForSelector('.changes .diff ins');
    expect(await changedTexts(suite.page)).toEqual([
      `context: Unchanged: ${paragraph(4)}`,
      `changed: ${paragraph(5)}`.replace('support.', 'support [added: and, above all, on how students found them].'),
      `context: Unchanged: ${paragraph(6)}`,
    ]);
    expect(await suite.page.textContent('.changes ins')).toContain('on how students found them');
    const changes = (await suite.page.textContent('.changes'))!;
    expect(changes).toContain('1 paragraph changed, 1 piece of evidence linked');
    expect(changes).toContain('Example 1: Lecture capture appraisal – description');
    expect(changes).not.toContain(paragraph(3));
    expect(changes).not.toContain('Next time I would ask students first.');
    expect(await suite.page.locator('.changes .diff-skip').allTextContents()).toEqual(['… 4 unchanged paragraphs …', '… 3 unchanged paragraphs …']);
    expect(await suite.page.textContent('.changed-evidence')).toContain('Linked to Example 1: Lecture capture appraisal: Student survey summary');
    expect(await suite.page.getAttribute('.changed-evidence a', 'href')).toContain(`/portfolio/evidence/${evidenceId}`);
    await expectAxeClean(suite.page);
    copyFileSync(await screenshot(suite.page, 'mentoring-change-view'), '/tmp/16a-change-view.png');

    // The mentor asks for more work; the candidate then edits paragraph 2, and later paragraph 7.
    await suite.page.check('#decision-more');
    await suite.page.fill('#feedback', 'Say which tool you chose.');
    await suite.page.click('form[action*="/review"] button[type=submit]');
    await suite.page.waitForSelector('.notice--good');
    await saveDescription(cat.session, id, exampleId, { 5: FIVE, 2: ' (we chose the second)' });
    await suite.page.goto(sectionUrl);
    await suite.page.waitForSelector('.changes .diff ins');
    await saveDescription(cat.session, id, exampleId, { 5: FIVE, 2: ' (we chose the second)', 7: ' within budget' });
    await suite.page.goto(sectionUrl);
    await suite.page.waitForSelector('.changes .diff ins');
    expect((await changedTexts(suite.page)).filter((t) => t.startsWith('changed'))).toEqual([`changed: ${paragraph(7)}`.replace('support.', 'support [added: within budget].')]);

    // Against what the mentor saw when reviewing: both edits.
    await suite.page.click('a:has-text("Compare with what you reviewed on")');
    await suite.page.waitForSelector('#changes-heading:has-text("since your review")');
    expect((await changedTexts(suite.page)).filter((t) => t.startsWith('changed')).length).toBe(2);
    expect(await suite.page.textContent('.changes')).toContain('2 paragraphs changed.');
    expect(await suite.page.textContent('.changes')).not.toContain('linked'); // linked before the review
    await expectAxeClean(suite.page);
    copyFileSync(await screenshot(suite.page, 'mentoring-change-view-since-review'), '/tmp/16a-change-view-review.png');
  });
});
