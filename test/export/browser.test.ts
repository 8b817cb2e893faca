import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { aWrittenPortfolio, download } from './people';
import { unzip } from './unzip';
import { tabTo } from '../support/keyboard';

const suite = browserSuite({ page: 'shared' });

/** axe-clean, and nothing wider than the window (no sideways scrolling), at 1024 and at 320 px. */
async function expectGoodAtBothWidths(page: Page, name: string) {
  for (const width of [1024, 320]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await checkAccessibility(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1024, height: 800 });
}

describe('export pages in Chromium', () => {
  test('the candidate reads, exports, shares and records the submission by keyboard; every page axe-clean at 320 px', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Browser');
    const page = suite.page;
    await launchTopLevelInBrowser(page, suite.tool, suite.platform, { role: 'Learner', user: w.cat.user, course: w.course });
    const ltik = new URL(page.url()).searchParams.get('ltik')!;
    await page.goto(`${suite.tool.baseUrl}/export?ltik=${encodeURIComponent(ltik)}`);
    await page.waitForSelector('#cover-heading');
    await expectGoodAtBothWidths(page, 'export-reading-view');
    // the print stylesheet hides the tool's header and actions
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('.site-header')).toBe(false);
    expect(await page.isVisible('.book-facts')).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await page.focus('body');
    await tabTo(page, '.actions a:first-child');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#check-heading');
    await expectGoodAtBothWidths(page, 'export-checks');
    await page.focus('body');
    await tabTo(page, 'form:has(input[value="pdf"]) button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Waiting to start.');
    expect(await checkAccessibility(page)).toEqual([]);

    await page.goto(`${suite.tool.baseUrl}/export/portfolios/${w.portfolioId}/links?ltik=${encodeURIComponent(ltik)}`);
    await expectGoodAtBothWidths(page, 'export-assessor-links');
    await page.focus('body');
    await tabTo(page, '#withCode');
    await page.keyboard.press('Space');
    await tabTo(page, 'form button[type=submit]', 5);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#new-link');
    const url = await page.inputValue('#new-link');
    const code = (await page.textContent('#new-code'))!.trim();
    await expectGoodAtBothWidths(page, 'export-assessor-link-made');

    await page.goto(`${suite.tool.baseUrl}/export/portfolios/${w.portfolioId}/submission?ltik=${encodeURIComponent(ltik)}`);
    await expectGoodAtBothWidths(page, 'export-submission');
    await page.focus('body');
    await tabTo(page, '#route-url');
    await tabTo(page, 'form button[type=submit]', 5);
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=The submission to ALT is recorded.');
    await expectGoodAtBothWidths(page, 'export-submission-recorded');

    // the assessor: a fresh browser with no cookies and no VLE
    const assessor = await suite.browser.newContext();
    try {
      const a = await assessor.newPage();
      await a.goto(url);
      await a.waitForSelector('#code');
      await expectGoodAtBothWidths(a, 'assessor-code');
      await a.focus('body');
      await tabTo(a, '#code');
      await a.keyboard.type('WRONG');
      await a.keyboard.press('Enter');
      await a.waitForSelector('.error-summary');
      expect(await checkAccessibility(a)).toEqual([]);
      await a.fill('#code', code);
      await a.keyboard.press('Enter');
      await a.waitForSelector('#cover-heading');
      await expectGoodAtBothWidths(a, 'assessor-reading-view');
      expect(await assessor.cookies()).toEqual([]);
      await a.goto(`${suite.tool.baseUrl}/assessor/${'B'.repeat(43)}`);
      await expectGoodAtBothWidths(a, 'assessor-link-refused');
    } finally {
      await assessor.close();
    }
  });

  test('the website zip opens from disk: its pages are axe-clean at 320 px and link to each other and the evidence', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Disk');
    const zip = await download(w.cat.session, `/export/portfolios/${w.portfolioId}/website`);
    const { dir } = await unzip(zip.body);
    const page = suite.page;
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).toString());
    await expectGoodAtBothWidths(page, 'website-index');
    await page.click('text=1a An understanding of the constraints and benefits of different technologies');
    await page.waitForSelector('h1:has-text("1a An understanding of the constraints")');
    await expectGoodAtBothWidths(page, 'website-area');
    await page.click('text=E1: Options appraisal');
    await page.waitForSelector('#evidence-1');
    expect(page.url()).toContain('evidence.html#evidence-1');
    await expectGoodAtBothWidths(page, 'website-evidence');
    const fileHref = await page.getAttribute('#evidence-1 a', 'href');
    expect(fileHref).toBe('evidence/E1-appraisal.pdf');
  });
});
