import type { Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser } from '../support/browser';
import { fitsWidth } from '../support/keyboard';
import { launched } from '../mentoring/people';
import { aCandidateWithAPlace, schemeSettings } from './helpers';

const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared' });

async function tabTo(page: Page, selector: string, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`could not reach ${selector} with the Tab key`);
}

/** Axe-clean (WCAG 2.2 AA and best practice) at full width and at 320 px, nothing wider than the screen; a screenshot of each. */
async function checkPage(page: Page, name: string) {
  expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);
  await page.screenshot({ path: `/tmp/20c-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 320, height: 900 });
  expect(await fitsWidth(page)).toBe(true);
  expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);
  await page.screenshot({ path: `/tmp/20c-${name}-320.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the coordinator makes and revokes a report link by keyboard; the manager’s page and the refused page pass axe and fit 320 px', async () => {
  const page = suite.page;
  const coraUser = suite.platform.user({ name: 'Cora Shares', email: 'cora.shares@example.ac.uk' });
  const course = suite.platform.course({ title: 'CMALT 2026-27' });
  const cora = await launched(suite.tool, suite.platform, course, 'Instructor', coraUser);
  expect((await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2026-27', places: '5', sites: 'City campus\nNorth college partner college of further education' }))).status).toBe(200);
  await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Shared');
  await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Shared', { site: 'North college partner college of further education' });

  await launchTopLevelInBrowser(page, suite.tool, suite.platform, { role: 'Instructor', course, user: coraUser });
  const ltik = new URL(page.url()).searchParams.get('ltik')!;
  const at = (path: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

  // From the reports page to report links through the coordinator's navigation, by keyboard.
  await page.goto(at('/scheme/manage/reports'));
  await tabTo(page, 'nav[aria-label="Scheme coordination"] a[href*="/scheme/manage/report-links"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('h1:text("Report links")');
  await checkPage(page, 'report-links');

  // A refused form first (nothing typed in who it is for), then a link made.
  await tabTo(page, 'form[action*="/report-links"] button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).toContain('Enter who the link is for');
  await checkPage(page, 'report-links-refused');
  await tabTo(page, '#scheme-label');
  await page.keyboard.type('Mo Manager, Head of Digital Education');
  await tabTo(page, 'form[action*="/report-links"] button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#made-link');
  const link = await page.inputValue('#made-link');
  expect(link).toMatch(/\/scheme-report\/[\w-]+\.[\w-]+$/);
  await checkPage(page, 'report-links-made');

  // The manager: no launch, no session.
  const manager = await page.context().browser()!.newContext({ locale: 'en-GB' });
  const mo = await manager.newPage();
  try {
    await mo.goto(link);
    await mo.waitForSelector('svg[role="img"]');
    expect(await mo.textContent('#report-scope')).toContain('Shared by Cora Shares');
    await checkPage(mo, 'manager-report');
    await tabTo(mo, 'a[href$="/funnel-site.csv"]');

    // Revoked by keyboard: the manager's next visit is a plain page.
    await tabTo(page, 'form[action*="/revoke"] button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=The link is revoked.');
    expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);
    const gone = await mo.goto(link);
    expect(gone!.status()).toBe(410);
    expect(await mo.textContent('h1')).toBe('This link has been withdrawn');
    await checkPage(mo, 'manager-revoked');
  } finally {
    await manager.close();
  }
}, 180_000);
