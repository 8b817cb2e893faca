import { startTestPlatform, decodeJwt, verifyWithJwks, type TestPlatform } from '../support/platform';
import { launchAs, replayIdToken, startLogin } from '../support/launch';
import { startMiniTool, type MiniTool } from './mini-tool';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

let platform: TestPlatform;
let tool: MiniTool;

beforeEach(async () => {
  platform = await startTestPlatform();
  tool = await startMiniTool();
  platform.addClient({
    clientId: 'tool-1',
    jwksUrl: `${tool.baseUrl}/lti/keys`,
    loginUrl: `${tool.baseUrl}/lti/login`,
    targetLinkUri: `${tool.baseUrl}/lti/launch`,
    deploymentIds: ['dep-1'],
  });
});

afterEach(async () => {
  await tool.close();
  await platform.close();
});

async function tokenOf(opts: Parameters<TestPlatform['prepareLaunch']>[0]) {
  const login = await startLogin(tool, platform, opts);
  const auth = await login.authorize();
  const idToken = auth.form!.fields.id_token;
  return { login, auth, idToken, decoded: decodeJwt(idToken) };
}

const platformJwks = async () => (await (await fetch(platform.urls.jwks)).json()) as { keys: [] };

test('a complete launch reaches the landing page with ltik and csrf token', async () => {
  const alice = platform.user({ name: 'Alice Smith' });
  const course = platform.course({ title: 'CMALT 2026' });
  const session = await launchAs(tool, platform, { role: 'Learner', user: alice, course });
  expect(session.ok).toBe(true);
  expect(session.ltik).toMatch(/^lt-/);
  expect(session.csrfToken).toBe('csrf-1');
  const claims = tool.launches[0].claims;
  expect(claims.sub).toBe(alice.id);
  expect(claims[`${LTI}roles`]).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']);
  expect(claims[`${LTI}context`]).toMatchObject({ id: course.id, title: 'CMALT 2026' });
  expect(claims[`${LTI}deployment_id`]).toBe('dep-1');
  expect(claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']).toMatchObject({ lineitems: `${platform.baseUrl}/ags/contexts/${course.id}/lineitems` });
  expect(claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice']).toMatchObject({ service_versions: ['2.0'] });
  platform.assertNoUnexpectedCalls();
});

test('session helpers carry ltik, csrf token and cookies', async () => {
  const session = await launchAs(tool, platform, { role: 'Instructor' });
  const answer = await session.postJson('/echo', { a: 1 });
  expect(answer.json()).toMatchObject({ auth: `Bearer ${session.ltik}`, csrf: 'csrf-1' });
  const form = await session.post('/echo', { b: '2' });
  expect(form.json()).toMatchObject({ body: { ltik: session.ltik, _csrf: 'csrf-1', b: '2' } });
});

test('JWKS serves a key that verifies the id_token it signs', async () => {
  const { idToken } = await tokenOf({ roles: ['Learner'] });
  expect(verifyWithJwks(idToken, await platformJwks())).toMatchObject({ ok: true });
});

test('the id_token answers the nonce the tool sent', async () => {
  const { login, decoded } = await tokenOf({});
  expect(decoded.payload.nonce).toBe(login.authRequest.nonce);
});

test('auth refuses an unregistered redirect_uri and an unknown client', async () => {
  const launch = platform.prepareLaunch({});
  const url = new URL(platform.urls.auth);
  const base = { scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', login_hint: launch.user.id, lti_message_hint: launch.hint, state: 's', nonce: 'n' };
  for (const [k, v] of Object.entries({ ...base, client_id: 'tool-1', redirect_uri: 'http://evil.example/launch' })) url.searchParams.set(k, v);
  expect((await fetch(url)).status).toBe(400);
  url.searchParams.set('client_id', 'nobody');
  url.searchParams.set('redirect_uri', `${tool.baseUrl}/lti/launch`);
  expect((await fetch(url)).status).toBe(400);
});

describe('forgery knobs produce what they say', () => {
  test('badSignature keeps the good kid but does not verify', async () => {
    const { decoded, idToken } = await tokenOf({ forge: { badSignature: true } });
    expect(decoded.header.kid).toBe(platform.keys.kid);
    expect(verifyWithJwks(idToken, await platformJwks())).toEqual({ ok: false, reason: 'signature does not verify' });
  });
  test('unknownKid names a key the JWKS does not serve', async () => {
    const { decoded } = await tokenOf({ forge: { unknownKid: true } });
    expect(decoded.header.kid).toBe(platform.keys.rogueKid);
    expect((await platformJwks()).keys.map((k: { kid: string }) => k.kid)).not.toContain(platform.keys.rogueKid);
  });
  test('expired and iatInFuture', async () => {
    const now = Date.now() / 1000;
    expect((await tokenOf({ forge: { expired: true } })).decoded.payload.exp).toBeLessThan(now);
    expect((await tokenOf({ forge: { iatInFuture: true } })).decoded.payload.iat).toBeGreaterThan(now + 60);
  });
  test('wrongAud and azpMismatch', async () => {
    expect((await tokenOf({ forge: { wrongAud: true } })).decoded.payload.aud).not.toBe('tool-1');
    const { payload } = (await tokenOf({ forge: { azpMismatch: true } })).decoded;
    expect(payload.aud).toEqual(['tool-1', expect.any(String)]);
    expect(payload.azp).not.toBe('tool-1');
  });
  test('unknownIssuer, unknownDeployment, wrongNonce', async () => {
    expect((await tokenOf({ forge: { unknownIssuer: true } })).decoded.payload.iss).not.toBe(platform.issuer);
    expect((await tokenOf({ forge: { unknownDeployment: 'dep-gone' } })).decoded.payload[`${LTI}deployment_id`]).toBe('dep-gone');
    const { login, decoded } = await tokenOf({ forge: { wrongNonce: true } });
    expect(decoded.payload.nonce).not.toBe(login.authRequest.nonce);
  });
  test('message type, version, missing sub and roles', async () => {
    const p = async (forge: object) => (await tokenOf({ forge })).decoded.payload;
    expect((await p({ messageType: 'LtiSubmissionReviewRequest' }))[`${LTI}message_type`]).toBe('LtiSubmissionReviewRequest');
    expect((await p({ version: '1.1.0' }))[`${LTI}version`]).toBe('1.1.0');
    expect(await p({ missingSub: true })).not.toHaveProperty('sub');
    expect(await p({ missingRoles: true })).not.toHaveProperty([`${LTI}roles`]);
  });
  test('state missing or forged', async () => {
    expect((await tokenOf({ forge: { state: 'missing' } })).auth.form!.fields).not.toHaveProperty('state');
    const { login, auth } = await tokenOf({ forge: { state: 'forged' } });
    expect(auth.form!.fields.state).not.toBe(login.authRequest.state);
    const refused = await launchAs(tool, platform, { forge: { state: 'forged' } });
    expect(refused.ok).toBe(false);
    expect(refused.status).toBe(401);
  });
  test('replayOf answers the earlier id_token; replayIdToken re-posts it', async () => {
    const first = await launchAs(tool, platform, {});
    const second = await tokenOf({ forge: { replayOf: first.launch } });
    expect(second.idToken).toBe(first.launch.idToken);
    expect(platform.lastLaunch?.idToken).toBe(first.launch.idToken);
    const replay = await replayIdToken(tool, first.launch);
    expect(replay.status).toBe(401); // the mini tool has forgotten that state
  });
  test('deep linking launches carry settings pointing back at the platform', async () => {
    const { payload } = (await tokenOf({ messageType: 'LtiDeepLinkingRequest' })).decoded;
    expect(payload[`${LTI}message_type`]).toBe('LtiDeepLinkingRequest');
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings']).toMatchObject({ deep_link_return_url: expect.stringContaining(platform.baseUrl) });
    expect(payload).not.toHaveProperty([`${LTI}resource_link`]);
  });
});

test('calls to paths the platform does not serve are reported', async () => {
  await fetch(`${platform.baseUrl}/nope`);
  expect(() => platform.assertNoUnexpectedCalls()).toThrow(/GET \/nope/);
});
