import type { Frame, Page } from 'playwright-core';
import { browserSuite, launchInBrowser } from '../support/browser';

const suite = browserSuite({ context: { viewport: { width: 1000, height: 700 } } });

/** The tool frame's height on the VLE's page, and the height of the page inside it. */
async function heights(page: Page, frame: Frame) {
  const outer = await page.evaluate(() => document.getElementById('tool-frame')!.getBoundingClientRect().height);
  const inner = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height);
  return { outer, inner };
}


describe('the tool tells the VLE its height', () => {
  test('the frame grows to a long page and shrinks back for a short one, from both message forms', async () => {
    const page = suite.page;
    const frame = await launchInBrowser(page, suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Hana Height' }) });
    await frame.fill('#name_specialist_1', 'Open education');
    await frame.press('button[type="submit"]', 'Enter'); // Playwright's mouse misplaces clicks in a resized cross-site frame
    await frame.waitForSelector('#progress-heading');
    // the tool lives on another site: the course page reads the frame's height from its messages
    await page.waitForFunction(() => parseFloat((document.getElementById('tool-frame') as HTMLIFrameElement).style.height) > 800, null, { timeout: 5000 });
    const long = (await heights(page, frame));
    expect(Math.abs(long.outer - long.inner)).toBeLessThan(2);
    expect(long.outer).toBeGreaterThan(800);

    await frame.press('nav a:has-text("Evidence")', 'Enter');
    await frame.waitForSelector('h1:has-text("Your evidence")');
    await page.waitForFunction((was) => parseFloat((document.getElementById('tool-frame') as HTMLIFrameElement).style.height) < was, long.outer, { timeout: 5000 });
    const short = await heights(page, frame);
    expect(Math.abs(short.outer - short.inner)).toBeLessThan(2);
    expect(short.outer).toBeLessThan(long.outer);

    const messages = await page.evaluate(() => (window as unknown as { __ltiMessages: unknown[] }).__ltiMessages);
    expect(messages).toContainEqual({ subject: 'lti.frameResize', height: Math.round(short.outer) });
    expect(messages).toContainEqual(JSON.stringify({ subject: 'lti.frameResize', height: Math.round(short.outer) }));
  });
});
