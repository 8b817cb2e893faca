import type { Browser, Frame, Page } from 'playwright-core';
import { Portfolio, Section } from '../../src/portfolio/models';
import { User } from '../../src/people/user.model';
import { aWorker, settle } from '../gradebook/support';
import { checkAccessibility, openBrowser, screenshot } from '../support/browser';
import { startTestTool, type TestTool } from '../support/tool';

/**
 * A newcomer trying the tool with the built-in practice VLE, in Chromium: the root page, a person picked by
 * keyboard, the candidate's sentence autosaved, the mentor's review, the score in the practice gradebook. Every
 * page of the practice VLE (its start page, course page, gradebook, participants, the auth form and the return
 * page) is axe-clean with best practices, and works at 320 px.
 */
let tool: TestTool;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  tool = await startTestTool({ env: { PRACTICE_VLE: 'on' } });
  browser = await openBrowser();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page?.close();
});
afterAll(async () => {
  await browser?.close();
  await tool?.close();
});

/** Presses Tab until `selector` has focus: proves it is reachable by keyboard, in order. */
async function tabTo(target: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await target.keyboard.press('Tab');
    if (await target.evaluate((sel) => document.activeElement === document.querySelector(sel), selector)) return;
  }
  throw new Error(`${selector} was not reached by pressing Tab ${max} times`);
}

async function expectAxeClean(target: Page | Frame, bestPractice = true) {
  expect(await checkAccessibility(target, { bestPractice })).toEqual([]);
}

/** Polls until the tool's frame has left the login and landed on a page of the tool under `path`. */
async function frameLandsOn(target: Page, path: RegExp): Promise<Frame> {
  const handle = await target.waitForSelector('#tool-frame', { state: 'attached' });
  const frame = (await handle.contentFrame())!;
  const deadline = Date.now() + 30_000;
  while (!path.test(new URL(frame.url() || 'about:blank').pathname)) {
    if (Date.now() > deadline) throw new Error(`the frame did not land on ${path} (it is at ${frame.url()})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await frame.waitForLoadState('load');
  return frame;
}

/** From the start page, by keyboard: Tab to "Open as <person>" and press Enter. */
async function openAs(target: Page, personId: string, lands: RegExp): Promise<Frame> {
  await target.goto(`${tool.baseUrl}/practice/`);
  await target.focus('body');
  await tabTo(target, `button[aria-describedby="person-${personId}"]`);
  await target.keyboard.press('Enter');
  await target.waitForURL(/\/practice\/course\/[^/]+\/launch\?hint=/);
  return frameLandsOn(target, lands);
}

const fitsWidth = (target: Page) => target.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('a newcomer opens the tool as the candidate, writes a sentence that autosaves; the mentor reviews it; the gradebook shows the score', async () => {
  // the root page is the practice VLE's start page
  await page.goto(`${tool.baseUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/practice/');
  expect(await page.textContent('h1')).toBe('Try CMALT Portfolio');
  await expectAxeClean(page);
  await screenshot(page, 'practice-vle-start');

  // the candidate: starts a portfolio and writes a sentence, which saves itself
  const asCandidate = await openAs(page, 'practice-amara', /^\/portfolio/);
  expect(await page.textContent('main p')).toContain('You are Amara Okafor (Candidate)');
  await expectAxeClean(page);
  await expectAxeClean(asCandidate, false); // the tool's own pages are held to WCAG in their own tests
  await asCandidate.fill('#name_specialist_1', 'Open badges');
  await asCandidate.click('button[type="submit"]');
  await asCandidate.waitForSelector('#progress-heading');
  const amara = (await User.findOne({ sub: 'practice-amara' }).lean())!;
  const portfolio = (await Portfolio.findOne({ userId: String(amara._id) }).lean())!;
  const contextual = (await Section.findOne({ portfolio: portfolio._id, areaId: 'contextual' }).lean())!;
  const ltik = new URL(asCandidate.url()).searchParams.get('ltik')!;
  await asCandidate.goto(`${tool.baseUrl}/portfolio/sections/${contextual._id}?ltik=${encodeURIComponent(ltik)}`);
  await asCandidate.waitForFunction(() => !!(document.querySelector('trix-editor#body') as unknown as { editor?: unknown } | null)?.editor);
  await asCandidate.click('trix-editor#body');
  await page.keyboard.type('I support forty lecturers in moving their modules online.');
  await asCandidate.locator('#save-status', { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 20_000 });
  expect((await Section.findById(contextual._id).lean())!.body).toContain('forty lecturers');
  await screenshot(page, 'practice-vle-candidate-writing');
  await asCandidate.click('#review-request button[type="submit"]');
  await asCandidate.waitForSelector('text=Marked ready for review');

  // the mentor (switching role from the start page) finds it waiting and passes it
  const asMentor = await openAs(page, 'practice-helen', /^\/mentoring/);
  await asMentor.waitForSelector('#waiting-heading');
  expect(await asMentor.textContent('.review-queue')).toContain('Amara Okafor');
  await asMentor.click('.review-queue a');
  await asMentor.waitForSelector('#decision-meets');
  expect(await asMentor.textContent('main')).toContain('forty lecturers');
  await asMentor.check('#decision-meets');
  await asMentor.fill('#feedback', 'Clear and specific: a good start.');
  await asMentor.click('button:has-text("Save review")');
  await asMentor.waitForSelector('.notice--good');
  expect((await Section.findById(contextual._id).lean())!.state).toBe('meets_criterion');
  await screenshot(page, 'practice-vle-mentor-review');

  // the tool's VLE worker sends progress; the practice gradebook shows it
  const worker = aWorker(tool);
  await worker.reconcile();
  await settle(worker);
  await page.goto(`${tool.baseUrl}/practice/gradebook`);
  const row = page.locator('tr', { hasText: 'Amara Okafor' });
  expect(await row.locator('td').nth(1).textContent()).toMatch(/^\d+ \/ 100$/);
  expect(await row.locator('td').nth(2).textContent()).not.toBe('–');
  expect(tool.practice!.ags.scoresFor('practice-amara').length).toBeGreaterThan(0);
  await expectAxeClean(page);
  await screenshot(page, 'practice-vle-gradebook');
});

test('the participants, return and auth pages are axe-clean; every practice page fits 320 px', async () => {
  await page.goto(`${tool.baseUrl}/practice/participants`);
  expect(await page.locator('tbody tr').count()).toBe(5);
  await expectAxeClean(page);
  await page.goto(`${tool.baseUrl}/practice/course/${tool.practice!.course.id}/return`);
  expect(await page.textContent('h1')).toBe('Back in the practice course');
  await expectAxeClean(page);

  // the auth answer posts itself at once: shown again with its script held back by a CSP, exactly as served otherwise
  const authUrls: string[] = [];
  page.on('request', (r) => void (r.url().includes('/practice/auth') && authUrls.push(r.url())));
  await openAs(page, 'practice-sam', /^\/(cohort|portfolio|mentoring|gradebook|lti)/);
  expect(authUrls.length).toBeGreaterThan(0);
  const held = await browser.newPage();
  try {
    await held.route('**/practice/auth*', async (route) => {
      const served = await route.fetch();
      await route.fulfill({ response: served, headers: { ...served.headers(), 'content-security-policy': "script-src 'none'" } });
    });
    await held.goto(authUrls[0]);
    expect(await held.textContent('h1')).toBe('Opening CMALT Portfolio…');
    expect(await held.locator('form#lti-launch input[name="id_token"]').count()).toBe(1);
    await expectAxeClean(held);
  } finally {
    await held.close();
  }

  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/practice/', '/practice/participants', '/practice/gradebook']) {
    await page.goto(`${tool.baseUrl}${path}`);
    expect(await fitsWidth(page)).toBe(true);
    await expectAxeClean(page);
  }
  await screenshot(page, 'practice-vle-gradebook-320');
  await openAs(page, 'practice-rhys', /^\/portfolio/);
  expect(await fitsWidth(page)).toBe(true);
  await screenshot(page, 'practice-vle-course-320');
});
