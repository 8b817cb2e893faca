import type { Browser, Frame, Page } from 'playwright-core';
import { checkAccessibility, launchInBrowser, openBrowser } from '../support/browser';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { aCandidate, aWorker, settle } from './support';

let platform: TestPlatform;
let tool: TestTool;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  browser = await openBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await tool?.close();
  await platform?.close();
});

/** Opens a tool page inside the VLE's frame, carrying the session token as the tool's own links do. */
async function open(frame: Frame, path: string): Promise<void> {
  const ltik = new URL(frame.url()).searchParams.get('ltik') ?? (await frame.getAttribute('meta[name="ltik"]', 'content'));
  await frame.goto(`${tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik!)}`);
}

/** Tabs until the focused element's text contains `text`; the page must be usable without a mouse. */
async function tabTo(frame: Frame, text: string): Promise<void> {
  await frame.focus('body');
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await frame.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    if (focused.includes(text)) return;
  }
  throw new Error(`the keyboard never reached “${text}”`);
}

test('the coordinator’s sync view passes axe and “sync now” works from the keyboard', async () => {
  const course = platform.course();
  await aCandidate(tool, platform, course, platform.user({ name: 'Alice Adams' }));
  const failing = await aCandidate(tool, platform, course, platform.user({ name: 'Bob Brown' }));
  const worker = aWorker(tool, { retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 5 } });
  await worker.reconcile();
  platform.ags.failNext(1, 500); // the first post (the line item lookup) fails for one of them: a failed row on the page
  await settle(worker);
  void failing;

  const frame = await launchInBrowser(page, tool, platform, { role: 'Instructor', course });
  await open(frame, '/gradebook');
  await frame.waitForSelector('h1');
  expect(await frame.textContent('h1')).toBe('Grades in the VLE');
  expect(await frame.textContent('table')).toContain('Alice Adams');
  expect(await checkAccessibility(frame)).toEqual([]);

  await tabTo(frame, 'Sync now for Alice Adams');
  await page.keyboard.press('Enter');
  await frame.waitForURL((url) => url.searchParams.get('queued') === '1');
  expect(await frame.textContent('[role="status"]')).toContain('1 grade has been queued');
  expect(await checkAccessibility(frame)).toEqual([]);

  await tabTo(frame, 'Sync all candidates now');
  await page.keyboard.press('Enter');
  await frame.waitForURL((url) => url.searchParams.get('queued') === '2');
});

test('the roster page passes axe and reads the roster from the keyboard', async () => {
  const course = platform.course();
  const teacher = platform.user({ name: 'Clara Coordinator' });
  platform.setMembers(course.id, [
    { user: teacher, roles: ['Instructor'] },
    { user: platform.user({ name: 'Dev Patel' }), roles: ['Learner'] },
    { user: platform.user({ name: 'Eve Evans' }), roles: ['Learner'], status: 'Inactive' },
  ]);
  const frame = await launchInBrowser(page, tool, platform, { role: 'Instructor', course, user: teacher });
  await open(frame, '/gradebook/roster');
  await frame.waitForSelector('h1');
  expect(await checkAccessibility(frame)).toEqual([]);
  await tabTo(frame, 'Read the roster from the VLE now');
  await page.keyboard.press('Enter');
  await frame.waitForURL((url) => url.searchParams.get('synced') === 'ok');
  const table = await frame.textContent('table');
  expect(table).toContain('Dev Patel');
  expect(table).toContain('Never launched');
  expect(table).toContain('Inactive in the VLE');
  expect(await checkAccessibility(frame)).toEqual([]);
});
