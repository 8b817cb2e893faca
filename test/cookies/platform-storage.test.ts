import { CookielessSession, LoginStart } from '../../src/lti/storage/models';
import { User } from '../../src/people/user.model';
import { launchAs, startLogin } from '../support/launch';
import { startTestPlatform, type LaunchForgery, type TestPlatform } from '../support/platform';
import { RefusingCookieJar, send, sendFollowing } from '../support/platform/browser-http';
import { startTestTool, type TestTool } from '../support/tool';
import { countAll, expectNothingStored, expectReadableRefusal } from './helpers';
import { launchThroughStorage, storageData, type StorageTamper } from './storage-launch';

let platform: TestPlatform;
let tool: TestTool;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  const warm = await launchAs(tool, platform, { role: 'Learner' }); // every collection exists
  expect(warm.ok).toBe(true);
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

describe('login when the VLE offers platform storage', () => {
  test('answers a page that stores the state and nonce in the VLE, then goes on to its sign-in endpoint', async () => {
    const login = await startLogin(tool, platform, { role: 'Learner', storageTarget: 'post_message_forwarding' });
    expect(login.response.status).toBe(200);
    const data = storageData(login.response.html);
    expect(data.mode).toBe('put');
    expect(data.target).toBe('post_message_forwarding');
    expect(data['platform-origin']).toBe(new URL(platform.urls.auth).origin);
    const next = new URL(data.next);
    expect(`${next.origin}${next.pathname}`).toBe(platform.urls.auth);
    expect(next.searchParams.get('state')).toBe(data.state);
    expect(next.searchParams.get('nonce')).toBe(data.nonce);
    expect(data['state-key']).toBe(`lti_state_${data.state}`);
    expect(data['nonce-key']).toBe(`lti_nonce_${data.nonce}`);
    // the nonce on the page is the one the tool will hold the launch to
    expect((await LoginStart.findOne({ state: data.state }).lean())?.nonce).toBe(data.nonce);
    expect((await LoginStart.findOne({ state: data.state }).lean())?.storageTarget).toBe('post_message_forwarding');
    // CSP-safe: one external script from the tool, no inline code
    expect(login.response.html).toMatch(/<script src="\/public\/js\/lti-storage\.js"/);
    expect(login.response.html).not.toMatch(/<script>/);
    expect(login.response.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/);
    // the state cookie is still set, in case the browser keeps it
    expect(login.response.headers.getSetCookie().join('\n')).toMatch(/^state[^=]+=.*Partitioned/m);
  });

  test('a frame name that is not a plain name is ignored, and the login redirects as usual', async () => {
    const login = await startLogin(tool, platform, { role: 'Learner', storageTarget: '"><script>x</script>' });
    expect(login.redirectsToPlatform).toBe(true);
  });

  test('without lti_storage_target the login still redirects straight to the VLE', async () => {
    const login = await startLogin(tool, platform, { role: 'Learner' });
    expect(login.redirectsToPlatform).toBe(true);
  });
});

describe('a launch through platform storage with no cookie at all', () => {
  test('lands on the portfolio, and later pages work without any cookie', async () => {
    const { session, launchPage, storage } = await launchThroughStorage(tool, platform, { role: 'Learner' });
    expect(storageData(launchPage.html).mode).toBe('get');
    expect(storage.size).toBe(2);
    expect(session.ok).toBe(true);
    expect(new URL(session.url).pathname).toBe('/portfolio');
    expect(session.jar.list()).toEqual([]);
    const again = await session.get('/portfolio');
    expect(again.status).toBe(200);
    expect(await CookielessSession.countDocuments()).toBeGreaterThan(0);
  });

  test('a Canvas-style forwarding frame works the same', async () => {
    const { session } = await launchThroughStorage(tool, platform, { role: 'Instructor', storageTarget: 'post_message_forwarding' });
    expect(session.ok).toBe(true);
    expect(new URL(session.url).pathname).toBe('/cohort');
  });

  test('an ordinary launch\'s session still needs its cookie: its ltik alone is refused', async () => {
    const s = await launchAs(tool, platform, { role: 'Learner' });
    expect(s.ok).toBe(true);
    expect(s.html).not.toContain('cmalt-bound'); // a cookie session's links are ordinary links
    const stolen = await send(new RefusingCookieJar(), `${tool.baseUrl}/portfolio?ltik=${encodeURIComponent(s.ltik!)}`);
    expect(stolen.status).toBe(401);
  });

  test('a copied session address opens nothing from a fresh browser without cookies; the launching tab goes on', async () => {
    const candidate = platform.user({ name: 'Carys Copied' });
    const { session, bind } = await launchThroughStorage(tool, platform, { role: 'Learner', user: candidate });
    expect(session.ok).toBe(true);
    expect(session.html).toContain('Carys Copied');
    expect(session.html).toContain('<meta name="cmalt-bound" content="/lti/session/pass">'); // frame.js opens links with a pass
    const landing = session.response.chain[session.response.chain.length - 1].url; // the address bar, pass and all
    for (const copied of [landing, `${tool.baseUrl}/portfolio?ltik=${encodeURIComponent(session.ltik!)}`]) {
      const elsewhere = await send(new RefusingCookieJar(), copied);
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.html).not.toContain('Carys Copied');
      expect(elsewhere.html).toContain('only in the browser tab where you opened it');
      expect(elsewhere.headers.get('cache-control')).toBe('no-store');
    }
    // a wrong secret buys no pass
    const resume = (secret: string) => send(new RefusingCookieJar(), `${tool.baseUrl}/lti/session/pass`, { method: 'POST', form: { ltik: session.ltik!, to: '/portfolio', bind: secret } });
    expect((await resume('A'.repeat(43))).status).toBe(401);
    // the launching tab (its secret in sessionStorage) gets a one-time pass for the same address, and the page
    const passed = await resume(bind!);
    expect(passed.status).toBe(303);
    const page = await send(new RefusingCookieJar(), new URL(passed.location!, tool.baseUrl).toString());
    expect(page.status).toBe(200);
    expect(page.html).toContain('Carys Copied');
    expect((await send(new RefusingCookieJar(), page.url)).status).toBe(401); // that pass worked once
    expect((await session.get('/portfolio')).status).toBe(200); // the tab's own requests carry its secret
  });

  test('a platform-storage launch from a browser that cannot keep the tab\'s secret makes no session', async () => {
    const { session } = await launchThroughStorage(tool, platform, { role: 'Learner', tamper: { bind: null } });
    expect(session.ok).toBe(false);
    expect(session.status).toBe(401);
  });

  test('the finishing post cannot be replayed', async () => {
    const first = await launchThroughStorage(tool, platform, { role: 'Learner' });
    expect(first.session.ok).toBe(true);
    const { final } = await sendFollowing(new RefusingCookieJar(), first.finish!.action, {
      method: 'POST',
      form: first.finish!.fields,
      headers: { Origin: new URL(tool.baseUrl).origin },
    });
    expect(final.status).toBe(400);
    expect(final.html).toMatch(/already been used or has expired/);
  });

  test('the id_token and state re-posted without a cookie are refused (the state is single-use)', async () => {
    const first = await launchThroughStorage(tool, platform, { role: 'Learner' });
    expect(first.session.ok).toBe(true);
    const launch = first.session.launch;
    const { final } = await sendFollowing(new RefusingCookieJar(), launch.redirectUri!, { method: 'POST', form: launch.formFields! });
    expect(final.status).toBe(400);
    expect(final.html).toMatch(/not started here, or has already been used/);
  });
});

describe('forged launches through platform storage are refused and store nothing', () => {
  const forged: Array<[string, LaunchForgery, number, RegExp]> = [
    ['a bad signature', { badSignature: true }, 401, /signature is not valid/],
    ['an unknown deployment', { unknownDeployment: true }, 403, /deployment of CMALT Portfolio is not registered/],
    ['an expired token', { expired: true }, 401, /has expired/],
    ['a wrong aud', { wrongAud: true }, 401, /meant for another tool/],
    ['a wrong message type', { messageType: 'LtiSomethingElse' }, 400, /cannot open this kind of link/],
  ];
  test.each(forged)('%s', async (_name, forge, status, words) => {
    const before = await countAll();
    const { session } = await launchThroughStorage(tool, platform, { role: 'Learner', forge });
    expectReadableRefusal(session, status, words);
    expectNothingStored(before, await countAll());
  });

  test('a nonce in the id_token other than the one sent (storage holds the real one)', async () => {
    const before = await countAll();
    const { session } = await launchThroughStorage(tool, platform, { role: 'Learner', forge: { wrongNonce: true } });
    expectReadableRefusal(session, 401, /could not confirm this sign-in|does not match its sign-in/);
    expectNothingStored(before, await countAll());
  });

  test('a replayed id_token answering a new sign-in', async () => {
    const first = await launchThroughStorage(tool, platform, { role: 'Learner' });
    expect(first.session.ok).toBe(true);
    const before = await countAll();
    const { session } = await launchThroughStorage(tool, platform, { role: 'Learner', forge: { replayOf: first.session.launch } });
    expectReadableRefusal(session, 401, /could not confirm this sign-in|does not match its sign-in/);
    expectNothingStored(before, await countAll());
  });

  test('a forged state (never issued)', async () => {
    const before = await countAll();
    const { session } = await launchThroughStorage(tool, platform, { role: 'Learner', forge: { state: 'forged' } });
    expectReadableRefusal(session, 400, /not started here, or has already been used/);
    expectNothingStored(before, await countAll());
  });

  const tampered: Array<[string, StorageTamper, number, RegExp]> = [
    ['a state from storage that is not the launch\'s', { state: 'someone-elses-state' }, 401, /could not confirm this sign-in/],
    ['a nonce from storage that is not the launch\'s', { nonce: 'someone-elses-nonce' }, 401, /could not confirm this sign-in/],
    ['no values from storage at all', { state: '', nonce: '' }, 401, /could not confirm this sign-in/],
    ['a finishing post from another site', { origin: 'https://evil.example' }, 403, /did not come from CMALT Portfolio/],
    ['a finishing post with no Origin', { origin: null }, 403, /did not come from CMALT Portfolio/],
    ['a finishing post a browser marks cross-site (Origin: null)', { origin: 'null', headers: { 'Sec-Fetch-Site': 'cross-site' } }, 403, /did not come from CMALT Portfolio/],
    ['a finishing post a browser marks same-site, not same-origin', { headers: { 'Sec-Fetch-Site': 'same-site' } }, 403, /did not come from CMALT Portfolio/],
  ];
  test('a pending launch id never issued (the real one is left to expire)', async () => {
    const users = await User.countDocuments();
    const { session } = await launchThroughStorage(tool, platform, { role: 'Learner', user: platform.user(), tamper: { pendingId: 'made-up-id' } });
    expectReadableRefusal(session, 400, /already been used or has expired/);
    expect(await User.countDocuments()).toBe(users);
  });

  test.each(tampered)('%s', async (_name, tamper, status, words) => {
    const before = await countAll();
    const { session } = await launchThroughStorage(tool, platform, { role: 'Learner', tamper });
    expectReadableRefusal(session, status, words);
    expectNothingStored(before, await countAll());
  });
});
