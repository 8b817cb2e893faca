import { CookieJar, readForm, send } from '../support/platform/browser-http';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { startTestTool, type TestTool } from '../support/tool';
import { LOGIN_ATTEMPTS } from '../../src/admin/session.routes';
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

  test('when the frame blocks cookies the session is never put in an address: the page says to open a new window', async () => {
    const { answer, chain } = await signIn(suite.tool, { cookies: false });
    expect(answer.status).toBe(401);
    expect(answer.html).toContain('Open the installer pages in a new window');
    for (const step of chain) {
      expect(step.url).not.toMatch(/session=/);
      expect(step.location ?? '').not.toMatch(/session=/);
    }
    expect(answer.html).not.toMatch(/name="session"|session=/);
  });

  test('signing out ends the cookie session', async () => {
    const { client } = await signIn(suite.tool);
    const cookie = client.jar!.header(new URL(`${suite.tool.baseUrl}/admin`)) ?? '';
    const out = await client.post('/admin/logout', {}, { follow: false });
    expect(out.status).toBe(303);
    const after = await send(client.jar!, `${suite.tool.baseUrl}/admin`);
    expect(after.status).toBe(303);
    // a copy of the cookie taken before signing out is refused too: the session ended on the server
    const copied = await fetch(`${suite.tool.baseUrl}/admin`, { headers: { cookie }, redirect: 'manual' });
    expect(copied.status).toBe(303);
  });

  test('an Administrator launch arrives on the installer pages signed in, and its ticket works only once', async () => {
    const admin = suite.platform.user({ name: 'Ada Administrator' });
    const session = await launchAs(suite.tool, suite.platform, { role: 'institution:Administrator', user: admin });
    expect(session.status).toBe(200);
    expect(new URL(session.url).pathname).toBe('/admin');
    expect(session.html).toContain('This VLE’s registration'); // not in INSTALLERS: their own VLE only
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
