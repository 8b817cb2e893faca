import { browserSuite, checkAccessibility, expectGoodPage, launchTopLevelInBrowser } from '../support/browser';
import { tabTo } from '../support/keyboard';
import { launched } from '../mentoring/people';
import { Application } from '../../src/scheme/scheme.model';
import { Meeting } from '../../src/scheme/meetings.model';
import { aCandidateWithAPlace, schemeSettings } from './helpers';

const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared' });

test('the funding and reports pages pass axe, fit 320 px and work by keyboard', async () => {
  const page = suite.page;
  const coraUser = suite.platform.user({ name: 'Cora Charts', email: 'cora.charts@example.ac.uk' });
  const lastYear = suite.platform.course({ title: 'CMALT 2025-26' });
  const course = suite.platform.course({ title: 'CMALT 2026-27' });
  const coraOld = await launched(suite.tool, suite.platform, lastYear, 'Instructor', coraUser);
  const cora = await launched(suite.tool, suite.platform, course, 'Instructor', coraUser);
  expect((await coraOld.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2025-26 with a long name for a narrow screen' }))).status).toBe(200);
  expect((await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2026-27', places: '30', sites: 'City campus\nNorth college partner college of further education' }))).status).toBe(200);
  await aCandidateWithAPlace(suite.tool, suite.platform, lastYear, coraOld, 'Olga Earlier');
  const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Charts');
  const ben = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Charts', { site: 'North college partner college of further education' });
  await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Cat Charts', { accept: false });
  // enough people with a place for a second page of each list of people
  await Application.insertMany(Array.from({ length: 20 }, (_, i) => ({ courseId: ann.courseId, userId: `seeded-${i}`, name: `Person ${String(i + 1).padStart(2, '0')}`, state: 'accepted', submittedAt: new Date(), site: 'City campus', support: 'supported' })));
  const held = await Meeting.create({ courseId: ann.courseId, title: 'Kick-off', startsAt: new Date(Date.now() - 2 * 3_600_000), endsAt: new Date(Date.now() - 3_600_000), place: 'Room 1', attended: [ann.userId] });
  expect(held.attended).toHaveLength(1);

  await launchTopLevelInBrowser(page, suite.tool, suite.platform, { role: 'Instructor', course, user: coraUser });
  const ltik = new URL(page.url()).searchParams.get('ltik')!;
  const at = (path: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

  // Funding: a refused allocation (nobody chosen) shows its problem linked to the field; then one by keyboard.
  await page.goto(at('/scheme/manage/funding'));
  await expectGoodPage(page, 'scheme-reports-funding', { axeAt320: true });
  await tabTo(page, 'form[action*="/funding/allocate"] button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).toContain('Choose the candidate to fund.');
  await expectGoodPage(page, 'scheme-reports-funding-refused', { axeAt320: true });
  await tabTo(page, '#scheme-applicationId');
  await page.keyboard.press('ArrowDown'); // the first candidate
  await tabTo(page, 'form[action*="/funding/allocate"] button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.notice--good');
  expect(await page.textContent('#funding-count')).toContain('1 of 8');
  await expectGoodPage(page, 'scheme-reports-funding-allocated', { axeAt320: true });
  // and released again by keyboard
  await tabTo(page, 'form[action*="/release"] button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=The funded submission is released');
  expect(await page.textContent('#funding-count')).toContain('0 of 8');
  expect(await page.textContent('section[aria-labelledby="allocations"] tbody')).toContain('Released on');
  expect(await checkAccessibility(page, { bestPractice: true })).toEqual([]);
  expect(await Application.countDocuments({ courseId: ann.courseId, state: 'accepted' })).toBe(22);
  expect(ben.userId).toBeTruthy();

  // Reports: this course, then a second page of one list by keyboard, then every cohort chosen by keyboard.
  await page.goto(at('/scheme/manage/reports'));
  await page.waitForSelector('svg[role="img"]');
  expect(await page.locator('svg[role="img"] title').first().textContent()).toBe('Funnel: applications at each stage');
  await expectGoodPage(page, 'scheme-reports', { axeAt320: true });
  await tabTo(page, 'a[href*="page_attendance-people=2"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/page_attendance-people=2/);
  expect(await page.locator('section[aria-labelledby="attendance-people"] tbody tr').count()).toBe(2);
  await expectGoodPage(page, 'scheme-reports-page-2', { axeAt320: true });
  await tabTo(page, '#report-cohort');
  await page.keyboard.press('End'); // the last choice: every cohort
  await tabTo(page, 'form.filters button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/cohort=all/);
  expect(await page.textContent('#report-scope')).toContain('every cohort you coordinate (2)');
  expect(await page.locator('section[aria-labelledby="funnel-cohort"] tbody tr').count()).toBe(3);
  await expectGoodPage(page, 'scheme-reports-all', { axeAt320: true });
  // A table that scrolls sideways at 320 px is reachable by keyboard (a focusable, labelled region).
  await page.setViewportSize({ width: 320, height: 900 });
  await tabTo(page, 'div.table-wrap[role="region"]');
  await page.setViewportSize({ width: 1280, height: 900 });
}, 180_000); // many pages, each checked twice by axe: slow on a shared machine
