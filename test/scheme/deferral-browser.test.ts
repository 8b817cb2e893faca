import { browserSuite, expectGoodPage, launchTopLevelInBrowser } from '../support/browser';
import { tabTo } from '../support/keyboard';
import { launched } from '../mentoring/people';
import { Portfolio, Section } from '../../src/portfolio/models';
import { aCandidateWithAPlace, schemeSettings } from './helpers';

const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared' });

test('the deferral pages and a withdrawn, read-only portfolio pass axe, fit 320 px and work by keyboard', async () => {
  const coraUser = suite.platform.user({ name: 'Cora Browse' });
  const courseA = suite.platform.course({ title: 'Browser cohort A' });
  const courseB = suite.platform.course({ title: 'Browser cohort B' });
  const cora = await launched(suite.tool, suite.platform, courseA, 'Instructor', coraUser);
  await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Browser set A' }));
  await launched(suite.tool, suite.platform, courseB, 'Instructor', coraUser);
  const dee = await aCandidateWithAPlace(suite.tool, suite.platform, courseA, cora, 'Dee Browse');
  const wyn = await aCandidateWithAPlace(suite.tool, suite.platform, courseA, cora, 'Wyn Browse');
  expect((await wyn.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' })).status).toBe(200);
  const portfolio = (await Portfolio.findOne({ userId: wyn.userId }).lean())!;
  const sectionId = String((await Section.findOne({ portfolio: portfolio._id, areaId: 'future-plans' }).lean())!._id);
  const v = (await Section.findById(sectionId).lean())!.version;
  expect((await wyn.s.post(`/portfolio/sections/${sectionId}`, { baseVersion: String(v), format: 'text', body: 'What I wrote before leaving.' })).status).toBe(200);

  // The candidate's page with a place: withdraw and defer; deferring by keyboard, first without a reason.
  const learner = await suite.browser.newContext({ locale: 'en-GB' });
  const lp = await learner.newPage();
  await launchTopLevelInBrowser(lp, suite.tool, suite.platform, { role: 'Learner', course: courseA, user: dee.user });
  await lp.goto(`${suite.tool.baseUrl}/scheme?ltik=${encodeURIComponent(new URL(lp.url()).searchParams.get('ltik')!)}`);
  await lp.waitForSelector('#scheme-deferReason');
  await expectGoodPage(lp, 'scheme-deferral-place');
  await tabTo(lp, 'form[action*="/scheme/place/defer"] button[type="submit"]');
  await lp.keyboard.press('Enter');
  await lp.waitForSelector('.error-summary');
  await expectGoodPage(lp, 'scheme-deferral-defer-refused');
  await tabTo(lp, '#scheme-deferReason');
  await lp.keyboard.type('A restructure at work.');
  await tabTo(lp, 'form[action*="/scheme/place/defer"] button[type="submit"]');
  await lp.keyboard.press('Enter');
  await lp.waitForSelector('#leaving-note');
  await expectGoodPage(lp, 'scheme-deferral-deferred');
  await learner.close();

  // The coordinator names the next cohort's course by keyboard.
  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course: courseA, user: coraUser });
  const ltik = new URL(suite.page.url()).searchParams.get('ltik')!;
  await suite.page.goto(`${suite.tool.baseUrl}/scheme/manage/next-cohort?ltik=${encodeURIComponent(ltik)}`);
  await expectGoodPage(suite.page, 'scheme-deferral-next-cohort');
  await tabTo(suite.page, 'button[type="submit"]');
  await suite.page.keyboard.press('Enter'); // nothing chosen: refused, the problem linked to the field
  await suite.page.waitForSelector('.error-summary');
  await expectGoodPage(suite.page, 'scheme-deferral-next-cohort-refused');
  await tabTo(suite.page, '#scheme-nextCourseId');
  await suite.page.keyboard.press('ArrowDown');
  await tabTo(suite.page, 'button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.notice--good');
  expect(await suite.page.textContent('main')).toContain('The next cohort runs in Browser cohort B');
  await expectGoodPage(suite.page, 'scheme-deferral-next-cohort-saved');

  // A withdrawn candidate reads their section: the reason shown, nothing to press.
  expect((await wyn.s.post('/scheme/place/withdraw', { reason: 'A new job.' })).status).toBe(200);
  const reader = await suite.browser.newContext({ locale: 'en-GB' });
  const rp = await reader.newPage();
  await launchTopLevelInBrowser(rp, suite.tool, suite.platform, { role: 'Learner', course: courseA, user: wyn.user });
  await rp.goto(`${suite.tool.baseUrl}/portfolio/sections/${sectionId}?ltik=${encodeURIComponent(new URL(rp.url()).searchParams.get('ltik')!)}`);
  await rp.waitForSelector('#write-lock');
  expect(await rp.textContent('#write-lock')).toContain('you can read it but not change it');
  expect(await rp.locator('main button[type="submit"]').count()).toBe(0);
  // The editor is loaded but not put over the text: nothing to type into, nothing autosaved.
  await rp.waitForFunction(() => Boolean(window.customElements.get('trix-editor')));
  expect(await rp.locator('trix-editor').count()).toBe(0);
  expect(await rp.locator('textarea#body[readonly]').count()).toBe(1);
  expect(await rp.locator('form[data-autosave]').count()).toBe(0);
  await expectGoodPage(rp, 'scheme-deferral-withdrawn-section');
  await rp.goto(rp.url().replace(/\/portfolio\/sections\/[0-9a-f]+/, '/portfolio'));
  await rp.waitForSelector('#write-lock');
  expect(await rp.locator('main form').count()).toBe(0); // no "add an area", no next step to write
  expect(await rp.locator('.next-step').count()).toBe(0);
  await expectGoodPage(rp, 'scheme-deferral-withdrawn-overview');
  await rp.goto(rp.url().replace(/\/portfolio(\?|$)/, '/portfolio/evidence$1'));
  expect(await rp.textContent('#write-lock')).toContain('read-only');
  expect(await rp.locator('a[href*="/portfolio/evidence/new"]').count()).toBe(0);
  await expectGoodPage(rp, 'scheme-deferral-withdrawn-evidence');
  // Planning too: readable, the reason shown, no form.
  await rp.goto(rp.url().replace(/\/portfolio\/evidence(\?|$)/, '/portfolio/planning$1'));
  expect(await rp.textContent('#write-lock')).toContain('read-only');
  expect(await rp.locator('main form').count()).toBe(0);
  await expectGoodPage(rp, 'scheme-deferral-withdrawn-planning');
  await rp.goto(rp.url().replace(/\/portfolio\/planning(\?|$)/, '/portfolio/planning/areas/1a$1'));
  expect(await rp.locator('main form, main textarea').count()).toBe(0);
  await expectGoodPage(rp, 'scheme-deferral-withdrawn-planning-area');
  await reader.close();
});
