import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { checkAccessibility, launchInBrowser, launchTopLevelInBrowser, openBrowser, screenshot } from '../support/browser';
import { startMiniTool, type MiniTool } from './mini-tool';

let browser: Browser;
let page: Page;
let platform: TestPlatform;
let tool: MiniTool;

beforeAll(async () => { browser = await openBrowser(); });
afterAll(async () => { await browser.close(); });

beforeEach(async () => {
  platform = await startTestPlatform();
  tool = await startMiniTool();
  platform.addClient({
    jwksUrl: `${tool.baseUrl}/lti/keys`,
    loginUrl: `${tool.baseUrl}/lti/login`,
    targetLinkUri: `${tool.baseUrl}/lti/launch`,
  });
  page = await (await browser.newContext()).newPage();
});

afterEach(async () => {
  await page.context().close();
  await tool.close();
  await platform.close();
});

test('a launch inside the course page iframe lands in the tool, state cookie and all', async () => {
  const frame = await launchInBrowser(page, tool, platform, { role: 'Learner' });
  expect(await frame.textContent('body')).toContain('Welcome');
  expect(new URL(frame.url()).searchParams.get('ltik')).toMatch(/^lt-/);
  expect(tool.launches).toHaveLength(1);
  await screenshot(page, 'platform-course-page');
});

test('the course page can be opened under another host name (cross-site frame)', async () => {
  const frame = await launchInBrowser(page, tool, platform, { role: 'Learner', pageHost: 'localhost' });
  expect(new URL(page.url()).hostname).toBe('localhost');
  expect(await frame.textContent('body')).toContain('Welcome');
});

test('a top-level launch lands in the tool', async () => {
  const landed = await launchTopLevelInBrowser(page, tool, platform, { role: 'Instructor' });
  expect(await landed.textContent('body')).toContain('Welcome');
});

test('the platform course page has no WCAG A/AA violations', async () => {
  await launchInBrowser(page, tool, platform, {});
  expect(await checkAccessibility(page)).toEqual([]);
});

test('checkAccessibility reports violations readably', async () => {
  await page.setContent('<html><body><img src="x.png"><a href="#"></a></body></html>');
  const violations = await checkAccessibility(page);
  expect(violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['image-alt', 'html-has-lang']));
  expect(violations.find((v) => v.rule === 'image-alt')?.nodes[0]).toMatch(/^img: /);
});

test('a browser launch makes no unexpected calls to the platform', async () => {
  await launchInBrowser(page, tool, platform, { role: 'Learner' });
  platform.assertNoUnexpectedCalls();
});
