import { startTestPlatform, newSigningKey, SCOPES, type TestPlatform } from '../support/platform';
import { startMiniTool, type MiniTool } from './mini-tool';

let platform: TestPlatform;
let tool: MiniTool;
const CLIENT = 'tool-1';

beforeEach(async () => {
  platform = await startTestPlatform({ nrpsPageSize: 100 });
  tool = await startMiniTool();
  platform.addClient({
    clientId: CLIENT,
    jwksUrl: `${tool.baseUrl}/lti/keys`,
    loginUrl: `${tool.baseUrl}/lti/login`,
    targetLinkUri: `${tool.baseUrl}/lti/launch`,
  });
});

afterEach(async () => {
  await tool.close();
  await platform.close();
});

function askToken(assertion: string, scope: string = SCOPES.score) {
  return fetch(platform.urls.token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    }),
  });
}

describe('token endpoint', () => {
  test('accepts an assertion signed by a key the tool serves', async () => {
    const res = await askToken(tool.clientAssertion(CLIENT, platform.urls.token), `${SCOPES.score} ${SCOPES.lineItem}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: `${SCOPES.score} ${SCOPES.lineItem}`, access_token: expect.any(String) });
    expect(platform.token.requests).toHaveLength(1);
  });

  test.each([
    ['signed by a key the tool does not serve', () => tool.clientAssertion(CLIENT, platform.urls.token, {}, newSigningKey(tool.key.kid))],
    ['for another audience', () => tool.clientAssertion(CLIENT, 'http://elsewhere.example/token')],
    ['expired', () => tool.clientAssertion(CLIENT, platform.urls.token, { exp: Math.floor(Date.now() / 1000) - 10 })],
    ['with sub other than iss', () => tool.clientAssertion(CLIENT, platform.urls.token, { sub: 'someone' })],
    ['from an unknown client', () => tool.clientAssertion('nobody', platform.urls.token)],
  ])('refuses an assertion %s', async (_name, make) => {
    const res = await askToken(make());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('accepts aud as an array and refuses a reused jti', async () => {
    const assertion = tool.clientAssertion(CLIENT, platform.urls.token, { aud: [platform.urls.token, 'x'] });
    expect((await askToken(assertion)).status).toBe(200);
    expect((await askToken(assertion)).status).toBe(401);
  });

  test('fails the next request when told to, and issues short-lived tokens', async () => {
    platform.token.failNext(1);
    expect((await askToken(tool.clientAssertion(CLIENT, platform.urls.token))).status).toBe(500);
    platform.token.expiresIn = 2;
    const ok = await askToken(tool.clientAssertion(CLIENT, platform.urls.token));
    expect((await ok.json()).expires_in).toBe(2);
  });
});

describe('AGS', () => {
  const lineItems = () => `${platform.baseUrl}/ags/contexts/c1/lineitems`;
  const bearer = (scopes?: string[]) => ({ Authorization: `Bearer ${platform.token.issue(CLIENT, scopes).accessToken}` });

  test('rejects calls without a valid token', async () => {
    expect((await fetch(lineItems())).status).toBe(401);
    expect((await fetch(lineItems(), { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(lineItems(), { headers: bearer([SCOPES.memberships]) })).status).toBe(401);
    expect(platform.ags.calls.map((c) => c.status)).toEqual([401, 401, 401]);
  });

  test('creates line items, records scores and serves results', async () => {
    const created = await fetch(lineItems(), {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/vnd.ims.lis.v2.lineitem+json' },
      body: JSON.stringify({ label: 'Portfolio', scoreMaximum: 10, resourceLinkId: 'rl-1', tag: 'cmalt' }),
    });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: string };
    const score = (body: object) => fetch(`${item.id}/scores`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify(body),
    });
    const t1 = '2026-01-01T10:00:00.000Z';
    expect((await score({ userId: 'u1', scoreGiven: 5, scoreMaximum: 10, activityProgress: 'InProgress', gradingProgress: 'Pending', timestamp: t1 })).status).toBe(204);
    expect((await score({ userId: 'u1', activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: '2025-12-31T00:00:00Z' })).status).toBe(409);
    expect((await score({ userId: 'u1', activityProgress: 'Done' })).status).toBe(400);
    expect(platform.ags.scoresFor('u1')).toHaveLength(1);
    const results = await (await fetch(`${item.id}/results`, { headers: bearer() })).json();
    expect(results).toEqual([expect.objectContaining({ userId: 'u1', resultScore: 5, resultMaximum: 10 })]);
    const filtered = await (await fetch(`${lineItems()}?resource_link_id=rl-1`, { headers: bearer() })).json();
    expect(filtered).toHaveLength(1);
    expect(platform.ags.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 201', 'POST 204', 'POST 409', 'POST 400', 'GET 200', 'GET 200']);
  });

  test('fault knobs: 500, 429 with Retry-After, 401 once revoking the token', async () => {
    platform.ags.failNext(1);
    platform.ags.rateLimitNext(1, 7);
    const h = bearer();
    expect((await fetch(lineItems(), { headers: h })).status).toBe(500);
    const limited = await fetch(lineItems(), { headers: h });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    platform.ags.unauthorizedNext(1);
    expect((await fetch(lineItems(), { headers: h })).status).toBe(401);
    expect((await fetch(lineItems(), { headers: h })).status).toBe(401); // revoked
    expect((await fetch(lineItems(), { headers: bearer() })).status).toBe(200); // a new token works
  });

  test('hang knob holds the answer', async () => {
    platform.ags.hangNext(1, 300);
    const started = Date.now();
    const res = await fetch(lineItems(), { headers: bearer() });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe('NRPS', () => {
  test('pages 250 members over 3 pages and filters by role', async () => {
    const course = platform.course({ title: 'Big cohort' });
    platform.setMembers(course.id, Array.from({ length: 250 }, (_, i) => ({ user: platform.user(), roles: [i < 10 ? 'Instructor' : 'Learner'] })));
    const headers = { Authorization: `Bearer ${platform.token.issue(CLIENT, [SCOPES.memberships]).accessToken}` };
    let url: string | undefined = `${platform.baseUrl}/nrps/contexts/${course.id}/memberships`;
    const pages: number[] = [];
    while (url) {
      const res: Response = await fetch(url, { headers });
      expect(res.headers.get('content-type')).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
      const body = (await res.json()) as { members: unknown[]; context: { title: string } };
      expect(body.context.title).toBe('Big cohort');
      pages.push(body.members.length);
      url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(pages).toEqual([100, 100, 50]);
    const teachers = await (await fetch(`${platform.baseUrl}/nrps/contexts/${course.id}/memberships?role=Instructor`, { headers })).json();
    expect(teachers.members).toHaveLength(10);
    expect((await fetch(`${platform.baseUrl}/nrps/contexts/${course.id}/memberships`)).status).toBe(401);
  });
});

describe('dynamic registration', () => {
  const registration = () => ({
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${tool.baseUrl}/lti/login`,
    redirect_uris: [`${tool.baseUrl}/lti/launch`],
    client_name: 'CMALT Portfolio',
    jwks_uri: `${tool.baseUrl}/lti/keys`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: `${SCOPES.score} ${SCOPES.memberships}`,
    'https://purl.imsglobal.org/spec/lti-tool-configuration': {
      domain: new URL(tool.baseUrl).host,
      target_link_uri: `${tool.baseUrl}/lti/launch`,
      claims: ['iss', 'sub'],
      messages: [{ type: 'LtiResourceLinkRequest' }],
    },
  });
  const register = (token: string | undefined, body: object) => fetch(platform.urls.register, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

  test('rejects a missing or bad registration token', async () => {
    expect((await register(undefined, registration())).status).toBe(401);
    expect((await register('made-up', registration())).status).toBe(401);
  });

  test('rejects a registration without required fields', async () => {
    const res = await register(platform.newRegistrationToken(), { ...registration(), jwks_uri: undefined });
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toMatch(/jwks_uri/);
  });

  test('registers the tool once per token and answers client_id and deployment_id', async () => {
    const token = platform.newRegistrationToken();
    const res = await register(token, registration());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.client_id).toEqual(expect.any(String));
    expect(body['https://purl.imsglobal.org/spec/lti-tool-configuration'].deployment_id).toEqual(expect.any(String));
    expect(platform.client(body.client_id).scopes).toEqual([SCOPES.score, SCOPES.memberships]);
    expect((await register(token, registration())).status).toBe(401);
  });

  test('serves the OpenID configuration, with an overridable issuer', async () => {
    const conf = await (await fetch(platform.urls.openIdConfiguration)).json();
    expect(conf).toMatchObject({ issuer: platform.issuer, registration_endpoint: platform.urls.register, id_token_signing_alg_values_supported: ['RS256'] });
    expect(conf['https://purl.imsglobal.org/spec/lti-platform-configuration'].product_family_code).toBe('cmalt-test-vle');
    platform.setOpenIdOverrides({ issuer: 'https://elsewhere.example' });
    expect((await (await fetch(platform.urls.openIdConfiguration)).json()).issuer).toBe('https://elsewhere.example');
  });
});

test('delay knob answers normally, late', async () => {
  platform.nrps.delayNext(1, 200);
  const course = platform.course();
  const started = Date.now();
  const res = await fetch(`${platform.baseUrl}/nrps/contexts/${course.id}/memberships`, { headers: { Authorization: `Bearer ${platform.token.issue(CLIENT).accessToken}` } });
  expect(res.status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(180);
});
