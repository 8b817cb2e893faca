import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { checkAccessibility, launchInBrowser, openBrowser, openBrowserRefusingCookies, screenshot } from '../support/browser';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';

// The VLE's course page on 127.0.0.1 frames the tool on localhost: another site, as in production.

// In two full runs out of six, one launch in the cookie-refusing profile stalled on the VLE's /auth page (its
// auto-posting form did not reach the tool in 15 s); it never happened with this file alone, under CPU load, or
// beside the other browser files. One retry, with the error logged and the frame's content in it.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
let platform: TestPlatform;
let tool: TestTool;
let toolOrigin: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform, host: 'localhost' });
  toolOrigin = new URL(tool.baseUrl).origin;
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

/** Waits until the frame or page shows the tool at `pathname`. */
async function landsOn(target: Frame | Page, pathname: string): Promise<void> {
  const deadline = Date.now() + 20000;
  while (!(new URL(target.url() || 'about:blank').origin === toolOrigin && new URL(target.url()).pathname === pathname)) {
    if (Date.now() > deadline) throw new Error(`did not land on ${pathname}; at ${target.url()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await target.waitForLoadState('load');
}

const storageLog = (page: Page) => page.evaluate(() => (window as unknown as { __ltiStorageLog?: Array<{ origin: string; subject: string }> }).__ltiStorageLog ?? []);

describe('(a) Chromium blocking third-party cookies, keeping partitioned ones', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('a launch in the VLE frame works through partitioned cookies', async () => {
    const page = await browser.newPage();
    const frame = await launchInBrowser(page, tool, platform, { role: 'Learner' });
    expect(new URL(frame.url()).pathname).toBe('/portfolio');
    const cookies = await page.context().cookies(tool.baseUrl);
    expect(cookies.length).toBeGreaterThan(0);
    // every cookie the tool keeps in the frame is partitioned under the VLE's site
    for (const c of cookies) expect({ name: c.name, partitioned: Boolean((c as { partitionKey?: unknown }).partitionKey) }).toEqual({ name: c.name, partitioned: true });
    await page.close();
  });
});

describe('a Chromium profile that refuses every cookie of the tool inside the VLE page', () => {
  let refusing: { context: BrowserContext; close(): Promise<void> };
  beforeAll(async () => {
    refusing = await openBrowserRefusingCookies({ toolHost: 'localhost', vleHost: '127.0.0.1' });
  });
  // jest retries a failed test after the rest of the block: (c)'s top-level window keeps the tool's cookies,
  // and a failed attempt leaves its page open, so each test starts from no cookies and no pages.
  beforeEach(async () => {
    for (const open of refusing.context.pages()) await open.close();
    await refusing.context.clearCookies();
  });
  afterAll(async () => {
    await refusing?.close();
  });

  test('planning notes still autosave in a frame whose browser storage is blocked, with no script error', async () => {
    const page = await refusing.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const frame = await launchInBrowser(page, tool, platform, { role: 'Learner', storageTarget: '_parent' });
    await landsOn(frame, '/portfolio');
    const ltik = new URL(frame.url()).searchParams.get('ltik')!;
    await frame.goto(`${tool.baseUrl}/portfolio/planning/areas/1a?ltik=${encodeURIComponent(ltik)}`);
    await frame.fill('#new-note-did', 'Compared two quiz tools for the maths team.');
    await frame.fill('#new-note-learned', 'Accessibility decided it.');
    await frame.fill('#new-note-proof', 'The options paper.');
    await frame.locator('#new-note button[type="submit"]').press('Enter'); // by keyboard: the VLE page frames it below the fold
    const note = frame.locator('form[data-autosave-key^="planning:note:"]').first();
    await note.waitFor();
    await note.locator('textarea[name="learned"]').fill('Accessibility decided it, and cost came second.');
    await note.locator('[role="status"]', { hasText: /Saved \d\d:\d\d/ }).waitFor({ timeout: 10000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  test.each(['_parent', 'post_message_forwarding'])('(b) a VLE offering platform storage (%s) launches with no cookie at all', async (storageTarget) => {
    const page = await refusing.context.newPage();
    const frame = await launchInBrowser(page, tool, platform, { role: 'Learner', storageTarget });
    await landsOn(frame, '/portfolio');
    expect(await frame.locator('h1').first().textContent()).toBeTruthy();
    expect(await refusing.context.cookies(tool.baseUrl)).toEqual([]);
    if (storageTarget === '_parent') {
      const subjects = (await storageLog(page)).filter((m) => m.origin === toolOrigin && /_data$/.test(m.subject)).map((m) => m.subject);
      expect(subjects).toEqual(['lti.put_data', 'lti.put_data', 'lti.get_data', 'lti.get_data']);
    }
    // a later page in the frame keeps working without any cookie
    await frame.goto(frame.url());
    expect(new URL(frame.url()).pathname).toBe('/portfolio');
    expect(await frame.locator('main').count()).toBe(1);
    expect(await frame.content()).not.toMatch(/could not find your sign-in/);
    await page.close();
  });

  test('(c) without platform storage the frame offers a new window, which completes the launch on the same page', async () => {
    const page = await refusing.context.newPage();
    const frame = await launchInBrowser(page, tool, platform, { role: 'Instructor' });
    expect(new URL(frame.url()).pathname).toBe('/lti/launch');
    await frame.getByRole('heading', { level: 1, name: 'Open CMALT Portfolio in a new window' }).waitFor();
    expect(await checkAccessibility(frame)).toEqual([]);
    await screenshot(page, 'cookies-new-window-fallback');

    // keyboard: Tab reaches the button, Enter opens the tool's own window
    const button = frame.getByRole('link', { name: 'Open CMALT Portfolio in a new window' });
    expect(await button.getAttribute('target')).toBe('_blank');
    expect(await button.getAttribute('rel')).toBe('noopener');
    await frame.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await frame.evaluate(() => document.activeElement?.id === 'open-new-window');
    }
    expect(reached).toBe(true);
    const popupEvent = refusing.context.waitForEvent('page');
    await page.keyboard.press('Enter');
    const popup = await popupEvent;
    await landsOn(popup, '/cohort');
    expect(await popup.locator('h1').first().textContent()).toBeTruthy();
    expect(await popup.content()).not.toMatch(/could not find your sign-in|blocked the sign-in/);
    await popup.close();
    await page.close();
  });
});

describe('the storage pages are accessible', () => {
  let refusing: { context: BrowserContext; close(): Promise<void> };
  beforeAll(async () => {
    refusing = await openBrowserRefusingCookies({ toolHost: 'localhost', vleHost: '127.0.0.1' });
  });
  afterAll(async () => {
    await refusing?.close();
  });

  test('the signing-in page and the page offering a new window when the VLE\'s storage does not answer', async () => {
    const page = await refusing.context.newPage();
    // the VLE offers storage in a frame that never answers (a broken platform): put and get both time out
    await page.route(`${platform.baseUrl}/post-message-forwarding*`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>x</title>' }));
    const frame = await launchInBrowser(page, tool, platform, { role: 'Learner', storageTarget: 'post_message_forwarding', timeoutMs: 20000 });
    expect(new URL(frame.url()).pathname).toBe('/lti/launch');
    await frame.locator('#new-window-offer').waitFor({ state: 'visible', timeout: 10000 });
    expect(await frame.locator('#storage-status').textContent()).toMatch(/could not confirm/);
    expect(await checkAccessibility(frame)).toEqual([]);
    await screenshot(page, 'cookies-storage-no-answer');
    await page.close();
  });

  test('the page shown while the sign-in is stored in the VLE', async () => {
    const page = await refusing.context.newPage();
    // hold the page still: its script does not run, so it does not move on to the VLE
    await page.route(`${toolOrigin}/public/js/lti-storage.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    const launch = platform.prepareLaunch({ roles: ['Learner'], storageTarget: '_parent' });
    await page.goto(platform.coursePageUrl(launch));
    const frame = (await (await page.waitForSelector('#tool-frame')).contentFrame())!;
    await frame.waitForSelector('#lti-storage[data-mode="put"]');
    expect(await checkAccessibility(frame)).toEqual([]);
    await page.close();
  });
});
