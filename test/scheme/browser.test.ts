import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { tabTo } from '../support/keyboard';
import { Application } from '../../src/scheme/scheme.model';
import { askLineManager } from '../../src/scheme/support.service';
import { SchemeEmail } from '../../src/scheme/scheme.model';
import { Meeting } from '../../src/scheme/meetings.model';
import { launched } from '../mentoring/people';
import { aCandidateWithAPlace, londonLocal, schemeSettings } from './helpers';

const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared' });
const local = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 16);
const DAY = 24 * 60 * 60 * 1000;
const fitsWidth = () => suite.page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);

/** Axe-clean, and nothing wider than a 320px screen. */
async function checkPage(name: string) {
  expect(await checkAccessibility(suite.page)).toEqual([]);
  await suite.page.setViewportSize({ width: 320, height: 800 });
  expect(await fitsWidth()).toBe(true);
  await screenshot(suite.page, `scheme-${name}-320`);
  await suite.page.setViewportSize({ width: 1280, height: 800 });
}

test('every scheme page passes axe, fits 320px, and the forms work by keyboard', async () => {
  const course = suite.platform.course({ title: 'Browser scheme' });
  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course, user: suite.platform.user({ name: 'Cora Browser' }) });
  const coraLtik = new URL(suite.page.url()).searchParams.get('ltik')!;
  const at = (path: string, ltik: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

  await suite.page.goto(at('/scheme/manage', coraLtik));
  await checkPage('settings');
  // Keyboard: fill the settings and save with Enter on the button.
  await tabTo(suite.page, '#scheme-cohortName');
  await suite.page.keyboard.type('Browser cohort');
  await suite.page.fill('#scheme-places', '2');
  await suite.page.fill('#scheme-sites', 'City campus');
  await suite.page.fill('#scheme-callOpensAt', local(-DAY));
  await suite.page.fill('#scheme-callClosesAt', local(3 * DAY));
  await tabTo(suite.page, 'form button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.notice--good');
  await checkPage('settings-saved');

  const learner = await suite.browser.newContext({ locale: 'en-GB' });
  const lp = await learner.newPage();
  await launchTopLevelInBrowser(lp, suite.tool, suite.platform, { role: 'Learner', course, user: suite.platform.user({ name: 'Lee Browser', email: 'lee@example.ac.uk' }) });
  expect(new URL(lp.url()).pathname).toBe('/scheme');
  expect(await checkAccessibility(lp)).toEqual([]);
  await lp.fill('#scheme-jobTitle', 'Learning technologist');
  await lp.selectOption('#scheme-site', 'City campus');
  await lp.selectOption('#scheme-pathway', 'cmalt');
  await lp.fill('#scheme-justification', 'Time to reflect.');
  await lp.fill('#scheme-lineManagerName', 'Mia Manager');
  await lp.fill('#scheme-lineManagerEmail', 'not-an-email');
  await lp.click('button[formaction*="/scheme/application/send"]');
  await lp.waitForSelector('.error-summary');
  expect(await checkAccessibility(lp)).toEqual([]); // the refused form, with its problem linked to the field
  await lp.fill('#scheme-lineManagerEmail', 'mia@example.ac.uk');
  await lp.click('button[formaction*="/scheme/application/send"]');
  await lp.waitForSelector('#status-heading');
  expect(await checkAccessibility(lp)).toEqual([]);
  await learner.close();

  const app = (await Application.findOne({ name: 'Lee Browser' }).lean())!;
  await suite.page.goto(at('/scheme/manage/applications', coraLtik));
  await checkPage('applications');
  await suite.page.goto(at(`/scheme/manage/applications/${app._id}`, coraLtik));
  await checkPage('application');

  // The line manager's page, from a fresh link (the test reads the queued email).
  await SchemeEmail.deleteMany({});
  await askLineManager(app, suite.tool.baseUrl);
  const mail = (await SchemeEmail.findOne({ to: 'mia@example.ac.uk' }).lean())!;
  const link = /\/scheme-support\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  await suite.page.goto(`${suite.tool.baseUrl}${link}`);
  await checkPage('line-manager');
  await tabTo(suite.page, '#answer-yes');
  await suite.page.keyboard.press('Space');
  await tabTo(suite.page, 'form button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('text=Thank you');
  expect(await checkAccessibility(suite.page)).toEqual([]);
  expect((await Application.findById(app._id).lean())!.support).toBe('supported');
});

test('the meetings pages pass axe, fit 320px, and a meeting is scheduled and attendance taken by keyboard', async () => {
  const course = suite.platform.course({ title: 'Browser meetings' });
  const coraUser = suite.platform.user({ name: 'Cora Meetings' });
  const cora = await launched(suite.tool, suite.platform, course, 'Instructor', coraUser);
  expect((await cora.post('/scheme/manage/settings', schemeSettings())).status).toBe(200);
  const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Browser');
  await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Browser');
  const at = (path: string, ltik: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;

  // Set up over HTTP; the pages are then driven in the browser, each person signed in there by their own launch.
  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course, user: coraUser });
  const coraLtik = new URL(suite.page.url()).searchParams.get('ltik')!;
  await suite.page.goto(at('/scheme/manage/meetings', coraLtik));
  await checkPage('meetings-manage');
  // Keyboard only: the refused form first (end before start), then the corrected one.
  await tabTo(suite.page, '#scheme-title');
  await suite.page.keyboard.type('Kick-off planning');
  await suite.page.fill('#scheme-startsAt', londonLocal(3 * DAY));
  await suite.page.fill('#scheme-endsAt', londonLocal(3 * DAY - 60 * 60 * 1000));
  await tabTo(suite.page, '#scheme-place');
  await suite.page.keyboard.type('Room 1, City campus');
  await tabTo(suite.page, 'section[aria-labelledby="new-meeting"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.error-summary');
  expect(await checkAccessibility(suite.page)).toEqual([]);
  await suite.page.fill('#scheme-endsAt', londonLocal(3 * DAY + 60 * 60 * 1000));
  await suite.page.focus('#scheme-endsAt');
  await tabTo(suite.page, 'section[aria-labelledby="new-meeting"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.notice--good');
  await checkPage('meeting-manage');

  // A meeting that has happened: attendance by keyboard (Space on a checkbox, Enter on the button).
  const courseId = (await Meeting.findOne({ title: 'Kick-off planning' }).lean())!.courseId;
  const past = await Meeting.create({ courseId, title: 'Core area 1', place: 'Room 2', startsAt: new Date(Date.now() - 3 * 60 * 60 * 1000), endsAt: new Date(Date.now() - 2 * 60 * 60 * 1000) });
  await suite.page.goto(at(`/scheme/manage/meetings/${past._id}`, coraLtik));
  await checkPage('meeting-attendance');
  await tabTo(suite.page, '#att-0');
  await suite.page.keyboard.press('Space');
  await tabTo(suite.page, 'section[aria-labelledby="attendance"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.notice--good');
  expect((await Meeting.findById(past._id).lean())!.attended).toEqual([ann.userId]);

  // The candidate's view: the list, one meeting, and their calendar address.
  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', course, user: ann.user });
  const annLtik = new URL(suite.page.url()).searchParams.get('ltik')!;
  await suite.page.goto(at('/scheme/meetings', annLtik));
  await tabTo(suite.page, 'section[aria-labelledby="feed"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('#feed-url');
  await checkPage('meetings-candidate');
  await suite.page.goto(at('/scheme/meetings?when=past', annLtik));
  await checkPage('meetings-past');
  await suite.page.goto(at(`/scheme/meetings/${past._id}`, annLtik));
  await checkPage('meeting-candidate');
});
