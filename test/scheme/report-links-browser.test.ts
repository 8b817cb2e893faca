import { browserSuite, checkAccessibility, expectGoodPage, launchTopLevelInBrowser } from '../support/browser';
import { tabTo } from '../support/keyboard';
import { launched } from '../mentoring/people';
import { aCandidateWithAPlace, schemeSettings } from './helpers';

const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared' });

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
  await expectGoodPage(page, 'scheme-report-links', { axeAt320: true });

  // A refused form first (nothing typed in who it is for), then a link made.
  await tabTo(page, 'form[action*="/report-links"] button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).toContain('Enter who the link is for');
  await expectGoodPage(page, 'scheme-report-links-refused', { axeAt320: true });
  await tabTo(page, '#scheme-label');
  await page.keyboard.type('Mo Manager, Head of Digital Education');
  await tabTo(page, 'form[action*="/report-links"] button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#made-link');
  const link = await page.inputValue('#made-link');
  expect(link).toMatch(/\/scheme-report\/[\w-]+\.[\w-]+$/);
  await expectGoodPage(page, 'scheme-report-links-made', { axeAt320: true });

  // The manager: no launch, no session.
  const manager = await page.context().browser()!.newContext({ locale: 'en-GB' });
  const mo = await manager.newPage();
  try {
    await mo.goto(link);
    await mo.waitForSelector('svg[role="img"]');
    expect(await mo.textContent('#report-scope')).toContain('Shared by Cora Shares');
    await expectGoodPage(mo, 'scheme-report-links-manager-report', { axeAt320: true });
    await tabTo(mo, 'a[href$="/funnel-site.csv"]');

    // Revoked by keyboard: the manager's next visit is a plain page.
    await tabTo(page, 'form[action*="/revoke"] button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=The link is revoked.');
    expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);
    const gone = await mo.goto(link);
    expect(gone!.status()).toBe(410);
    expect(await mo.textContent('h1')).toBe('This link has been withdrawn');
    await expectGoodPage(mo, 'scheme-report-links-manager-revoked', { axeAt320: true });
  } finally {
    await manager.close();
  }
}, 180_000);
