import { launchAs, startLogin } from '../support/launch';
import { toolSuite } from '../support/suite';
import { signIn } from '../admin/admin-client';

const suite = toolSuite();

/** Every cookie a cross-site frame must keep: Secure, SameSite=None, Partitioned (CHIPS), HttpOnly. */
function expectCrossSiteCookie(header: string | undefined): void {
  expect(header).toBeDefined();
  const attrs = header!.split(';').slice(1).map((a) => a.trim().toLowerCase());
  expect(attrs).toEqual(expect.arrayContaining(['secure', 'samesite=none', 'partitioned', 'httponly']));
}

describe('cookies set for a launch inside the VLE frame', () => {
  test('the login\'s state cookie is Secure; SameSite=None; Partitioned; HttpOnly', async () => {
    const login = await startLogin(suite.tool, suite.platform, { role: 'Learner' });
    expect(login.redirectsToPlatform).toBe(true);
    const cookies = login.response.headers.getSetCookie();
    expectCrossSiteCookie(cookies.find((c) => c.startsWith('state')));
  });

  test('the login answered through platform storage sets its state cookie the same way', async () => {
    const login = await startLogin(suite.tool, suite.platform, { role: 'Learner', storageTarget: '_parent' });
    expect(login.response.status).toBe(200);
    expectCrossSiteCookie(login.response.headers.getSetCookie().find((c) => c.startsWith('state')));
  });

  test('the launch sets ltijs\'s session cookie the same way, and clears the state cookie the same way', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    expect(s.ok).toBe(true);
    const launchAnswer = s.response.chain[0];
    const cookies = launchAnswer.headers.getSetCookie();
    expectCrossSiteCookie(cookies.find((c) => c.startsWith('lti'))); // ltijs's session cookie: lti<base64 platform code>
    expectCrossSiteCookie(cookies.find((c) => c.startsWith('state'))); // cleared with the same attributes, so the browser matches it
    expect(cookies.every((c) => /; Partitioned/i.test(c))).toBe(true);
  });

  test('pages after the launch set no cookie that lacks these attributes', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const page = await s.get('/portfolio');
    expect(page.status).toBe(200);
    for (const c of page.headers.getSetCookie()) expectCrossSiteCookie(c);
  });

  test('the installer\'s admin session cookie is Secure; SameSite=None; Partitioned; HttpOnly', async () => {
    const { chain } = await signIn(suite.tool);
    expectCrossSiteCookie(chain[0].headers.getSetCookie().find((c) => c.startsWith('cmalt_installer=')));
  });
});
