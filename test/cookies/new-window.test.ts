import { NewWindowTicket } from '../../src/lti/storage/models';
import { User } from '../../src/people/user.model';
import { launchAs, startLogin, ToolSession, type ToolAnswer } from '../support/launch';
import { startTestPlatform, type LaunchForgery, type PreparedLaunch, type TestPlatform } from '../support/platform';
import { CookieJar, readForm, RefusingCookieJar, send, sendFollowing } from '../support/platform/browser-http';
import { startTestTool, type TestTool } from '../support/tool';
import { countAll, expectNothingStored, expectReadableRefusal } from './helpers';

let platform: TestPlatform;
let tool: TestTool;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  expect((await launchAs(tool, platform, { role: 'Learner' })).ok).toBe(true); // every collection exists
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

/** A launch in a frame whose browser refuses the tool's cookies, without platform storage. */
async function launchRefusingCookies(opts: { role: string; forge?: LaunchForgery; user?: ReturnType<TestPlatform['user']> }): Promise<ToolSession> {
  const login = await startLogin(tool, platform, { ...opts, jar: new RefusingCookieJar() });
  const auth = await login.authorize();
  return auth.submit();
}

const newWindowHref = (html: string) => /<a class="button" id="open-new-window" href="([^"]+)" target="_blank" rel="noopener">/.exec(html)?.[1];

/** What the new window does: the button's URL, top-level, with the browser's own first-party cookies. */
async function openNewWindow(href: string, jar = new CookieJar()): Promise<{ first: ToolAnswer; session?: ToolSession; launch?: PreparedLaunch }> {
  const { final, chain } = await sendFollowing(jar, new URL(href, tool.baseUrl).toString());
  const first = { ...chain[0], chain };
  const form = readForm(final.html, final.url);
  if (!form || !form.fields.id_token) return { first };
  const landed = await sendFollowing(jar, form.action, { method: 'POST', form: form.fields });
  const launch = platform.lastLaunch!;
  return { first, launch, session: new ToolSession(tool, launch, jar, 'launch', { ...landed.final, chain: landed.chain }) };
}

describe('when neither a cookie nor platform storage works', () => {
  test('the frame shows one page with a button that opens the tool in its own window', async () => {
    const s = await launchRefusingCookies({ role: 'Learner' });
    expect(s.status).toBe(200);
    expect(s.html).toMatch(/<h1>Open CMALT Portfolio in a new window<\/h1>/);
    expect(s.html.match(/id="open-new-window"/g)).toHaveLength(1);
    expect(newWindowHref(s.html)).toMatch(/^\/lti\/new-window\/[A-Za-z0-9_-]{20,}$/);
    expect(s.ltik).toBeUndefined();
  });

  test('the new window starts the same login again and lands on the same page, with first-party cookies', async () => {
    const user = platform.user();
    const s = await launchRefusingCookies({ role: 'Instructor', user });
    const framed = platform.lastLaunch!;
    const { first, session, launch } = await openNewWindow(newWindowHref(s.html)!);
    expect(first.status).toBe(303);
    const login = new URL(first.location!, tool.baseUrl);
    expect(login.pathname).toBe('/lti/login');
    for (const [k, v] of Object.entries(framed.loginParams)) expect([k, login.searchParams.get(k)]).toEqual([k, v]);
    expect(session?.ok).toBe(true);
    expect(new URL(session!.url).pathname).toBe('/cohort');
    expect(launch?.user.id).toBe(user.id);
    expect((await session!.get('/cohort')).status).toBe(200);
  });

  test('the button\'s link works once', async () => {
    const s = await launchRefusingCookies({ role: 'Learner' });
    const href = newWindowHref(s.html)!;
    expect((await send(new CookieJar(), new URL(href, tool.baseUrl).toString())).status).toBe(303);
    const again = await send(new CookieJar(), new URL(href, tool.baseUrl).toString());
    expect(again.status).toBe(410);
    expect(again.html).toMatch(/already been used or has expired/);
  });

  test('a browser that refuses cookies even in the new window is told so plainly', async () => {
    const s = await launchRefusingCookies({ role: 'Learner' });
    const { session } = await openNewWindow(newWindowHref(s.html)!, new RefusingCookieJar());
    expectReadableRefusal(session!, 401, /does not accept cookies from CMALT Portfolio/);
  });
});

describe('forged launches without a cookie are refused, never offered a new window', () => {
  const forged: Array<[string, LaunchForgery, number, RegExp]> = [
    ['a bad signature', { badSignature: true }, 401, /signature is not valid/],
    ['a nonce other than the one sent', { wrongNonce: true }, 401, /does not match its sign-in/],
    ['a forged state', { state: 'forged' }, 400, /not started here, or has already been used/],
    ['an unknown deployment', { unknownDeployment: true }, 403, /deployment of CMALT Portfolio is not registered/],
    ['an unknown issuer', { unknownIssuer: true }, 401, /unexpected VLE/],
    ['a missing sub', { missingSub: true }, 400, /did not say who you are/],
  ];
  test.each(forged)('%s', async (_name, forge, status, words) => {
    const before = await countAll();
    const s = await launchRefusingCookies({ role: 'Learner', forge });
    expectReadableRefusal(s, status, words);
    expect(s.html).not.toMatch(/open-new-window/);
    expectNothingStored(before, await countAll());
  });

  test('a replayed id_token', async () => {
    const first = await launchAs(tool, platform, { role: 'Learner' });
    expect(first.ok).toBe(true);
    const before = await countAll();
    const s = await launchRefusingCookies({ role: 'Learner', forge: { replayOf: first.launch } });
    expectReadableRefusal(s, 401, /does not match its sign-in/);
    expectNothingStored(before, await countAll());
  });

  test('nothing of the refused launch can be opened in a new window', async () => {
    const tickets = await NewWindowTicket.countDocuments();
    const users = await User.countDocuments();
    await launchRefusingCookies({ role: 'Learner', user: platform.user(), forge: { badSignature: true } });
    expect(await NewWindowTicket.countDocuments()).toBe(tickets);
    expect(await User.countDocuments()).toBe(users);
  });
});
