import mongoose from 'mongoose';
import { launchAs, replayIdToken, startLogin, type ToolSession } from '../support/launch';
import { startTestPlatform, type LaunchForgery, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { Deployment } from '../../src/lti/deployment.model';
import { User } from '../../src/people/user.model';

let platform: TestPlatform;
let tool: TestTool;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  // a deployment the installer has switched off
  platform.addDeployment(tool.clientId, 'dep-off');
  await Deployment.create({ platformUrl: platform.issuer, clientId: tool.clientId, deploymentId: 'dep-off', active: false });
  // one good launch first, so every collection ltijs and we use exists and has documents
  const warm = await launchAs(tool, platform, { role: 'Learner' });
  expect(warm.ok).toBe(true);
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

/** Documents in every collection of the tool's database. */
async function countAll(): Promise<Record<string, number>> {
  const db = mongoose.connection.db!;
  const counts: Record<string, number> = {};
  for (const { name } of await db.listCollections().toArray()) counts[name] = await db.collection(name).countDocuments();
  return counts;
}

/** Nothing new in any collection (a refused launch may only consume what its own login issued). */
function expectNothingStored(before: Record<string, number>, after: Record<string, number>): void {
  expect(Object.keys(after)).toContain('users'); // the warm-up launch made every collection: an empty listing would check nothing
  for (const [name, n] of Object.entries(after)) expect({ name, n: n <= (before[name] ?? 0) }).toEqual({ name, n: true });
}

/** A readable refusal: an HTML page with a heading and words, never JSON or a stack trace. */
function expectReadableRefusal(s: ToolSession, status: number, words: RegExp): void {
  expect(s.ok).toBe(false);
  expect(s.status).toBe(status);
  expect(s.response.headers.get('content-type')).toMatch(/text\/html/);
  expect(s.html).toMatch(/<h1>[^<]{10,}<\/h1>/);
  expect(s.html).toMatch(words);
  expect(s.html).not.toMatch(/"error"\s*:|at \w+ \(|node_modules|NO_[A-Z_]+_CLAIM|UNREGISTERED_PLATFORM/);
}

const cases: Array<[string, LaunchForgery | { deploymentId: string }, number, RegExp]> = [
  ['a bad signature', { badSignature: true }, 401, /signature is not valid/],
  ['an unsigned token (alg none)', { unsigned: true }, 401, /signature is not valid/],
  ['an unknown kid', { unknownKid: true }, 401, /unknown key/],
  ['an expired token', { expired: true }, 401, /has expired/],
  ['an iat in the future', { iatInFuture: true }, 401, /dated in the future/],
  ['a wrong aud', { wrongAud: true }, 401, /meant for another tool/],
  ['an azp that is not our client id', { azpMismatch: true }, 401, /meant for another tool/],
  ['an unknown issuer', { unknownIssuer: true }, 401, /unexpected VLE/],
  ['an unknown deployment', { unknownDeployment: true }, 403, /deployment of CMALT Portfolio is not registered/],
  ['a deactivated deployment', { deploymentId: 'dep-off' }, 403, /switched off/],
  ['a nonce other than the one sent', { wrongNonce: true }, 401, /does not match its sign-in/],
  ['a missing state', { state: 'missing' }, 400, /without the sign-in reference/],
  ['a forged state', { state: 'forged' }, 400, /did not issue/],
  ['a wrong message type', { messageType: 'LtiSubmissionReviewRequest' }, 400, /cannot open this kind of link/],
  ['a wrong LTI version', { version: '1.1.0' }, 400, /LTI version is not supported/],
  ['a missing sub', { missingSub: true }, 400, /did not say who you are/],
  ['a missing roles claim', { missingRoles: true }, 400, /did not include your role/],
];

describe('every forged launch is refused with a readable page and stores nothing', () => {
  it.each(cases)('%s', async (_name, forgery, status, words) => {
    const user = platform.user();
    const before = await countAll();
    const options = 'deploymentId' in forgery ? { deploymentId: forgery.deploymentId } : { forge: forgery as LaunchForgery };
    const s = await launchAs(tool, platform, { role: 'Learner', user, ...options });
    expect(s.stage).toBe('launch');
    expectReadableRefusal(s, status, words);
    expectNothingStored(before, await countAll());
    expect(await User.countDocuments({ sub: user.id })).toBe(0);
  });

  it('a replayed id_token and state (same nonce) is refused', async () => {
    const first = await launchAs(tool, platform, { role: 'Learner' });
    expect(first.ok).toBe(true);
    const before = await countAll();
    const replay = await replayIdToken(tool, first.launch);
    expectReadableRefusal(replay, 400, /already been used/);
    const replaySameBrowser = await replayIdToken(tool, first.launch, { jar: first.jar });
    expectReadableRefusal(replaySameBrowser, 400, /already been used/);
    expectNothingStored(before, await countAll());
  });

  it('an earlier id_token answering a new sign-in (replayed nonce) is refused', async () => {
    const user = platform.user();
    const first = await launchAs(tool, platform, { role: 'Learner', user });
    expect(first.ok).toBe(true);
    const before = await countAll();
    const s = await launchAs(tool, platform, { role: 'Learner', user, forge: { replayOf: first.launch } });
    expectReadableRefusal(s, 401, /does not match its sign-in/);
    expectNothingStored(before, await countAll());
  });

  it('a login from a VLE that is not registered gets a readable page', async () => {
    const login = await startLogin(tool, platform, { role: 'Learner' });
    expect(login.redirectsToPlatform).toBe(true); // the real one works
    const res = await fetch(`${tool.baseUrl}/lti/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ iss: 'https://stranger.example.org', login_hint: 'x', target_link_uri: `${tool.baseUrl}/lti/launch` }),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/This VLE is not registered with CMALT Portfolio/);
  });

  it('a login request missing its parameters gets a readable page', async () => {
    const res = await fetch(`${tool.baseUrl}/lti/login`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/incomplete sign-in request/);
  });

  it('when the browser blocked the login cookie, the page says so, offers a new window and names the VLE setting', async () => {
    const user = platform.user();
    const login = await startLogin(tool, platform, { role: 'Learner', user });
    const auth = await login.authorize();
    const s = await auth.submit({ withoutCookies: true });
    expect(s.ok).toBe(false); // no session comes of it
    expect(s.response.headers.get('content-type')).toMatch(/text\/html/);
    expect(s.html).toMatch(/does not let CMALT Portfolio sign you in while it is shown inside the VLE page/);
    expect(s.html).toMatch(/new window/);
    expect(s.html).toMatch(/Moodle: edit the activity/);
    expect(await User.countDocuments({ sub: user.id })).toBe(0);
    const db = mongoose.connection.db!;
    expect(await db.collection('idtokens').countDocuments({ user: user.id })).toBe(0);
  });

  it('when the VLE\'s key set cannot be fetched, the page says so (502) and nothing is stored', async () => {
    const client = platform.addClient({
      jwksUrl: `${tool.baseUrl}/lti/keys`,
      loginUrl: `${tool.baseUrl}/lti/login`,
      targetLinkUri: `${tool.baseUrl}/lti/launch`,
      deploymentIds: ['dep-unreachable'],
    });
    const d = platform.registrationDetailsForTool(client.clientId);
    const registered = await tool.lti.registerPlatform({
      url: d.issuer,
      name: 'VLE with an unreachable key set',
      clientId: d.clientId,
      authenticationEndpoint: d.authorizationEndpoint,
      accesstokenEndpoint: d.tokenEndpoint,
      authConfig: { method: 'JWK_SET', key: 'http://127.0.0.1:1/jwks' },
    });
    await registered.platformActive(true);
    await Deployment.create({ platformUrl: d.issuer, clientId: d.clientId, deploymentId: d.deploymentId, active: true });
    const before = await countAll();
    const s = await launchAs(tool, platform, { role: 'Learner', clientId: client.clientId });
    expectReadableRefusal(s, 502, /could not fetch the keys/);
    expectNothingStored(before, await countAll());
  });

  it('a JSON client is refused with JSON, not a page', async () => {
    const res = await fetch(`${tool.baseUrl}/portfolio`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { id: 'not_launched', message: expect.stringContaining('arrive from your course') } });
  });
});
