import { CookieJar, readForm, send } from '../support/platform/browser-http';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { startTestTool, type TestTool } from '../support/tool';
import { LOGIN_ATTEMPTS } from '../../src/admin/routes-session';
import { ADMIN_TOKEN, signIn } from './admin-client';

describe('signing in to the installer pages', () => {
  const suite = toolSuite();

  test('the installer pages send someone not signed in to the sign-in form', async () => {
    const res = await send(new CookieJar(), `${suite.tool.baseUrl}/admin`);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${suite.tool.baseUrl}/admin/login`);
  });

  test('a change posted without a session is refused with a page and changes nothing', async () => {
    const res = await send(new CookieJar(), `${suite.tool.baseUrl}/admin/platforms/x/deactivate`, { method: 'POST', form: { _csrf: 'x' } });
    expect(res.status).toBe(401);
    expect(res.html).toContain('Your installer session has ended');
  });

  test('the right admin token starts a session kept in a Secure, SameSite=None, Partitioned, HttpOnly cookie', async () => {
    const { client, answer, chain } = await signIn(suite.tool);
    expect(chain[0].status).toBe(303);
    const setCookie = chain[0].headers.getSetCookie().find((c) => c.startsWith('cmalt_installer='));
    expect(setCookie).toBeDefined();
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=None/);
    expect(setCookie).toMatch(/; Partitioned/);
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('VLEs that can launch CMALT Portfolio');
    expect(new URL(answer.url).search).toBe(''); // the cookie arrived, so the token left the address bar
    // with the cookie, later pages work without the session in the URL
    const again = await send(client.jar!, `${suite.tool.baseUrl}/admin/tool`);
    expect(again.status).toBe(200);
    expect(again.html).not.toContain('session=');
  });

  test('when the frame blocks cookies the session travels in links and forms instead', async () => {
    const { client, answer } = await signIn(suite.tool, { cookies: false });
    expect(answer.status).toBe(200);
    expect(answer.html).toMatch(/href="\/admin\/tool\?session=/);
    expect(answer.html).toMatch(/<input type="hidden" name="session" value="/);
    const page = await client.get('/admin/setup/moodle');
    expect(page.status).toBe(200);
    // the session in the address, not a redirect to the sign-in form (which is a 200 page too)
    expect(new URL(page.url).pathname).toBe('/admin/setup/moodle');
    expect(page.html).toContain('Initiate login URL');
  });

  test('signing out ends the cookie session', async () => {
    const { client } = await signIn(suite.tool);
    const out = await client.post('/admin/logout', {}, { follow: false });
    expect(out.status).toBe(303);
    const after = await send(client.jar!, `${suite.tool.baseUrl}/admin`);
    expect(after.status).toBe(303);
  });

  test('an Administrator launch arrives on the installer pages signed in, and its ticket works only once', async () => {
    const admin = suite.platform.user({ name: 'Ada Administrator' });
    const session = await launchAs(suite.tool, suite.platform, { role: 'institution:Administrator', user: admin });
    expect(session.status).toBe(200);
    expect(new URL(session.url).pathname).toBe('/admin');
    expect(session.html).toContain('VLEs that can launch CMALT Portfolio');
    expect(session.html).toContain('Ada Administrator');
    const enter = session.response.chain.find((a) => a.url.includes('/admin/enter'));
    expect(enter).toBeDefined();
    const reused = await send(new CookieJar(), enter!.url);
    expect(reused.status).toBe(401);
    expect(reused.html).toContain('This sign-in link has expired or was already used.');
  });

  test('a learner launch does not reach the installer pages', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    expect(session.ok).toBe(true);
    const res = await session.get('/admin', {}, { follow: false });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${suite.tool.baseUrl}/admin/login`);
  });

  // Last in this file: it uses up the sign-in attempts for 127.0.0.1.
  test('a wrong token gets a 401 page, and repeated wrong tokens are rate limited', async () => {
    const jar = new CookieJar();
    const page = await send(jar, `${suite.tool.baseUrl}/admin/login`);
    const form = readForm(page.html, page.url)!;
    const wrong = await send(jar, form.action, { method: 'POST', form: { ...form.fields, token: 'wrong-token-wrong-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('That admin token is not right.');
    expect(wrong.html).toContain('aria-invalid="true"');
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('cmalt_installer='))).toBe(false);
    for (let i = 1; i < LOGIN_ATTEMPTS.limit; i += 1) {
      expect((await send(jar, form.action, { method: 'POST', form: { ...form.fields, token: `wrong-${i}-xxxxxxxxxxxxxxxx` } })).status).toBe(401);
    }
    const limited = await send(jar, form.action, { method: 'POST', form: { ...form.fields, token: ADMIN_TOKEN } });
    expect(limited.status).toBe(429);
    expect(limited.html).toContain('Too many wrong admin tokens');
    expect(limited.headers.getSetCookie().some((c) => c.startsWith('cmalt_installer='))).toBe(false);
  });
});

describe('signing in when ADMIN_TOKEN is not set', () => {
  let tool: TestTool;
  beforeAll(async () => {
    tool = await startTestTool({ env: { ADMIN_TOKEN: '' } });
  });
  afterAll(async () => tool.close());

  test('the sign-in page explains how to set ADMIN_TOKEN and no token is accepted', async () => {
    const jar = new CookieJar();
    const page = await send(jar, `${tool.baseUrl}/admin/login`);
    expect(page.status).toBe(403);
    expect(page.html).toContain('is not set');
    expect(page.html).toContain('openssl rand -hex 32');
    const tried = await send(jar, `${tool.baseUrl}/admin/login`, { method: 'POST', form: { token: 'anything-anything-anything' } });
    expect(tried.status).toBe(403);
    expect(tried.headers.getSetCookie().some((c) => c.startsWith('cmalt_installer='))).toBe(false);
  });
});
