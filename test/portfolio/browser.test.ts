import type { Frame, Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchInBrowser, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { Portfolio, Section } from '../../src/portfolio/models';
import { tabTo } from '../support/keyboard';

const suite = browserSuite();

/** Launches a new candidate top-level, starts a CMALT portfolio and returns the section ids by area. */
async function candidateWithPortfolio(name: string, target: Page = suite.page) {
  const user = suite.platform.user({ name });
  await launchTopLevelInBrowser(target, suite.tool, suite.platform, { role: 'Learner', user });
  await target.fill('#name_specialist_1', 'Digital accessibility');
  await target.click('button[type="submit"]');
  await target.waitForSelector('#progress-heading');
  const portfolio = (await Portfolio.findOne().sort({ createdAt: -1 }).lean())!;
  const sections = await Section.find({ portfolio: portfolio._id }).lean();
  const id = (areaId: string) => String(sections.find((s) => s.areaId === areaId)!._id);
  return { id, ltik: new URL(target.url()).searchParams.get('ltik')! };
}

const sectionUrl = (id: string, ltik: string) => `${suite.tool.baseUrl}/portfolio/sections/${id}?ltik=${encodeURIComponent(ltik)}`;
const status = (p: Page | Frame) => p.textContent('#save-status').then((t) => (t ?? '').trim());
const bodyOf = async (id: string) => (await Section.findById(id).lean())!.body;

async function openSection(p: Page, id: string, ltik: string) {
  await p.goto(sectionUrl(id, ltik));
  await p.waitForSelector('trix-editor#body');
  await p.waitForFunction(() => !!(document.querySelector('trix-editor') as unknown as { editor?: unknown })?.editor);
}

async function typeInEditor(p: Page, text: string) {
  await p.click('trix-editor#body');
  await p.keyboard.press('End');
  await p.keyboard.type(text);
}

describe('the section page in Chromium', () => {
  test('autosave shows its status and the text survives a reload', async () => {
    const { id, ltik } = await candidateWithPortfolio('Ada Autosave');
    await openSection(suite.page, id('contextual'), ltik);
    await typeInEditor(suite.page, 'I lead digital learning at a college.');
    await suite.page.waitForFunction(() => /Saved \d\d:\d\d/.test(document.getElementById('save-status')!.textContent ?? ''), null, { timeout: 10000 });
    expect(await status(suite.page)).toMatch(/^Saved \d\d:\d\d$/);
    expect(await bodyOf(id('contextual'))).toContain('I lead digital learning at a college.');
    await suite.page.reload();
    await suite.page.waitForSelector('trix-editor#body');
    expect(await suite.page.textContent('trix-editor#body')).toContain('I lead digital learning at a college.');
    await screenshot(suite.page, 'portfolio-section-saved');
  });

  test('the first autosave turns the header to Draft with its word count and offers review, without a reload', async () => {
    const { id, ltik } = await candidateWithPortfolio('Nora Noreload');
    await openSection(suite.page, id('contextual'), ltik);
    expect(await suite.page.textContent('#section-state')).toBe('Not started');
    expect(await suite.page.isVisible('#review-request')).toBe(false);
    await typeInEditor(suite.page, 'Five words written just now.');
    await suite.page.locator('#save-status', { hasText: /Saved/ }).waitFor({ timeout: 10000 });
    await suite.page.locator('#section-state', { hasText: 'Draft' }).waitFor({ timeout: 5000 });
    expect(await suite.page.textContent('#section-words')).toBe('5');
    expect(await suite.page.isVisible('#review-needs-writing')).toBe(false);
    await screenshot(suite.page, 'portfolio-section-after-first-save');
    await suite.page.click('#review-request button[type="submit"]');
    await suite.page.waitForSelector('text=Marked ready for review');
    expect((await Section.findById(id('contextual')).lean())!.state).toBe('ready_for_review');
  });

  test('a section page with rich text and examples logs no error: the editor\'s styles carry the CSP nonce', async () => {
    const errors: string[] = [];
    suite.page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    suite.page.on('pageerror', (e) => void errors.push(e.message));
    const { id, ltik } = await candidateWithPortfolio('Cleo Console');
    const example = (t: string) => ({ title: t, tags: { role: '', project: '', year: '' }, description: '<p>What I did.</p>', reflection: '<p>What I learned.</p>', evidenceIds: [] });
    await Section.updateOne(
      { _id: id('1a') },
      { $set: { body: '<h2>Heading</h2><p>Some <strong>bold</strong> text</p><ul><li>one</li></ul>', examples: [example('First'), example('Second')] } },
    );
    errors.length = 0; // from here: the section page only
    await suite.page.goto(sectionUrl(id('1a'), ltik));
    await suite.page.waitForFunction(() => document.querySelectorAll('trix-editor').length >= 4 && ((list) => list.length > 0 && list.every((e) => (e as unknown as { editor?: unknown }).editor))(Array.from(document.querySelectorAll('trix-editor'))));
    await suite.page.waitForTimeout(500);
    expect(await suite.page.textContent('main')).toContain('What I learned.');
    expect(errors).toEqual([]);
  });

  test('offline shows "Offline", and the text is saved when the network is back', async () => {
    const { id, ltik } = await candidateWithPortfolio('Owen Offline');
    await openSection(suite.page, id('future-plans'), ltik);
    await suite.context.setOffline(true);
    await typeInEditor(suite.page, 'Written on the train.');
    await suite.page.locator('#save-status', { hasText: 'Offline: your text is kept on this device' }).waitFor({ timeout: 10000 });
    await screenshot(suite.page, 'portfolio-section-offline');
    expect(await bodyOf(id('future-plans'))).toBe('');
    await suite.context.setOffline(false);
    await suite.page.locator('#save-status', { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 15000 });
    expect(await bodyOf(id('future-plans'))).toContain('Written on the train.');
  });

  test('changes typed just before the tab closed are sent when the section is opened again', async () => {
    const { id, ltik } = await candidateWithPortfolio('Cleo Closed');
    await openSection(suite.page, id('contextual'), ltik);
    await typeInEditor(suite.page, 'Typed then closed.');
    await suite.page.waitForTimeout(150);
    await suite.page.close({ runBeforeUnload: true }); // well before the autosave delay has passed
    expect(await bodyOf(id('contextual'))).toBe('');
    const again = await suite.context.newPage();
    await openSection(again, id('contextual'), ltik);
    await again.locator('#save-status', { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 10000 });
    expect(await bodyOf(id('contextual'))).toContain('Typed then closed.');
    expect(await again.textContent('trix-editor#body')).toContain('Typed then closed.');
  });

  test('two tabs writing in the same paragraph: the second sees both versions with the differences marked, and keeping both keeps both', async () => {
    const { id, ltik } = await candidateWithPortfolio('Tess Twotabs');
    const tabB = await suite.context.newPage();
    await openSection(suite.page, id('contextual'), ltik);
    await openSection(tabB, id('contextual'), ltik);
    await typeInEditor(suite.page, 'Words from tab A.');
    await suite.page.locator('#save-status', { hasText: /Saved/ }).waitFor({ timeout: 10000 });
    await typeInEditor(tabB, 'Words from tab B.');
    await tabB.locator('#save-status', { hasText: 'Changed in another tab' }).waitFor({ timeout: 10000 });
    const panel = tabB.locator('#conflict-panel');
    await panel.waitFor({ state: 'visible' });
    // Both texts, the words that differ marked (with words for screen readers).
    expect(await panel.locator('[data-side="theirs"]').textContent()).toBe('The saved version (from elsewhere)Your textWords from tab [only in the saved version: A].');
    expect(await panel.locator('[data-side="yours"]').textContent()).toBe('Your version (this tab)Your textWords from tab [only in yours: B].');
    expect(await checkAccessibility(tabB)).toEqual([]);
    await screenshot(tabB, 'portfolio-section-conflict');
    expect(await bodyOf(id('contextual'))).toContain('Words from tab A.');
    expect(await bodyOf(id('contextual'))).not.toContain('Words from tab B.');
    await tabB.click('button[data-choice="both"]');
    await tabB.locator('#save-status', { hasText: /Saved/ }).waitFor({ timeout: 10000 });
    const merged = await bodyOf(id('contextual'));
    expect(merged).toContain('Words from tab A.');
    expect(merged).toContain('Words from tab B.');
  });

  test('keyboard only: write, leave the field (saves), and mark the section ready for review', async () => {
    const { id, ltik } = await candidateWithPortfolio('Kit Keyboard');
    await openSection(suite.page, id('future-plans'), ltik);
    await suite.page.focus('body');
    await tabTo(suite.page, 'trix-editor#body');
    await suite.page.keyboard.type('Plans written by keyboard alone.');
    // As a person would, Tab once the editor has taken in the last keystroke (it does so a frame later).
    await suite.page.waitForFunction(() => (document.getElementById('body-html') as HTMLInputElement).value.includes('keyboard alone.'));
    // Leave the field with one Tab (no Save button pressed). Typing alone would save only once it has
    // stopped for 2.5 s, so a save sent within 2 s of the last keystroke is the one leaving the field made.
    const sent = suite.page.waitForRequest((r) => r.method() === 'PUT' && new URL(r.url()).pathname === `/portfolio/sections/${id('future-plans')}`, { timeout: 2000 });
    await suite.page.keyboard.press('Tab');
    expect((await sent).postDataJSON().body).toContain('Plans written by keyboard alone.');
    await suite.page.locator('#save-status', { hasText: /Saved/ }).waitFor({ timeout: 10000 });
    expect(await status(suite.page)).toMatch(/^Saved \d\d:\d\d$/);
    expect(await bodyOf(id('future-plans'))).toContain('Plans written by keyboard alone.');
    expect(await suite.page.evaluate(() => !!document.activeElement?.closest('trix-editor#body'))).toBe(false); // it was left, and stayed left
    await suite.page.reload();
    await tabTo(suite.page, /Mark ready for review/);
    const outline = await suite.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('text=Marked ready for review');
    expect((await Section.findById(id('future-plans')).lean())!.state).toBe('ready_for_review');
  });

  test('overview (in the VLE frame), section and revisions pages pass axe, also at 320 px', async () => {
    const user = suite.platform.user({ name: 'Axel Axe' });
    const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', user });
    await frame.waitForSelector('#name_specialist_1');
    expect(await checkAccessibility(frame)).toEqual([]);
    await screenshot(suite.page, 'portfolio-start-in-frame');
    await frame.fill('#name_specialist_1', 'Learning design');
    await frame.focus('button[type="submit"]');
    await suite.page.keyboard.press('Enter'); // by keyboard: the framed page keeps resizing to its content
    await frame.waitForSelector('#progress-heading');
    expect(await checkAccessibility(frame)).toEqual([]);
    await screenshot(suite.page, 'portfolio-overview-in-frame');

    const portfolio = (await Portfolio.findOne().sort({ createdAt: -1 }).lean())!;
    const s1a = String((await Section.findOne({ portfolio: portfolio._id, areaId: '1a' }).lean())!._id);
    const ltik = new URL(frame.url()).searchParams.get('ltik')!;
    const top = await suite.context.newPage();
    await top.goto(sectionUrl(s1a, ltik));
    await top.waitForSelector('trix-editor#new-description');
    await top.fill('#new-title', 'Choosing a polling tool');
    await top.fill('#new-project', 'Lecture engagement');
    await top.click('trix-editor#new-description');
    await top.keyboard.type('I compared three polling tools for accessibility and cost.');
    await top.click('trix-editor#new-reflection');
    await top.keyboard.type('I learned to ask students first.');
    await top.click('text=Add example');
    await top.waitForSelector('text=Example 1: Choosing a polling tool');
    expect(await checkAccessibility(top)).toEqual([]);
    // Editing an existing example autosaves it too.
    const titleField = top.locator('form[data-autosave-key*=":example:"] input[name="title"]');
    await titleField.fill('Choosing a polling tool for lectures');
    await top.locator('#save-status', { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 10000 });
    expect((await Section.findById(s1a).lean())!.examples[0].title).toBe('Choosing a polling tool for lectures');
    await screenshot(top, 'portfolio-section-examples');
    await top.setViewportSize({ width: 320, height: 800 });
    expect(await checkAccessibility(top)).toEqual([]);
    await screenshot(top, 'portfolio-section-320');
    await top.setViewportSize({ width: 1024, height: 800 });
    await top.goto(`${suite.tool.baseUrl}/portfolio/sections/${s1a}/revisions?ltik=${encodeURIComponent(ltik)}`);
    await top.waitForSelector('h1');
    expect(await checkAccessibility(top)).toEqual([]);
    await screenshot(top, 'portfolio-revisions');
    await top.click('tbody a'); // the newest revision (the two saves coalesced into one)
    await top.waitForSelector('h1');
    expect(await checkAccessibility(top)).toEqual([]);
  });

  test('without JavaScript: plain forms save, and a conflict page shows both versions and passes axe', async () => {
    const { id, ltik } = await candidateWithPortfolio('Noah Noscript');
    await suite.context.route('**/public/**/*.js', (route) => route.abort()); // as if scripts were off
    const tabB = await suite.context.newPage();
    for (const p of [suite.page, tabB]) {
      await p.goto(sectionUrl(id('contextual'), ltik));
      await p.waitForSelector('textarea#body');
    }
    await suite.page.fill('textarea#body', 'Plain text from the first tab.');
    await suite.page.click('button:text-is("Save")');
    await suite.page.waitForSelector('text=Saved.');
    await tabB.fill('textarea#body', 'Plain text from the second tab.');
    await tabB.click('button:text-is("Save")');
    await tabB.waitForSelector('h1:has-text("changed while you were editing")');
    const html = await tabB.content();
    expect(html).toContain('Plain text from the first tab.');
    expect(html).toContain('Plain text from the second tab.');
    expect(await checkAccessibility(tabB)).toEqual([]);
    await screenshot(tabB, 'portfolio-conflict-page-no-js');
    expect(await bodyOf(id('contextual'))).toBe('<p>Plain text from the first tab.</p>');
    await tabB.click('button:text-is("Keep my version")');
    await tabB.waitForSelector('text=Saved.');
    expect(await bodyOf(id('contextual'))).toBe('<p>Plain text from the second tab.</p>');
  });
});
