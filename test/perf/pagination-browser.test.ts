/*
 * The list pages' pagination in Chromium, in a course of 120 candidates: the cohort, grades and roster pages pass
 * axe (WCAG 2.2 AA and best practice) on their first and second pages, at full width and at 320 px, and a
 * keyboard reaches "Next page" and follows it.
 */
import type { Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { seedCohort, type SeededCohort } from '../support/cohort-seed';

const suite = browserSuite({ page: 'shared' });
let seeded: SeededCohort;
let ltik: string;

beforeAll(async () => {
  seeded = await seedCohort(suite.tool, suite.platform, { candidates: 120, title: 'Paged cohort' });
  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', user: seeded.coordinator, course: seeded.course });
  ltik = new URL(suite.page.url()).searchParams.get('ltik') ?? (await suite.page.getAttribute('meta[name="ltik"]', 'content'))!;
}, 120_000);

const open = (page: Page, path: string) => page.goto(`${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`);

/** Presses Tab from the top of the page until the focused element's text is `text`: reachable without a mouse. */
async function tabTo(page: Page, text: string, max = 300): Promise<void> {
  await page.focus('body');
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    if (focused === text) return;
  }
  throw new Error(`the keyboard never reached “${text}”`);
}

const currentPage = (page: Page) => page.textContent('nav[aria-label="Pages"] [aria-current="page"]');

describe.each([
  { name: 'cohort', path: '/cohort', rows: '#candidates-heading' },
  { name: 'grades', path: '/gradebook', rows: 'table' },
  { name: 'roster', path: '/gradebook/roster', rows: '#roster-heading' },
])('the $name page', ({ name, path, rows }) => {
  afterEach(() => suite.page.setViewportSize({ width: 1280, height: 900 }));

  test('pages 1 and 2 pass axe; the keyboard reaches "Next page" and follows it', async () => {
    const page = suite.page;
    await open(page, path);
    await page.waitForSelector(rows);
    expect((await currentPage(page))?.replace(/\s+/g, ' ').trim()).toBe('Page 1');
    expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);
    await screenshot(page, `24-${name}-page-1`);

    await tabTo(page, 'Next page');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]page=2/);
    expect((await currentPage(page))?.replace(/\s+/g, ' ').trim()).toBe('Page 2');
    expect(await page.textContent('nav[aria-label="Pages"]')).toMatch(/Page 2 of [3-9]/);
    expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);

    await tabTo(page, 'Previous page');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('page') === '1');
    expect((await currentPage(page))?.replace(/\s+/g, ' ').trim()).toBe('Page 1');
  });

  test('at 320 px the page and its pagination pass axe and nothing but the table scrolls sideways', async () => {
    const page = suite.page;
    await page.setViewportSize({ width: 320, height: 800 });
    await open(page, `${path}?page=2`);
    await page.waitForSelector('nav[aria-label="Pages"]');
    expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const nav = await page.$eval('nav[aria-label="Pages"]', (el) => el.getBoundingClientRect().right);
    expect(nav).toBeLessThanOrEqual(320);
    await screenshot(page, `24-${name}-320px`);
  });
});
