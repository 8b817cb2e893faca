import { browserSuite, checkAccessibility, launchInBrowser } from '../support/browser';

// Tool and platform share 127.0.0.1 (same site), so Chromium keeps the launch cookies in the iframe;
// the cross-site iframe is a later issue.
const suite = browserSuite();

describe('launching inside the VLE page in Chromium', () => {
  it.each([
    ['Learner', '/portfolio', 'Candidate'],
    ['Instructor#TeachingAssistant', '/mentoring', 'Mentor'],
    ['Instructor', '/cohort', 'Coordinator'],
  ])('a %s lands on %s in the iframe, named in the header, and the page passes axe', async (role, path, label) => {
    const user = suite.platform.user({ name: `Frame ${label}` });
    const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role, user });
    await frame.waitForURL((url) => url.pathname === path, { timeout: 15000 });
    await frame.waitForSelector('h1');
    const header = await frame.textContent('header');
    expect(header).toContain(`Frame ${label}`);
    expect(header).toContain(label);
    expect(await checkAccessibility(frame)).toEqual([]);
  });

  it('the keyboard reaches the skip link first and it moves focus to the main content', async () => {
    const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor' });
    await frame.waitForURL((url) => url.pathname === '/cohort', { timeout: 15000 });
    await frame.focus('body');
    await suite.page.keyboard.press('Tab');
    expect(await frame.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to main content');
    await suite.page.keyboard.press('Enter');
    expect(await frame.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('the coordinator role page passes axe', async () => {
    const course = suite.platform.course();
    const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', course });
    await frame.waitForURL((url) => url.pathname === '/cohort', { timeout: 15000 });
    await frame.focus('a[href^="/lti/roles"]');
    await suite.page.keyboard.press('Enter'); // by keyboard, as the nav must work without a mouse
    await frame.waitForURL((url) => url.pathname === '/lti/roles');
    await frame.waitForSelector('form');
    expect(await checkAccessibility(frame)).toEqual([]);
  });

  it('a refusal page (a forged launch) passes axe', async () => {
    const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Learner', forge: { wrongNonce: true } });
    await frame.waitForSelector('h1');
    expect(await frame.textContent('h1')).toContain('does not match its sign-in');
    expect(await checkAccessibility(frame)).toEqual([]);
  });
});
