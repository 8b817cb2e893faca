import type { Frame, Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchInBrowser, launchTopLevelInBrowser, screenshot } from '../support/browser';
import type { PlatformCourse, PlatformUser } from '../support/platform';
import { aCandidate, aCoordinator, aMentor, sectionNow, writeAndAskForReview } from '../support/factories';
import { tabTo } from '../support/keyboard';

const suite = browserSuite();


async function expectAxeClean(target: Page | Frame) {
  expect(await checkAccessibility(target)).toEqual([]);
}

async function aRound(title: string): Promise<{ course: PlatformCourse; mentorUser: PlatformUser; coraUser: PlatformUser; cand: Awaited<ReturnType<typeof aCandidate>> }> {
  const course = suite.platform.course({ title });
  const coraUser = suite.platform.user({ name: `Cora ${title}` });
  const { session: cora } = await aCoordinator(suite, { course, user: coraUser });
  const mentorUser = suite.platform.user({ name: `Mo ${title}` });
  await aMentor(suite, { course, user: mentorUser });
  const cand = await aCandidate(suite, { course, name: `Cat ${title}` });
  await aCandidate(suite, { course, name: `Dev ${title}` });
  await cora.post('/cohort/assignments', { candidateSub: cand.user.id, mentorSub: mentorUser.id, action: 'assign' });
  await writeAndAskForReview(cand.session, cand.id('future-plans'), 'Next year I will lead a pilot of lecture capture with two departments.');
  return { course, mentorUser, coraUser, cand };
}

describe('mentoring pages in Chromium', () => {
  test('the dashboard inside the VLE frame is axe-clean and the waiting section opens from the keyboard', async () => {
    const { course, mentorUser } = await aRound('Dash');
    const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'TeachingAssistant', user: mentorUser, course });
    await frame.waitForSelector('#waiting-heading');
    expect(await frame.textContent('.review-queue')).toContain('Cat Dash');
    await expectAxeClean(frame);
    await screenshot(suite.page, 'mentoring-dashboard-in-vle');
    await frame.focus('body');
    await tabTo(frame, '.review-queue a');
    await suite.page.keyboard.press('Enter');
    await frame.waitForSelector('#changes-heading');
    expect(await frame.textContent('h1')).toContain('Future plans');
  });

  test('the review page: comment, see the diff after the candidate edits, and pass the section, all by keyboard; axe-clean', async () => {
    const { course, mentorUser, cand } = await aRound('Review');
    const id = cand.id('future-plans');
    await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'TeachingAssistant', user: mentorUser, course });
    const ltik = new URL(suite.page.url()).searchParams.get('ltik')!;
    await suite.page.goto(`${suite.tool.baseUrl}/mentoring/sections/${id}?ltik=${encodeURIComponent(ltik)}`);
    await expectAxeClean(suite.page);

    await tabTo(suite.page, '#new-comment-section');
    await suite.page.keyboard.type('Which two departments?');
    await tabTo(suite.page, '.comment-form button[type=submit]', 5);
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('.notice--good');
    expect(await suite.page.textContent('.comments')).toContain('Which two departments?');

    // The candidate answers and edits (their own pages), then the mentor comes back.
    const v = (await sectionNow(id)).version;
    await cand.session.post(`/portfolio/sections/${id}`, { baseVersion: String(v), format: 'text', body: 'Next year I will lead a pilot of lecture capture with History and Law.' });
    await suite.page.goto(`${suite.tool.baseUrl}/mentoring/sections/${id}?ltik=${encodeURIComponent(ltik)}`);
    await suite.page.waitForSelector('.diff ins');
    expect(await suite.page.textContent('.diff del')).toContain('two departments');
    expect(await suite.page.textContent('.diff ins')).toContain('History and Law');
    await expectAxeClean(suite.page);
    await screenshot(suite.page, 'mentoring-review-page-diff');

    await suite.page.focus('body');
    await tabTo(suite.page, '#decision-meets');
    await suite.page.keyboard.press('Space');
    await tabTo(suite.page, '#feedback', 5);
    await suite.page.keyboard.type('Specific and well planned.');
    await suite.page.keyboard.press('Tab');
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('.notice--good');
    expect(await suite.page.textContent('.notice--good')).toContain('Your review was saved');
    expect((await sectionNow(id)).state).toBe('meets_criterion');
    await expectAxeClean(suite.page);
    await screenshot(suite.page, 'mentoring-review-page-decided');
  });

  test('the candidate sees comments beside their text; the peer and notifications pages are axe-clean', async () => {
    const { course, cand } = await aRound('Candidate');
    await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', user: cand.user, course });
    const ltik = new URL(suite.page.url()).searchParams.get('ltik')!;
    for (const [path, name] of [
      [`/mentoring/sections/${cand.id('future-plans')}`, 'mentoring-candidate-own-section'],
      ['/mentoring/peer', 'mentoring-peer-and-final-review'],
      ['/mentoring/notifications', 'notifications-list'],
      ['/mentoring/notifications/preferences', 'notifications-preferences'],
    ]) {
      const answer = await suite.page.goto(`${suite.tool.baseUrl}${path}?ltik=${encodeURIComponent(ltik)}`);
      expect(answer?.status()).toBe(200);
      await expectAxeClean(suite.page);
      await screenshot(suite.page, name);
    }
  });

  test('the cohort page is axe-clean and a mentor is assigned from the keyboard', async () => {
    const { course, coraUser } = await aRound('Cohort');
    await launchTopLevelInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', user: coraUser, course });
    await suite.page.waitForSelector('#candidates-heading');
    await expectAxeClean(suite.page);
    await screenshot(suite.page, 'cohort-page');
    // One picker for the whole cohort: choose the candidate, then the mentor, then assign.
    await suite.page.focus('body');
    await tabTo(suite.page, '#assign-candidate');
    expect(await suite.page.inputValue('#assign-candidate')).toBe(''); // nobody is chosen for the coordinator
    await suite.page.keyboard.press('ArrowDown'); // Cat Cohort
    await suite.page.keyboard.press('ArrowDown'); // Dev Cohort
    expect(await suite.page.locator('#assign-candidate option:checked').textContent()).toBe('Dev Cohort');
    await suite.page.keyboard.press('Tab');
    expect(await suite.page.evaluate(() => document.activeElement?.id)).toBe('assign-mentor');
    expect(await suite.page.inputValue('#assign-mentor')).toBe('');
    await suite.page.keyboard.press('ArrowDown'); // the first mentor in the list
    expect(await suite.page.inputValue('#assign-mentor')).not.toBe('');
    await suite.page.keyboard.press('Tab');
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('.notice--good');
    expect(await suite.page.textContent('.notice--good')).toContain('Mentor assigned.');
    expect(await suite.page.locator('tr', { hasText: 'Dev Cohort' }).textContent()).toContain('Remove');
    await expectAxeClean(suite.page);
  });
});
