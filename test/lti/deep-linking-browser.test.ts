import type { Browser, Page } from 'playwright-core';
import { checkAccessibility, launchInBrowser, openBrowser } from '../support/browser';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';

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

test('the pathway page an instructor sees when adding the tool passes axe and works by keyboard alone', async () => {
  const frame = await launchInBrowser(page, tool, platform, { role: 'Instructor', messageType: 'LtiDeepLinkingRequest' });
  await frame.waitForSelector('h1');
  expect(await frame.textContent('h1')).toContain('Choose the pathway for this course');
  expect(await checkAccessibility(frame)).toEqual([]);
  await frame.focus('#pathway');
  await page.keyboard.press('ArrowDown'); // a radio group: arrows move the choice
  expect(await frame.evaluate(() => (document.querySelector('input[name="pathway"]:checked') as HTMLInputElement).value)).toBe('cmalt:senior');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 200 && platform.deepLinkReturns.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
  expect(platform.deepLinkReturns).toHaveLength(1);
  expect(platform.deepLinkReturns[0].problems).toEqual([]);
  expect(platform.deepLinkReturns[0].contentItems).toHaveLength(1);
});
