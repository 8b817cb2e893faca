import type { Browser, Frame, Page } from 'playwright-core';
import { Portfolio, Section } from '../../src/portfolio/models';
import { Course } from '../../src/people/course.model';
import { User } from '../../src/people/user.model';
import { aWorker, settle } from '../gradebook/support';
import { checkAccessibility, openBrowser, screenshot } from '../support/browser';
import { fitsWidth as frameFits, tabToText, tabTo } from '../support/keyboard';
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

/** Screenshots the brief asks for, under /tmp, besides the suite's own folder. */
async function snap(target: Page, name: string): Promise<void> {
  await screenshot(target, `practice-vle-${name}`);
  await target.screenshot({ path: `/tmp/18-${name}.png`, fullPage: true });
}

async function practiceCourseId(): Promise<string> {
  const course = (await Course.findOne({ issuer: `${tool.baseUrl}/practice`, contextId: tool.practice!.course.id }).lean())!;
  return String(course._id);
}

async function sectionOf(sub: string, areaId: string) {
  const user = (await User.findOne({ issuer: `${tool.baseUrl}/practice`, sub }).lean())!;
  const portfolio = (await Portfolio.findOne({ userId: String(user._id), courseId: await practiceCourseId() }).lean())!;
  return (await Section.findOne({ portfolio: portfolio._id, areaId }).lean())!;
}

/** The same session in the frame, at another page of the tool. */
async function frameGoto(frame: Frame, path: string): Promise<void> {
  const ltik = new URL(frame.url()).searchParams.get('ltik')!;
  await frame.goto(`${tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`);
}

test('a newcomer opens the tool as the sample candidate, writes a sentence that autosaves; the mentor sees it and reviews it; the gradebook shows the score', async () => {
  // the root page is the practice VLE's start page
  await page.goto(`${tool.baseUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/practice/');
  expect(await page.textContent('h1')).toBe('Try CMALT Portfolio');
  await expectAxeClean(page);
  await snap(page, 'start');

  // the candidate who has begun: his portfolio opens, and a sentence in an area he had not started saves itself
  const asCandidate = await openAs(page, 'practice-rhys', /^\/portfolio/);
  expect(await page.textContent('main p')).toContain('You are Rhys Llewellyn (Candidate)');
  await expectAxeClean(page);
  const contextual = await sectionOf('practice-rhys', '1a');
  expect(contextual.version).toBe(0);
  await frameGoto(asCandidate, `/portfolio/sections/${contextual._id}`);
  // an area shown through examples: the first one is written in "Add an example", saved as a draft as it is typed
  await asCandidate.waitForFunction(() => !!(document.querySelector('trix-editor#new-description') as unknown as { editor?: unknown } | null)?.editor);
  await asCandidate.fill('#new-title', 'Moving modules online');
  await asCandidate.click('trix-editor#new-description');
  await page.keyboard.type('I support forty lecturers in moving their modules online.');
  await asCandidate.locator('#save-status', { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 30_000 });
  const described = async () => (await Section.findById(contextual._id).lean())!.examples[0]?.description ?? '';
  for (const deadline = Date.now() + 20_000; !(await described()).includes('forty lecturers') && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
  expect(await described()).toContain('forty lecturers');
  await snap(page, 'candidate-writing');
  await frameGoto(asCandidate, `/portfolio/sections/${contextual._id}`);
  await asCandidate.click('#review-request button[type="submit"]');
  await asCandidate.waitForSelector('text=Marked ready for review');

  // the mentor (switching person from the start page) finds it waiting, beside Amara's, and passes it
  const asMentor = await openAs(page, 'practice-helen', /^\/mentoring/);
  await asMentor.waitForSelector('#waiting-heading');
  const waiting = asMentor.locator('.review-queue li', { hasText: 'Rhys Llewellyn' });
  expect(await waiting.count()).toBe(1);
  expect(await asMentor.textContent('.review-queue')).toContain('Amara Okafor');
  await waiting.locator('a').first().click();
  await asMentor.waitForSelector('#decision-meets');
  expect(await asMentor.textContent('main')).toContain('forty lecturers');
  await asMentor.check('#decision-meets');
  await asMentor.fill('#feedback', 'Clear and specific: a good start.');
  await asMentor.click('button:has-text("Save review")');
  await asMentor.waitForSelector('.notice--good');
  expect((await Section.findById(contextual._id).lean())!.state).toBe('meets_criterion');
  await snap(page, 'mentor-review');

  // the tool's VLE worker sends progress; the practice gradebook shows it
  const worker = aWorker(tool);
  await worker.reconcile();
  await settle(worker);
  await page.goto(`${tool.baseUrl}/practice/gradebook`);
  const row = page.locator('tr', { hasText: 'Rhys Llewellyn' });
  expect(await row.locator('td').nth(1).textContent()).toBe('11.11 / 100'); // 1 of 9 assessed areas
  expect(await row.locator('td').nth(2).textContent()).not.toBe('–');
  expect(tool.practice!.ags.scoresFor('practice-rhys').length).toBeGreaterThan(0);
  await expectAxeClean(page);
  await snap(page, 'gradebook');
});

test('the sample portfolio’s pages (candidate overview, a section with comments, the mentor’s dashboard) are axe-clean at full width and 320 px, and work by keyboard', async () => {
  const annotated = await sectionOf('practice-amara', '1a');
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    // the candidate's overview: areas written, one approved, one needing more work, one waiting
    const asAmara = await openAs(page, 'practice-amara', /^\/portfolio/);
    await asAmara.waitForSelector('#progress-heading');
    const overview = await asAmara.textContent('main');
    expect(overview).toContain('1 of 9 assessed sections meet the criterion');
    expect(await frameFits(asAmara)).toBe(true);
    await expectAxeClean(asAmara);
    await snap(page, `amara-overview-${width}`);
    // a section with the mentor's comment and her reply, its example and evidence
    await frameGoto(asAmara, `/mentoring/sections/${annotated._id}`);
    expect(await asAmara.textContent('main')).toContain('what you would do differently next time');
    expect(await asAmara.textContent('main')).toContain('Lecture capture pilot in small seminar rooms');
    expect(await frameFits(asAmara)).toBe(true);
    await expectAxeClean(asAmara);
    await tabToText(page, asAmara, 'Reply');
    await snap(page, `amara-comments-${width}`);
    // the mentor's dashboard: her three candidates, Amara's area waiting for review
    const asHelen = await openAs(page, 'practice-helen', /^\/mentoring/);
    await asHelen.waitForSelector('#waiting-heading');
    expect(await asHelen.textContent('main')).toContain('Mei Lin Chen');
    expect(await frameFits(asHelen)).toBe(true);
    await expectAxeClean(asHelen);
    await tabToText(page, asHelen, 'Contextual statement');
    await snap(page, `helen-dashboard-${width}`);
  }
});

test('the participants, return and auth pages are axe-clean; every practice page fits 320 px', async () => {
  await page.goto(`${tool.baseUrl}/practice/participants`);
  expect(await page.locator('tbody tr').count()).toBe(6);
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

test('"Open in a new window": the launch runs at the top level of a new tab, and the tool works there with its cookies', async () => {
  await page.goto(`${tool.baseUrl}/practice/`);
  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.click('button[data-new-window="practice-amara"]')]);
  try {
    await popup.waitForURL((u) => u.pathname.startsWith('/portfolio'), { timeout: 30_000 });
    await popup.waitForSelector('#progress-heading');
    expect(await popup.textContent('body')).toContain('Amara Okafor');
    expect(await popup.evaluate(() => window.top === window)).toBe(true);
    // a second page in the same window keeps the session: the tool's own cookie, set at the top level
    await popup.click('a:has-text("Contextual statement")');
    await popup.waitForLoadState('load');
    expect(popup.url()).toContain('/portfolio/sections/');
    expect((await page.context().cookies(tool.baseUrl)).length).toBeGreaterThan(0);
    await popup.screenshot({ path: '/tmp/18-new-window.png', fullPage: true });
  } finally {
    await popup.close();
  }
});
