import type { Frame } from 'playwright-core';
import { tabToText, fitsWidth } from '../support/keyboard';
import { browserSuite, checkAccessibility, launchInBrowser, screenshot } from '../support/browser';
import { launched } from '../support/factories';

const suite = browserSuite({ page: 'shared' });

const tabTo = (frame: Frame, text: string) => tabToText(suite.page, frame, text, 80);

test('the learning set by keyboard at 320px: post, reply, search and pin, every page passing axe', async () => {
  const course = suite.platform.course({ title: 'Browser set' });
  const cat = await launched(suite, course, 'Learner', suite.platform.user({ name: 'Cat Browser' }));
  await cat.post('/community/posts', { kind: 'practice', title: 'Quizzes for retrieval practice', tried: 'Weekly quizzes', learned: 'Short ones work', tags: 'assessment' });

  await suite.page.setViewportSize({ width: 320, height: 800 });
  const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course, user: suite.platform.user({ name: 'Cora Browser' }) });
  const ltik = await frame.getAttribute('meta[name="ltik"]', 'content');
  await frame.goto(`${suite.tool.baseUrl}/community?ltik=${encodeURIComponent(ltik!)}`);
  expect(await frame.textContent('h1')).toBe('Learning set');
  expect(await checkAccessibility(frame)).toEqual([]);
  expect(await fitsWidth(frame)).toBe(true);
  await screenshot(frame, 'community-space-320');

  // a question, typed and sent from the keyboard
  await tabTo(frame, 'Practice to share');
  await suite.page.keyboard.press('ArrowDown'); // the radio group: arrows choose
  expect(await frame.isChecked('#kind-question')).toBe(true);
  await tabTo(frame, 'Title');
  await suite.page.keyboard.type('How do you time-box reflection?');
  await tabTo(frame, 'My question');
  await suite.page.keyboard.type('I never find the time.');
  await tabTo(frame, 'Post to the set');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.searchParams.get('done') === 'posted');
  expect(await frame.textContent('h1')).toBe('How do you time-box reflection?');
  expect(await checkAccessibility(frame)).toEqual([]);
  expect(await fitsWidth(frame)).toBe(true);

  await tabTo(frame, 'Your reply');
  await suite.page.keyboard.type('Fifteen minutes on Fridays.');
  await tabTo(frame, 'Post reply');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.searchParams.get('done') === 'replied');
  expect(await frame.textContent('main')).toContain('Fifteen minutes on Fridays.');

  await tabTo(frame, 'Pin to the top');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.searchParams.get('done') === 'pin');
  expect(await frame.textContent('[role="status"]')).toContain('pinned');
  expect(await checkAccessibility(frame)).toEqual([]);
  await screenshot(frame, 'community-post-320');

  await tabTo(frame, 'Back to the learning set');
  await suite.page.keyboard.press('Enter');
  await frame.waitForSelector('h2:text("Pinned")');
  await tabTo(frame, 'Words');
  await suite.page.keyboard.type('retrieval');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((u) => u.pathname === '/community/search');
  expect(await frame.textContent('main')).toContain('Quizzes for retrieval practice');
  expect(await checkAccessibility(frame)).toEqual([]);
  expect(await fitsWidth(frame)).toBe(true);
});
