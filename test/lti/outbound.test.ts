import { Deployment } from '../../src/lti/deployment.model';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { startListener, streamBytes, type Listener } from '../vle/listener';

const MB = 1024 * 1024;

/** The registration address an attacker would open, aimed at `openidConfiguration`. */
const registerUrl = (base: string, openidConfiguration: string) =>
  `${base}/lti/register?openid_configuration=${encodeURIComponent(openidConfiguration)}&registration_token=chosen-by-attacker`;

/** The page without what differs on every answer (the CSP nonce), to compare two refusals. */
const pageOf = (html: string) => html.replace(/nonce" content="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '');

describe('anonymous dynamic registration cannot make the tool call internal services', () => {
  const allowOrigins: string[] = [];
  let internal: Listener; // an internal service on loopback, not allow-listed
  let huge: Listener; // an allow-listed VLE origin that answers 400 MB
  beforeAll(async () => {
    internal = await startListener((_req, res) => res.end('{"secret":"INTERNAL-SECRET"}'));
    huge = await startListener((_req, res, l) => streamBytes(res, l, 400 * MB));
    allowOrigins.push(huge.origin); // read when the suite starts the tool, just after this hook
  });
  const suite = toolSuite({ platform: { productFamilyCode: 'moodle' }, register: false, tool: { allowOrigins } });
  afterAll(async () => {
    await internal?.close();
    await huge?.close();
  });

  test('a configuration URL on a loopback listener is never requested, and an open port looks like a closed one', async () => {
    const open = await fetch(registerUrl(suite.tool.baseUrl, `${internal.origin}/config`));
    const openHtml = await open.text();
    expect(open.status).toBe(502);
    expect(openHtml).toContain('We could not read your VLE&#39;s registration details.');
    const spare = await startListener(() => undefined);
    const closedPort = spare.origin;
    await spare.close();
    const closed = await fetch(registerUrl(suite.tool.baseUrl, `${closedPort}/config`));
    expect(closed.status).toBe(open.status);
    expect(pageOf(await closed.text())).toBe(pageOf(openHtml));
    for (const url of [`http://localhost:${internal.port}/config`, `http://[::ffff:127.0.0.1]:${internal.port}/config`, 'http://169.254.169.254/latest/meta-data/']) {
      expect((await fetch(registerUrl(suite.tool.baseUrl, url))).status).toBe(502);
    }
    expect(internal.requests).toEqual([]);
    expect(await suite.tool.lti.getAllPlatforms()).toEqual([]);
  });

  test('a real VLE configuration whose registration endpoint is an internal service: the bearer token goes nowhere', async () => {
    suite.platform.setOpenIdOverrides({ registration_endpoint: `${internal.origin}/steal` });
    try {
      const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
      expect(answer.status).toBe(502);
      expect(answer.html).toContain('We could not reach your VLE to finish the registration.');
    } finally {
      suite.platform.setOpenIdOverrides({});
    }
    expect(internal.requests).toEqual([]);
    expect(await suite.tool.lti.getAllPlatforms()).toEqual([]);
  });

  test('a 400 MB configuration is cut off after a small part, with a page in words', async () => {
    const res = await fetch(registerUrl(suite.tool.baseUrl, `${huge.origin}/.well-known/openid-configuration`));
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('registration details');
    await huge.closed;
    expect(huge.written).toBeLessThan(40 * MB);
    expect(await suite.tool.lti.getAllPlatforms()).toEqual([]);
  });
});

describe('a VLE cannot aim the tool at internal services through its keys or service URLs', () => {
  let internal: Listener;
  beforeAll(async () => {
    internal = await startListener((_req, res) => res.end('{"keys":[],"members":[],"secret":"INTERNAL-SECRET"}'));
  });
  const suite = toolSuite();
  afterAll(async () => internal?.close());

  test('a registration whose keyset URL is an internal service: the launch is refused and the service hears nothing', async () => {
    const client = suite.platform.addClient({
      jwksUrl: `${suite.tool.baseUrl}/lti/keys`,
      loginUrl: `${suite.tool.baseUrl}/lti/login`,
      targetLinkUri: `${suite.tool.baseUrl}/lti/launch`,
      deploymentIds: ['dep-internal'],
    });
    const details = suite.platform.registrationDetailsForTool(client.clientId);
    const registered = await suite.tool.lti.registerPlatform({
      url: details.issuer,
      name: 'Keys on an internal address',
      clientId: client.clientId,
      authenticationEndpoint: details.authorizationEndpoint,
      accesstokenEndpoint: details.tokenEndpoint,
      authConfig: { method: 'JWK_SET', key: `${internal.origin}/jwks` },
    });
    await registered.platformActive(true);
    await Deployment.create({ platformUrl: details.issuer, clientId: client.clientId, deploymentId: 'dep-internal', active: true });
    const session = await launchAs(suite.tool, suite.platform, { role: 'Learner', clientId: client.clientId, deploymentId: 'dep-internal' });
    expect(session.ok).toBe(false);
    expect(session.status).toBe(502);
    expect(session.html).toContain('could not fetch the keys your VLE publishes');
    expect(session.html).not.toContain('INTERNAL-SECRET');
    expect(internal.requests).toEqual([]);
  });

  test('a launch whose roster URL is an internal service: the sync fails in words and the service hears nothing', async () => {
    const course = suite.platform.course();
    const coordinator = await launchAs(suite.tool, suite.platform, {
      role: 'Instructor',
      course,
      clientId: suite.tool.clientId, // the suite's own registration, not the one added with internal keys
      deploymentId: suite.tool.deploymentId,
      claims: { 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': { context_memberships_url: `${internal.origin}/members`, service_versions: ['2.0'] } },
    });
    expect(coordinator.ok).toBe(true);
    const synced = await coordinator.post('/gradebook/roster/sync');
    expect(synced.url).toMatch(/synced=failed/);
    expect(synced.html).toContain('The VLE gave an address the tool does not call');
    expect(synced.html).not.toContain('INTERNAL-SECRET');
    expect(internal.requests).toEqual([]);
  });
});
