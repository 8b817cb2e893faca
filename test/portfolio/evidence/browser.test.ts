import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Evidence } from '../../../src/portfolio/evidence/evidence.model';
import { Plan } from '../../../src/portfolio/planning/plan.model';
import { checkAccessibility, launchTopLevelInBrowser, openBrowser, screenshot } from '../../support/browser';
import { startTestPlatform, type TestPlatform } from '../../support/platform';
import { startTestTool, type TestTool } from '../../support/tool';

let platform: TestPlatform;
let tool: TestTool;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ltik: string;

const at = (path: string) => `${tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

/** Presses Tab until the element matching `selector` has focus: how a keyboard user gets there. */
async function tabTo(selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`could not reach ${selector} with the Tab key`);
}

/** The focused element shows a visible outline (the focus style from app.css). */
const focusIsVisible = () =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement as Element);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  });

const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  browser = await openBrowser();
  context = await browser.newContext({ locale: 'en-GB' });
  page = await context.newPage();
  await launchTopLevelInBrowser(page, tool, platform, { role: 'Learner', user: platform.user({ name: 'Kim Keyboard' }) });
  await page.fill('#specialist1', 'Digital accessibility');
  await page.click('button[type="submit"]');
  await page.waitForSelector('#progress-heading');
  ltik = new URL(page.url()).searchParams.get('ltik')!;
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await tool?.close();
  await platform?.close();
});

test('keyboard only: upload a file as evidence from the add page', async () => {
  await page.goto(at('/portfolio/evidence/new?kind=file'));
  expect(await checkAccessibility(page)).toEqual([]);
  await tabTo('#evidence-title');
  expect(await focusIsVisible()).toBe(true);
  await page.keyboard.type('Workshop slides');
  await tabTo('#evidence-date');
  // The date field takes digits in the browser's own order (day first in en-GB, month first in en-US).
  await page.keyboard.type('03142025');
  if ((await page.inputValue('#evidence-date')) !== '2025-03-14') {
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft'); // back to the field's first part
    await page.keyboard.type('14032025');
  }
  expect(await page.inputValue('#evidence-date')).toBe('2025-03-14');
  await tabTo('#evidence-tags');
  await page.keyboard.type('workshop, accessibility');
  await tabTo('#evidence-file');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await chooser).setFiles({ name: 'slides.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nworkshop slides') });
  await screenshot(page, 'evidence-add-file');
  await tabTo('button[type="submit"]');
  await Promise.all([page.waitForURL(/\/portfolio\/evidence\/[a-f0-9]{24}/), page.keyboard.press('Enter')]);
  expect(await page.textContent('h1')).toBe('Workshop slides');
  const item = await Evidence.findOne({ title: 'Workshop slides' }).lean();
  expect(item).toMatchObject({ kind: 'file', tags: ['workshop', 'accessibility'] });
  expect(item!.date?.toISOString().slice(0, 10)).toBe('2025-03-14');
  expect(await checkAccessibility(page)).toEqual([]);
  await screenshot(page, 'evidence-item');
});

test('the evidence list and the delete confirmation pass axe, and the list reads at 320 px', async () => {
  await page.goto(at('/portfolio/evidence/new?kind=link'));
  await page.fill('#evidence-url', 'https://example.org/blog/vle-review');
  await page.fill('#evidence-title', 'Blog post: our VLE review');
  await Promise.all([page.waitForURL(/\/portfolio\/evidence\/[a-f0-9]{24}/), page.click('button[type="submit"]')]);
  await page.goto(at('/portfolio/evidence'));
  expect(await checkAccessibility(page)).toEqual([]);
  await screenshot(page, 'evidence-list');
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await fitsWidth()).toBe(true);
  await screenshot(page, 'evidence-list-320');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.click('text=Workshop slides');
  await page.click('text=Delete');
  await page.waitForSelector('h1:has-text("Delete")');
  expect(await checkAccessibility(page)).toEqual([]);
  await screenshot(page, 'evidence-delete-confirm');
});

test('an upload of the wrong type shows the problem on the page, passing axe', async () => {
  await page.goto(at('/portfolio/evidence/new?kind=file'));
  await page.fill('#evidence-title', 'A web page');
  await page.setInputFiles('#evidence-file', { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<p>hi</p>') });
  await page.click('button[type="submit"]');
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).toContain('That type of file cannot be kept as evidence');
  expect(await checkAccessibility(page)).toEqual([]);
  await screenshot(page, 'evidence-add-refused');
});

test('keyboard only: paste a CV and plan an area, with the CV alongside', async () => {
  await page.goto(at('/portfolio/planning'));
  expect(await checkAccessibility(page)).toEqual([]);
  await tabTo('#cv-text');
  await page.keyboard.type('Kim Keyboard, learning technologist');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Supported the deployment of lecture capture in 40 rooms');
  await tabTo('form[action*="/planning/cv?"] button[type="submit"]');
  await Promise.all([page.waitForURL(/done=cv/), page.keyboard.press('Enter')]);
  await screenshot(page, 'planning-overview');

  await tabTo('a[href*="/portfolio/planning/areas/1c"]');
  await Promise.all([page.waitForURL(/areas\/1c/), page.keyboard.press('Enter')]);
  expect(await page.textContent('aside mark')).toBe('Supported');
  await tabTo('#new-note-did');
  await page.keyboard.type('Ran the lecture capture roll-out');
  await tabTo('#new-note-learned');
  await page.keyboard.type('Training matters more than kit');
  await tabTo('#new-note-proof');
  await page.keyboard.type('Usage figures from the first term');
  await tabTo('#new-note form button[type="submit"], #new-note button[type="submit"]');
  await Promise.all([page.waitForURL(/done=added/), page.keyboard.press('Enter')]);
  const plan = await Plan.findOne().lean();
  expect(plan!.notes.map((n) => n.did)).toEqual(['Ran the lecture capture roll-out']);

  // Autosave: typing in the saved note is sent a few seconds later, without pressing Save.
  const noteId = String(plan!.notes[0]._id);
  await tabTo(`#note-${noteId}-title`);
  await page.keyboard.type('Lecture capture');
  await page.locator(`#note-${noteId}-status`, { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 10000 });
  expect((await Plan.findOne().lean())!.notes[0].title).toBe('Lecture capture');
  expect(await checkAccessibility(page)).toEqual([]);
  await screenshot(page, 'planning-area');
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await fitsWidth()).toBe(true);
  await screenshot(page, 'planning-area-320');
  await page.setViewportSize({ width: 1280, height: 800 });
});
