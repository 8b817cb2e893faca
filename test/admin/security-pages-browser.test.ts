import type { Page } from 'playwright-core';
import { browserSuite, checkAccessibility, launchTopLevelInBrowser, screenshot } from '../support/browser';
import { launchThroughStorage } from '../cookies/storage-launch';
import { ADMIN_TOKEN } from './admin-client';
import { tabTo } from '../support/keyboard';

/**
 * The pages issue 13 added or changed (installer sign-in, a VLE administrator's own registration and its
 * refusals, the shared-issuer flag, the registration limits, refused sign-in requests, a copied cookieless
 * address), in Chromium: axe (WCAG 2.2 AA and best practice), keyboard only, and at 320 px without sideways scroll.
 */
const suite = browserSuite({
  context: { locale: 'en-GB', viewport: { width: 320, height: 800 } },
  tool: { env: { REGISTRATIONS_PER_HOUR: '2', PENDING_REGISTRATIONS_MAX: '1' } },
});

const fitsWidth = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);

/** Axe-clean (with best practice) and no sideways scrolling at 320 px; a screenshot to look at. */
async function expectGoodPage(p: Page, name: string): Promise<void> {
  await p.waitForSelector('h1');
  expect({ name, violations: await checkAccessibility(p, { bestPractice: true }) }).toEqual({ name, violations: [] });
  expect({ name, fits: await fitsWidth(p) }).toEqual({ name, fits: true });
  await screenshot(p, `security-${name}`);
}


/** The skip link is the first stop and moves focus to the page's main content. */
async function skipLinkWorks(p: Page): Promise<void> {
  await p.keyboard.press('Tab');
  expect(await p.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to main content');
  await p.keyboard.press('Enter');
  expect(await p.evaluate(() => document.activeElement?.id)).toBe('main');
}

test('the installer signs in by keyboard and sees a registration that shares an issuer flagged, all at 320 px', async () => {
  // a second registration claiming the test VLE's issuer under another client: left inactive and flagged
  const twin = await suite.tool.lti.registerPlatform({
    url: suite.platform.issuer,
    name: 'Second registration',
    clientId: 'twin-client',
    authenticationEndpoint: `${suite.platform.baseUrl}/auth`,
    accesstokenEndpoint: `${suite.platform.baseUrl}/token`,
    authConfig: { method: 'JWK_SET', key: `${suite.platform.baseUrl}/jwks` },
  });
  await twin.platformActive(false);
  try {
    await installerJourney();
  } finally {
    await suite.tool.lti.deletePlatform(suite.platform.issuer, 'twin-client'); // a waiting registration would fill the cap below
  }
});

async function installerJourney(): Promise<void> {
  const p = suite.page;
  await p.goto(`${suite.tool.baseUrl}/admin/login`);
  await expectGoodPage(p, 'admin-login');
  await tabTo(p, /Admin token/);
  await p.keyboard.type('wrong-token-here');
  await p.keyboard.press('Enter');
  await p.waitForSelector('.error-summary');
  await expectGoodPage(p, 'admin-login-error');
  await tabTo(p, /Admin token/);
  await p.keyboard.type(ADMIN_TOKEN);
  await p.keyboard.press('Enter');
  await p.waitForURL((url) => url.pathname === '/admin');
  expect(await p.textContent('body')).toContain('Another registration uses the same issuer.');
  expect(p.url()).not.toContain('session='); // the installer session lives in a cookie only
  await expectGoodPage(p, 'admin-shared-issuer');
  await tabTo(p, /^Sign out$/);
  await p.keyboard.press('Enter');
  await p.waitForURL((url) => url.pathname === '/admin/login');
  await p.goto(`${suite.tool.baseUrl}/admin`);
  await p.waitForURL((url) => url.pathname === '/admin/login'); // signed out on the server: /admin asks again
}

test('a VLE administrator sees only their own registration and a refusal in words for anything else, by keyboard', async () => {
  const p = suite.page;
  await launchTopLevelInBrowser(p, suite.tool, suite.platform, { role: 'institution:Administrator', user: suite.platform.user({ name: 'Vee Admin' }) });
  await p.waitForURL((url) => url.pathname === '/admin');
  expect(await p.textContent('h1')).toContain('This VLE’s registration');
  await expectGoodPage(p, 'vle-admin-registration');
  await skipLinkWorks(p);

  await p.goto(`${suite.tool.baseUrl}/admin/tool`);
  expect(await p.textContent('h1')).toContain('Only the tool’s installer can do this');
  await expectGoodPage(p, 'vle-admin-refused');
  await skipLinkWorks(p);
});

test('the registration limits, a refused sign-in request and a copied session address each answer a page in words', async () => {
  const p = suite.page;
  const register = (token: string) => {
    const url = new URL(`${suite.tool.baseUrl}/lti/register`);
    url.searchParams.set('openid_configuration', suite.platform.urls.openIdConfiguration);
    url.searchParams.set('registration_token', token);
    return url.toString();
  };
  // a cookieless session's address, copied into another browser: it explains itself and opens nothing
  // (launched first: the test VLE launches through the newest registration, which the ones below leave waiting)
  const { session } = await launchThroughStorage(suite.tool, suite.platform, { role: 'Learner' });
  expect(session.ok).toBe(true);
  await p.goto(`${suite.tool.baseUrl}/portfolio?ltik=${encodeURIComponent(session.ltik!)}`);
  expect(await p.textContent('h1')).toBe('Open CMALT Portfolio from your VLE');
  // this browser holds no secret for the session, so the page stays as it is: nothing opens
  expect(new URL(p.url()).pathname).toBe('/portfolio');
  expect(await p.isVisible('#resume-why')).toBe(true);
  expect(await p.textContent('#resume-status')).toBe('');
  await expectGoodPage(p, 'copied-session-address');
  await skipLinkWorks(p);

  // the first registration waits for the installer; the second finds the waiting list full; the third is over the hourly limit
  expect((await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`)).status).toBe(200);
  const full = await p.goto(register(suite.platform.newRegistrationToken()));
  expect(full?.status()).toBe(503);
  expect(await p.textContent('h1')).toBe('Too many registrations are waiting');
  await expectGoodPage(p, 'registration-waiting-full');
  const limited = await p.goto(register(suite.platform.newRegistrationToken()));
  expect(limited?.status()).toBe(429);
  expect(await p.textContent('h1')).toBe('Too many registrations from here');
  await expectGoodPage(p, 'registration-rate-limited');
  await skipLinkWorks(p);

  const odd = await p.goto(`${suite.tool.baseUrl}/lti/login?iss[$ne]=x&login_hint=x&target_link_uri=${encodeURIComponent(`${suite.tool.baseUrl}/lti/launch`)}`);
  expect(odd?.status()).toBe(400);
  expect(await p.textContent('body')).toContain('Each part of a sign-in request must be plain text');
  await expectGoodPage(p, 'login-not-plain-text');
});
