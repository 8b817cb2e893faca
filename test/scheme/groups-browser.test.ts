import { browserSuite, expectGoodPage, launchTopLevelInBrowser } from '../support/browser';
import { tabTo } from '../support/keyboard';
import { launched } from '../mentoring/people';
import { MentorGroup } from '../../src/scheme/groups.model';
import { Meeting } from '../../src/scheme/meetings.model';
import { aCandidateWithAPlace, londonLocal, schemeSettings } from './helpers';

const suite = browserSuite({ context: { locale: 'en-GB' }, page: 'shared' });
const DAY = 24 * 60 * 60 * 1000;

test('mentor group pages and a group meeting pass axe, fit 320 px and work by keyboard', async () => {
  const course = suite.platform.course({ title: 'Browser groups' });
  const coraUser = suite.platform.user({ name: 'Cora Groups' });
  const cora = await launched(suite.tool, suite.platform, course, 'Instructor', coraUser);
  await cora.post('/scheme/manage/settings', schemeSettings({ places: '4' }));
  await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Mo Groups' }));
  const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Groups');
  await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Groups');

  await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course, user: coraUser });
  const ltik = new URL(suite.page.url()).searchParams.get('ltik')!;
  const at = (path: string) => `${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;
  await suite.page.goto(at('/scheme/manage/groups'));
  await expectGoodPage(suite.page, 'scheme-groups');

  // By keyboard: a group without members is refused, then made.
  await tabTo(suite.page, '#scheme-name');
  await suite.page.keyboard.type('Tuesday group');
  await tabTo(suite.page, '#scheme-mentorId');
  await suite.page.keyboard.press('ArrowDown');
  await tabTo(suite.page, 'form[action*="/scheme/manage/groups"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.error-summary');
  expect(await suite.page.textContent('.error-summary')).toContain('Choose at least one person with a place');
  await expectGoodPage(suite.page, 'scheme-groups-refused');
  await tabTo(suite.page, '#member-0');
  await suite.page.keyboard.press('Space');
  await tabTo(suite.page, 'form[action*="/scheme/manage/groups"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.notice--good');
  await expectGoodPage(suite.page, 'scheme-groups-made');
  const group = (await MentorGroup.findOne({ name: 'Tuesday group' }).lean())!;
  expect(group.memberIds).toEqual([ann.userId]);
  await suite.page.goto(at(`/scheme/manage/groups/${String(group._id)}`));
  await expectGoodPage(suite.page, 'scheme-group');

  // Scheduling a meeting for the group, the group chosen by keyboard.
  await suite.page.goto(at('/scheme/manage/meetings'));
  await suite.page.fill('#scheme-title', 'Tuesday group meeting');
  await suite.page.fill('#scheme-startsAt', londonLocal(3 * DAY));
  await suite.page.fill('#scheme-endsAt', londonLocal(3 * DAY + 60 * 60 * 1000));
  await suite.page.fill('#scheme-place', 'Room 4');
  await tabTo(suite.page, '#scheme-groupId');
  await suite.page.keyboard.press('ArrowDown');
  await tabTo(suite.page, 'form[action$="/scheme/manage/meetings"] button[type="submit"], form[action*="/scheme/manage/meetings?"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('.notice--good');
  expect(await suite.page.textContent('.notice--good')).toContain('in the calendar feeds of the group’s members and mentor');
  expect((await Meeting.findOne({ title: 'Tuesday group meeting' }).lean())!.groupId).toBe(String(group._id));
  await expectGoodPage(suite.page, 'scheme-group-meeting');
  await suite.page.goto(at('/scheme/manage/meetings'));
  await expectGoodPage(suite.page, 'scheme-meetings-with-groups');

  // Deleting the group by keyboard: from its page to the confirm page, which says what happens, then confirmed.
  await suite.page.goto(at(`/scheme/manage/groups/${String(group._id)}`));
  await tabTo(suite.page, 'a[href*="/delete"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('h1:text("Delete Tuesday group?")');
  expect(await suite.page.textContent('main')).toContain('1 meeting still to come will be cancelled');
  await expectGoodPage(suite.page, 'scheme-group-delete');
  await tabTo(suite.page, 'form[action*="/delete"] button[type="submit"]');
  await suite.page.keyboard.press('Enter');
  await suite.page.waitForSelector('text=The group is deleted.');
  expect(await MentorGroup.countDocuments({ _id: group._id })).toBe(0);
  expect((await Meeting.findOne({ title: 'Tuesday group meeting' }).lean())!.cancelled).toBe(true);
  await expectGoodPage(suite.page, 'scheme-groups-after-delete');
});
