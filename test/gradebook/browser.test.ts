import type { Frame } from 'playwright-core';
import { browserSuite, checkAccessibility, launchInBrowser } from '../support/browser';
import { aCandidate, aWorker, settle } from './support';

const suite = browserSuite({ page: 'shared' });

/** Opens a tool page inside the VLE's frame, carrying the session token as the tool's own links do. */
async function open(frame: Frame, path: string): Promise<void> {
  const ltik = new URL(frame.url()).searchParams.get('ltik') ?? (await frame.getAttribute('meta[name="ltik"]', 'content'));
  await frame.goto(`${suite.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik!)}`);
}

/** Tabs until the focused control's text contains `text`; the page must be usable without a mouse.
 *  Only controls count: the table's focusable scroll region holds every button's text too. */
async function tabTo(frame: Frame, text: string): Promise<void> {
  await frame.focus('body');
  for (let i = 0; i < 60; i += 1) {
    await suite.page.keyboard.press('Tab');
    const focused = await frame.evaluate(() => {
      const el = document.activeElement;
      if (!el || !['BUTTON', 'A', 'INPUT', 'SELECT'].includes(el.tagName)) return '';
      return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    });
    if (focused.includes(text)) return;
  }
  throw new Error(`the keyboard never reached “${text}”`);
}

test('the coordinator’s sync view passes axe and “sync now” works from the keyboard', async () => {
  const course = suite.platform.course();
  await aCandidate(suite.tool, suite.platform, course, suite.platform.user({ name: 'Alice Adams' }));
  const failing = await aCandidate(suite.tool, suite.platform, course, suite.platform.user({ name: 'Bob Brown' }));
  const worker = aWorker(suite.tool, { retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 5 } });
  await worker.reconcile();
  suite.platform.ags.failNext(1, 500); // the first post (the line item lookup) fails for one of them: a failed row on the page
  await settle(worker);
  void failing;

  const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course });
  await open(frame, '/gradebook');
  await frame.waitForSelector('h1');
  expect(await frame.textContent('h1')).toBe('Grades in the VLE');
  expect(await frame.textContent('table')).toContain('Alice Adams');
  expect(await checkAccessibility(frame)).toEqual([]);

  await tabTo(frame, 'Sync now for Alice Adams');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((url) => url.searchParams.get('queued') === '1');
  expect(await frame.textContent('[role="status"]')).toContain('1 grade has been queued');
  expect(await checkAccessibility(frame)).toEqual([]);

  await tabTo(frame, 'Sync all candidates now');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((url) => url.searchParams.get('queued') === '2');
});

test('the roster page passes axe and reads the roster from the keyboard', async () => {
  const course = suite.platform.course();
  const teacher = suite.platform.user({ name: 'Clara Coordinator' });
  suite.platform.setMembers(course.id, [
    { user: teacher, roles: ['Instructor'] },
    { user: suite.platform.user({ name: 'Dev Patel' }), roles: ['Learner'] },
    { user: suite.platform.user({ name: 'Eve Evans' }), roles: ['Learner'], status: 'Inactive' },
  ]);
  const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course, user: teacher });
  await open(frame, '/gradebook/roster');
  await frame.waitForSelector('h1');
  expect(await checkAccessibility(frame)).toEqual([]);
  await tabTo(frame, 'Read the roster from the VLE now');
  await suite.page.keyboard.press('Enter');
  await frame.waitForURL((url) => url.searchParams.get('synced') === 'ok');
  const table = await frame.textContent('table');
  expect(table).toContain('Dev Patel');
  expect(table).toContain('Never launched');
  expect(table).toContain('Inactive in the VLE');
  expect(await checkAccessibility(frame)).toEqual([]);
});
