import type { Browser, Page } from 'playwright-core';
import { Deployment } from '../../src/lti/deployment.model';
import { checkAccessibility, openBrowser } from '../support/browser';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { ADMIN_TOKEN } from './admin-client';

let platform: TestPlatform;
let tool: TestTool;
let browser: Browser;
let page: Page;

/** Presses Tab until the focused element's text (or label) matches, as a keyboard user would. */
async function tabTo(p: Page, matches: RegExp, maxPresses = 150): Promise<void> {
  for (let i = 0; i < maxPresses; i += 1) {
    await p.keyboard.press('Tab');
    const text = await p.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const id = el.id;
      const label = id ? document.querySelector(`label[for="${id}"]`)?.textContent ?? '' : '';
      return `${el.textContent ?? ''} ${label} ${el.getAttribute('aria-label') ?? ''}`.replace(/\s+/g, ' ').trim();
    });
    if (matches.test(text)) return;
  }
  throw new Error(`Tab never reached an element matching ${matches}`);
}

async function signInWithKeyboard(p: Page): Promise<void> {
  await p.goto(`${tool.baseUrl}/admin/login`);
  await tabTo(p, /Admin token/);
  await p.keyboard.type(ADMIN_TOKEN);
  await p.keyboard.press('Enter');
  await p.waitForURL((url) => url.pathname === '/admin');
}

async function expectAxeClean(p: Page, path: string): Promise<void> {
  if (path) await p.goto(`${tool.baseUrl}${path}`);
  await p.waitForSelector('h1');
  expect({ path, violations: await checkAccessibility(p) }).toEqual({ path, violations: [] });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  browser = await openBrowser();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page?.close();
});
afterAll(async () => {
  await browser?.close();
  await tool?.close();
  await platform?.close();
});

describe('installer pages in Chromium', () => {
  test('the sign-in page passes axe, with and without an error, and works by keyboard alone', async () => {
    await expectAxeClean(page, '/admin/login');
    await tabTo(page, /Admin token/);
    await page.keyboard.type('not-the-token-at-all');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    await expectAxeClean(page, '');
    await signInWithKeyboard(page);
    expect(await page.textContent('h1')).toContain('VLEs that can launch CMALT Portfolio');
  });

  test('every installer page passes axe (WCAG 2.2 AA)', async () => {
    await signInWithKeyboard(page);
    const dep = await Deployment.findOne({}).lean();
    const platformId = await (await tool.lti.getAllPlatforms())[0].platformId();
    for (const path of [
      '/admin',
      '/admin/platforms/new',
      '/admin/tool',
      '/admin/setup/moodle',
      '/admin/setup/canvas',
      '/admin/setup/blackboard',
      '/admin/setup/brightspace',
      `/admin/platforms/${platformId}/remove`,
      `/admin/deployments/${dep!._id}/remove`,
      '/admin/no-such-page',
    ]) {
      await expectAxeClean(page, path);
    }
  });

  test('the add form with errors passes axe and the error summary links to the fields', async () => {
    await signInWithKeyboard(page);
    await page.goto(`${tool.baseUrl}/admin/platforms/new`);
    await tabTo(page, /^Add VLE$/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    await expectAxeClean(page, '');
    expect(await page.getAttribute('#issuer', 'aria-invalid')).toBe('true');
    await page.click('.error-summary a[href="#issuer"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('issuer');
  });

  test('a deployment can be deactivated with the Space key and the VLE removed with Enter after confirming', async () => {
    const deploymentId = tool.deploymentId!;
    await signInWithKeyboard(page);
    await tabTo(page, new RegExp(`^Deactivate deployment ${deploymentId}$`));
    await page.keyboard.press('Space');
    await page.waitForSelector('.notice--good');
    expect((await Deployment.findOne({ deploymentId }).lean())!.active).toBe(false);
    await tabTo(page, /^Add a deployment ID/);
    await page.keyboard.type('bad id');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.field-error');
    await expectAxeClean(page, '');

    await page.goto(`${tool.baseUrl}/admin`);
    await tabTo(page, /^Remove CMALT Test VLE/);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.endsWith('/remove'));
    await tabTo(page, /^Yes, remove it$/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.notice--good');
    expect((await tool.lti.getAllPlatforms()).length).toBe(0);
    expect(await Deployment.countDocuments({})).toBe(0);
  });
});

describe('the dynamic registration page in Chromium', () => {
  test('the page a VLE sees after dynamic registration passes axe and posts the close message', async () => {
    const url = new URL(`${tool.baseUrl}/lti/register`);
    url.searchParams.set('openid_configuration', platform.urls.openIdConfiguration);
    url.searchParams.set('registration_token', platform.newRegistrationToken());
    await page.goto(platform.urls.openIdConfiguration); // a page of the VLE's site, to frame the tool from
    await page.evaluate((src) => {
      const w = window as unknown as { messages: unknown[] };
      w.messages = [];
      window.addEventListener('message', (e) => w.messages.push(e.data));
      const frame = document.createElement('iframe');
      frame.title = 'Register CMALT Portfolio';
      frame.src = src;
      document.body.appendChild(frame);
    }, url.toString());
    await page.waitForFunction(() => document.querySelector('iframe')?.contentWindow?.location.pathname === '/lti/register', undefined, { timeout: 30000 }).catch(() => undefined);
    const frame = page.frame({ url: (u) => u.pathname === '/lti/register' })!;
    await frame.waitForSelector('h1', { timeout: 30000 });
    const heading = await frame.textContent('h1');
    const closed = () => (window as unknown as { messages: Array<{ subject?: string }> }).messages.some((m) => m && m.subject === 'org.imsglobal.lti.close');
    await page.waitForFunction(closed, undefined, { timeout: 5000 }).catch(() => undefined);
    const messages = await page.evaluate(() => (window as unknown as { messages: unknown[] }).messages);
    expect(heading).toBe('Registration received');
    expect(messages).toContainEqual({ subject: 'org.imsglobal.lti.close' }); // frame.js also reports the page height
    expect(await checkAccessibility(frame)).toEqual([]);
  });
});
