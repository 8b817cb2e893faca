import type { Frame } from 'playwright-core';
import { tabToText, fitsWidth } from '../support/keyboard';
import { browserSuite, checkAccessibility, launchInBrowser, screenshot } from '../support/browser';
import { aCandidate, launched } from '../support/factories';

const suite = browserSuite({ page: 'shared' });

const tabTo = (frame: Frame, text: string) => tabToText(suite.page, frame, text, 120);
async function pageIsGood(frame: Frame, name: string) {
  expect(await checkAccessibility(frame)).toEqual([]);
  expect(await fitsWidth(frame)).toBe(true);
  await screenshot(frame, name);
}

test('people, calendar and shared sections by keyboard at 320px, every page passing axe', async () => {
  const course = suite.platform.course({ title: 'Browser peers' });
  const cal = await launched(suite, course, 'Learner', suite.platform.user({ name: 'Cal Browser' }));
  await cal.post('/community/people/me', { site: 'North Campus', interests: 'accessibility', helpWith: 'video captions' });
  const catUser = suite.platform.user({ name: 'Cat Browser' });
  await aCandidate(suite, { course, name: 'Cat Browser', user: catUser });

  await suite.page.setViewportSize({ width: 320, height: 800 });
  const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', course, user: catUser });
  const ltik = await frame.getAttribute('meta[name="ltik"]', 'content');
  const go = (path: string) => frame.goto(`${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik!)}`);

  // the directory: find who knows about accessibility, open their profile, invite them by keyboard
  await go('/community/people');
  expect(await frame.textContent('h1')).toBe('People in the learning set');
  await pageIsGood(frame, 'community-people-320');
  await tabTo(frame, 'Knows about');
  await suite.page.keyboard.type('accessibility');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.searchParams.get('about') === 'accessibility');
  await tabTo(frame, 'Cal Browser');
  await suite.page.keyboard.press('Enter');
  await frame.waitForSelector('h1:text("Cal Browser")');
  await pageIsGood(frame, 'community-person-320');
  await tabTo(frame, 'Message');
  await suite.page.keyboard.type('Could we talk about captions?');
  await tabTo(frame, 'Send the invitation');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.searchParams.get('done') === 'invited');
  await pageIsGood(frame, 'community-invitation-320');

  await go('/community/people/me');
  await pageIsGood(frame, 'community-profile-320');

  // the calendar: propose a session from the keyboard
  const year = new Date().getUTCFullYear() + 1;
  await go(`/community/calendar?month=${year}-01`);
  await pageIsGood(frame, 'community-calendar-320');
  await tabTo(frame, 'Title');
  await suite.page.keyboard.type('Skill-share: alt text');
  await frame.fill('#date', `${year}-01-14`); // the native date and time pickers differ by browser; their fields are plain inputs
  await frame.fill('#start', '14:00');
  await frame.fill('#end', '15:00');
  await tabTo(frame, 'Add to the calendar');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.searchParams.get('done') === 'proposed');
  expect(await frame.textContent('h1')).toBe('Skill-share: alt text');
  await pageIsGood(frame, 'community-session-320');

  // sharing a section with the set
  await go('/community/shared');
  await pageIsGood(frame, 'community-shared-320');
  await tabTo(frame, 'Share with the set');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.searchParams.get('done') === 'shared');
  expect(await frame.textContent('[role="status"]')).toContain('shared with the learning set');
  await pageIsGood(frame, 'community-shared-after-320');
});
