import type { Page } from 'playwright-core';
import { Deployment } from '../../src/lti/deployment.model';
import { browserSuite, checkAccessibility, screenshot } from '../support/browser';
import { ADMIN_TOKEN } from './admin-client';
import { tabTo } from '../support/keyboard';

const suite = browserSuite();


async function signInWithKeyboard(p: Page): Promise<void> {
  await p.goto(`${suite.tool.baseUrl}/admin/login`);
  await tabTo(p, /Admin token/);
  await p.keyboard.type(ADMIN_TOKEN);
  await p.keyboard.press('Enter');
  await p.waitForURL((url) => url.pathname === '/admin');
}

async function expectAxeClean(p: Page, path: string): Promise<void> {
  if (path) await p.goto(`${suite.tool.baseUrl}${path}`);
  await p.waitForSelector('h1');
  expect({ path, violations: await checkAccessibility(p) }).toEqual({ path, violations: [] });
}

describe('installer pages in Chromium', () => {
  test('the sign-in page passes axe, with and without an error, and works by keyboard alone', async () => {
    await expectAxeClean(suite.page, '/admin/login');
    await tabTo(suite.page, /Admin token/);
    await suite.page.keyboard.type('not-the-token-at-all');
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('.error-summary');
    await expectAxeClean(suite.page, '');
    await signInWithKeyboard(suite.page);
    expect(await suite.page.textContent('h1')).toContain('VLEs that can launch CMALT Portfolio');
  });

  test('every installer page passes axe (WCAG 2.2 AA)', async () => {
    await signInWithKeyboard(suite.page);
    const dep = await Deployment.findOne({}).lean();
    const platformId = await (await suite.tool.lti.getAllPlatforms())[0].platformId();
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
      await expectAxeClean(suite.page, path);
    }
  });

  test('the add form with errors passes axe and the error summary links to the fields', async () => {
    await signInWithKeyboard(suite.page);
    await suite.page.goto(`${suite.tool.baseUrl}/admin/platforms/new`);
    await tabTo(suite.page, /^Add VLE$/);
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('.error-summary');
    await expectAxeClean(suite.page, '');
    expect(await suite.page.getAttribute('#issuer', 'aria-invalid')).toBe('true');
    await suite.page.click('.error-summary a[href="#issuer"]');
    expect(await suite.page.evaluate(() => document.activeElement?.id)).toBe('issuer');
  });

  test('a deployment can be deactivated with the Space key; the VLE\'s Remove sits at the card\'s foot and removes only after confirming, by keyboard', async () => {
    const deploymentId = suite.tool.deploymentId!;
    await signInWithKeyboard(suite.page);
    await tabTo(suite.page, new RegExp(`^Deactivate deployment ${deploymentId}$`));
    await suite.page.keyboard.press('Space');
    await suite.page.waitForSelector('.notice--good');
    expect((await Deployment.findOne({ deploymentId }).lean())!.active).toBe(false);
    await tabTo(suite.page, /^Add a deployment ID/);
    await suite.page.keyboard.type('bad id');
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('.field-error');
    await expectAxeClean(suite.page, '');

    await suite.page.goto(`${suite.tool.baseUrl}/admin`);
    // The red Remove is at the card's foot, below the deployment form, never in the row with Activate or Deactivate.
    const placement = await suite.page.evaluate(() => {
      const remove = Array.from(document.querySelectorAll('a')).find((a) => (a.textContent ?? '').startsWith('Remove CMALT Test VLE'))!;
      const card = remove.closest('section.card')!;
      const buttons = Array.from(card.querySelectorAll('button'));
      const onOff = buttons.find((b) => /^(Activate|Deactivate) CMALT Test VLE/.test((b.textContent ?? '').trim()))!;
      const addDeployment = buttons.find((b) => (b.textContent ?? '').trim() === 'Add deployment')!;
      return {
        inFoot: card.lastElementChild === remove.closest('.card__foot'),
        besideOnOff: onOff.closest('.actions') === remove.closest('.actions'),
        belowTheForm: remove.getBoundingClientRect().top > addDeployment.getBoundingClientRect().bottom,
      };
    });
    expect(placement).toEqual({ inFoot: true, besideOnOff: false, belowTheForm: true });
    await screenshot(suite.page, 'admin-platforms-remove-at-foot');
    // Asking first: going back removes nothing.
    await tabTo(suite.page, /^Remove CMALT Test VLE/);
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForURL((url) => url.pathname.endsWith('/remove'));
    await tabTo(suite.page, /^No, go back$/);
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForURL((url) => url.pathname === '/admin');
    expect((await suite.tool.lti.getAllPlatforms()).length).toBe(1);
    await tabTo(suite.page, /^Remove CMALT Test VLE/);
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForURL((url) => url.pathname.endsWith('/remove'));
    await tabTo(suite.page, /^Yes, remove it$/);
    await suite.page.keyboard.press('Enter');
    await suite.page.waitForSelector('.notice--good');
    expect((await suite.tool.lti.getAllPlatforms()).length).toBe(0);
    expect(await Deployment.countDocuments({})).toBe(0);
  });
});

describe('the dynamic registration page in Chromium', () => {
  test('the page a VLE sees after dynamic registration passes axe and posts the close message', async () => {
    const url = new URL(`${suite.tool.baseUrl}/lti/register`);
    url.searchParams.set('openid_configuration', suite.platform.urls.openIdConfiguration);
    url.searchParams.set('registration_token', suite.platform.newRegistrationToken());
    await suite.page.goto(suite.platform.urls.openIdConfiguration); // a page of the VLE's site, to frame the tool from
    await suite.page.evaluate((src) => {
      const w = window as unknown as { messages: unknown[] };
      w.messages = [];
      window.addEventListener('message', (e) => w.messages.push(e.data));
      const frame = document.createElement('iframe');
      frame.title = 'Register CMALT Portfolio';
      frame.src = src;
      document.body.appendChild(frame);
    }, url.toString());
    await suite.page.waitForFunction(() => document.querySelector('iframe')?.contentWindow?.location.pathname === '/lti/register', undefined, { timeout: 30000 }).catch(() => undefined);
    const frame = suite.page.frame({ url: (u) => u.pathname === '/lti/register' })!;
    await frame.waitForSelector('h1', { timeout: 30000 });
    const heading = await frame.textContent('h1');
    const closed = () => (window as unknown as { messages: Array<{ subject?: string }> }).messages.some((m) => m && m.subject === 'org.imsglobal.lti.close');
    await suite.page.waitForFunction(closed, undefined, { timeout: 5000 }).catch(() => undefined);
    const messages = await suite.page.evaluate(() => (window as unknown as { messages: unknown[] }).messages);
    expect(heading).toBe('Registration received');
    expect(messages).toContainEqual({ subject: 'org.imsglobal.lti.close' }); // frame.js also reports the page height
    expect(await checkAccessibility(frame)).toEqual([]);
  });
});
