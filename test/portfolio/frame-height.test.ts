import type { Frame, Page } from 'playwright-core';
import { REAL_VLES } from '../support/platform';
import { browserSuite, checkAccessibility, launchInBrowser } from '../support/browser';

/** The tool frame's height on the VLE's page, and the height of the page inside it. */
async function heights(page: Page, frame: Frame) {
  const outer = await page.evaluate(() => document.getElementById('tool-frame')!.getBoundingClientRect().height);
  const inner = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height);
  return { outer, inner };
}

/** Whether an element is wholly inside the frame's own viewport (what the person can see without scrolling). */
const inView = (frame: Frame, selector: string) =>
  frame.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  }, selector);

/** Each VLE's frame, as its profile says it behaves: grows on lti.frameResize, or keeps the window's height. */
describe.each(REAL_VLES)('in $id', (profile) => {
  const suite = browserSuite({ platform: { profile: profile.id }, page: 'shared', context: { viewport: { width: 1000, height: 700 } } });

  test(profile.frameResize ? 'the frame grows to a long page and shrinks back for a short one' : 'the frame does not grow, and the save status and Save stay in view inside the page’s own scroll', async () => {
    const page = suite.page;
    const frame = await launchInBrowser(page, suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: `Hana ${profile.id}` }) });
    await frame.fill('#name_specialist_1', 'Open education');
    await frame.press('button[type="submit"]', 'Enter'); // Playwright's mouse misplaces clicks in a resized cross-site frame
    await frame.waitForSelector('#progress-heading');

    if (profile.frameResize) {
      // the tool lives on another site: the course page reads the frame's height from its messages
      await page.waitForFunction(() => parseFloat((document.getElementById('tool-frame') as HTMLIFrameElement).style.height) > 800, null, { timeout: 5000 });
      const long = await heights(page, frame);
      expect(Math.abs(long.outer - long.inner)).toBeLessThan(2);
      await frame.press('nav a:has-text("Evidence")', 'Enter');
      await frame.waitForSelector('h1:has-text("Your evidence")');
      await page.waitForFunction((was) => parseFloat((document.getElementById('tool-frame') as HTMLIFrameElement).style.height) < was, long.outer, { timeout: 5000 });
      const short = await heights(page, frame);
      expect(Math.abs(short.outer - short.inner)).toBeLessThan(2);
      const messages = await page.evaluate(() => (window as unknown as { __ltiMessages: unknown[] }).__ltiMessages);
      expect(messages).toContainEqual({ subject: 'lti.frameResize', height: Math.round(short.outer) });
      expect(messages).toContainEqual(JSON.stringify({ subject: 'lti.frameResize', height: Math.round(short.outer) }));
      return;
    }

    // Moodle 4.5: the tool still says its height, nobody listens; the frame keeps its size and the page scrolls inside.
    const { outer, inner } = await heights(page, frame);
    expect(inner).toBeGreaterThan(outer + 100);
    await frame.press('a[href*="/portfolio/sections/"]', 'Enter');
    await frame.waitForFunction(() => !!(document.querySelector('trix-editor') as unknown as { editor?: unknown })?.editor);
    expect(await frame.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)).toBe(true);
    await frame.focus('trix-editor#body');
    await page.keyboard.type('Written in a frame that does not grow.');
    await frame.locator('#save-status', { hasText: /Saved/ }).waitFor({ timeout: 10000 });
    // Wherever the editor sits in the inner scroll, the status and the primary action are on screen.
    for (const block of ['start', 'center', 'end'] as const) {
      await frame.evaluate((b) => document.querySelector('trix-editor#body')!.scrollIntoView({ block: b }), block);
      expect(await inView(frame, '#save-status')).toBe(true);
      expect(await inView(frame, '.section-form .actions--sticky button')).toBe(true);
    }
    expect(parseFloat(await page.evaluate(() => getComputedStyle(document.getElementById('tool-frame')!).height))).toBeCloseTo(outer, 0);

    // The coordinator's Teachers page (Moodle's own need): accessible, and usable at 320px.
    const staff = await launchInBrowser(page, suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cora Frame' }) });
    const ltik = new URL(staff.url()).searchParams.get('ltik')!;
    await staff.goto(`${suite.tool.baseUrl}/cohort/teachers?ltik=${encodeURIComponent(ltik)}`);
    await staff.waitForSelector('h1:has-text("Teachers")');
    expect(await checkAccessibility(staff)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 700 });
    expect(await staff.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(true);
  });
});
