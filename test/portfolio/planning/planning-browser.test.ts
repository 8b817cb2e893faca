import { copyFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../../support/browser';
import { Plan } from '../../../src/portfolio/planning/plan.model';
import { until } from '../../support/until';

/**
 * The planning page folds each note (issue 16): a title, the start of what was done and "Edit this note", so two
 * notes no longer make a 3,100 px stack of forms; the folded forms still autosave and nothing typed is lost.
 */
const suite = browserSuite();

const url = (path: string, ltik: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

const notesNow = async () => (await Plan.findOne().sort({ updatedAt: -1 }).lean())?.notes ?? [];
const setDelay = (p: Page, ms: string) => p.evaluate((d) => document.body.setAttribute('data-autosave-delay', d), ms);

async function addNote(p: Page, title: string, did: string) {
  await p.fill('#new-note-title', title);
  await p.fill('#new-note-did', did);
  await p.fill('#new-note-learned', 'Ask the students first.');
  await p.fill('#new-note-proof', 'The appraisal report.');
  await p.click('button:text-is("Add note")');
  await p.waitForSelector(`h3:text-is("${title}")`);
}

describe('planning notes in Chromium', () => {
  test('notes are folded so the page is short, open by keyboard, autosave, and text typed before the tab closed comes back in an opened note', async () => {
    const user = suite.platform.user({ name: 'Pat Planner' });
    await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', user });
    await suite.page.fill('#name_specialist_1', 'Digital accessibility');
    await suite.page.click('button[type="submit"]');
    await suite.page.waitForSelector('#progress-heading');
    const ltik = new URL(suite.page.url()).searchParams.get('ltik')!;
    const area = url('/portfolio/planning/areas/1a', ltik);

    await suite.page.goto(area);
    const long = 'Compared three lecture capture tools for cost, captions and support, with a pilot in two departments. '.repeat(4).trim();
    await addNote(suite.page, 'Lecture capture appraisal', long);
    await addNote(suite.page, 'Quiz tool choice', 'Chose a quiz tool with the maths department.');
    // Just added: that note is open (the page went to it); the other is folded to its title and the start of its text.
    const [first, second] = await suite.page.locator('article.note').all();
    expect(await second.locator('textarea[name="did"]').isVisible()).toBe(true);
    expect(await first.locator('textarea[name="did"]').isVisible()).toBe(false);
    const gist = (await first.locator('.note__gist').textContent())!;
    expect(long.startsWith(gist.replace(/…$/, ''))).toBe(true);
    expect(gist.endsWith('…')).toBe(true);

    // Opened plainly, both are folded and the page is short (it was 3,100 px for two notes).
    await suite.page.goto(area);
    expect(await suite.page.locator('article.note textarea:visible').count()).toBe(0);
    expect(await suite.page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(2000);
    expect(await checkAccessibility(suite.page, { bestPractice: true })).toEqual([]);
    copyFileSync(await screenshot(suite.page, 'planning-notes-folded'), '/tmp/16a-planning-folded.png');

    // By keyboard: "Edit this note" opens the form; what is typed saves itself and the folded view follows.
    await setDelay(suite.page, '150');
    await suite.page.locator('summary', { hasText: 'Quiz tool choice' }).focus();
    await suite.page.keyboard.press('Enter');
    await suite.page.keyboard.press('Tab'); // the title field
    expect(await suite.page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('title');
    await suite.page.keyboard.press('Tab');
    await suite.page.keyboard.press('End');
    await suite.page.keyboard.type(' It is now used in four modules.');
    await until('the note is saved', async () => JSON.stringify(await notesNow()).includes('four modules'));
    await suite.page.locator('article.note .note__gist', { hasText: 'now used in four modules' }).waitFor();
    expect(await checkAccessibility(suite.page, { bestPractice: true })).toEqual([]);

    // Typed and the tab closed long before the autosave delay: on return that note opens with the text, and it is saved.
    await suite.page.goto(area);
    await setDelay(suite.page, '60000');
    await suite.page.locator('summary', { hasText: 'Lecture capture appraisal' }).click();
    await suite.page.locator('article.note').first().locator('textarea[name="learned"]').fill('Ask the students first, then the departments.');
    await suite.page.close({ runBeforeUnload: true });
    const again = await suite.context.newPage();
    await again.goto(area);
    const reopened = again.locator('article.note').first();
    expect(await reopened.locator('details').getAttribute('open')).not.toBeNull();
    expect(await reopened.locator('textarea[name="learned"]').inputValue()).toBe('Ask the students first, then the departments.');
    await until('the kept text is saved', async () => JSON.stringify(await notesNow()).includes('then the departments.'));

    // At 320 px the folded notes fit without sideways scrolling.
    await again.setViewportSize({ width: 320, height: 640 });
    await again.goto(area);
    expect(await again.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await checkAccessibility(again, { bestPractice: true })).toEqual([]);
    copyFileSync(await screenshot(again, 'planning-notes-320'), '/tmp/16a-planning-320.png');
  });
});
