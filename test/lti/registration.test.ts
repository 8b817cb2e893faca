import { Deployment } from '../../src/lti/deployment.model';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import type { TestTool } from '../support/tool';

/** Everything the tool stores about platforms: ltijs's platforms and our deployments. */
async function stored(tool: TestTool) {
  return { platforms: (await tool.lti.getAllPlatforms()).length, deployments: await Deployment.countDocuments({}) };
}

describe('dynamic registration (installer must activate)', () => {
  const suite = toolSuite({ platform: { productFamilyCode: 'moodle' }, register: false });

  test('a missing openid_configuration gets a readable 400 page and stores nothing', async () => {
    const res = await fetch(`${suite.tool.baseUrl}/lti/register`);
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('This page is for your VLE');
    expect(html).not.toMatch(/"error"|stack/i);
    expect(await stored(suite.tool)).toEqual({ platforms: 0, deployments: 0 });
  });

  test('an issuer that does not match the configuration URL is refused and nothing is stored or registered', async () => {
    suite.platform.setOpenIdOverrides({ issuer: 'https://elsewhere.example' });
    try {
      const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
      expect(answer.status).toBe(400);
      expect(answer.html).toContain('name a different site from the one that sent them');
      expect(answer.client).toBeUndefined(); // the tool never posted its registration
      expect(suite.platform.registrations.calls).toHaveLength(0);
    } finally {
      suite.platform.setOpenIdOverrides({});
    }
    expect(await stored(suite.tool)).toEqual({ platforms: 0, deployments: 0 });
  });

  test('a registration token the VLE does not accept gets a readable error and stores nothing', async () => {
    const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`, { registrationToken: 'not-a-real-token' });
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('Your VLE refused the registration.');
    expect(answer.html).toContain('Start the registration again from the VLE.');
    expect(answer.client).toBeUndefined();
    expect(await stored(suite.tool)).toEqual({ platforms: 0, deployments: 0 });
  });

  test('the VLE that is registering (not yet known to the tool) may frame the registration page', async () => {
    const url = new URL(`${suite.tool.baseUrl}/lti/register`);
    url.searchParams.set('openid_configuration', suite.platform.urls.openIdConfiguration);
    url.searchParams.set('registration_token', 'not-a-real-token');
    const res = await fetch(url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${new URL(suite.platform.issuer).origin}`);
    expect(csp.match(/frame-ancestors/g)).toHaveLength(1);
    expect(csp).toContain("default-src 'self'"); // the rest of the policy is kept
  });

  test('a good registration stores the platform and its deployment, both inactive, and closes the VLE frame', async () => {
    const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('waits for the CMALT Portfolio installer to activate it');
    expect(answer.html).toContain('/public/js/lti-close.js');
    const client = answer.client!;
    expect(client).toBeDefined();
    expect(client.registration).toMatchObject({
      client_name: 'CMALT Portfolio',
      initiate_login_uri: `${suite.tool.baseUrl}/lti/login`,
      jwks_uri: `${suite.tool.baseUrl}/lti/keys`,
      redirect_uris: [`${suite.tool.baseUrl}/lti/launch`],
    });
    const ltiPlatform = await suite.tool.lti.getPlatform(suite.platform.issuer, client.clientId);
    expect(ltiPlatform).toBeTruthy();
    if (!ltiPlatform) return;
    expect(await ltiPlatform.platformActive()).toBe(false);
    expect(await ltiPlatform.platformAuthEndpoint()).toBe(suite.platform.urls.auth);
    const deployments = await Deployment.find({ platformUrl: suite.platform.issuer, clientId: client.clientId }).lean();
    expect(deployments.map((d) => [d.deploymentId, d.active])).toEqual([[client.deploymentIds[0], false]]);
  });

  test('a launch from the registered but inactive VLE is refused with a page saying so', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    expect(session.ok).toBe(false);
    expect(session.status).toBeGreaterThanOrEqual(400);
    expect(session.html).toContain('has not been activated yet');
  });

  test('the page the tool closes the frame with posts org.imsglobal.lti.close to the opener or parent', async () => {
    const js = await (await fetch(`${suite.tool.baseUrl}/public/js/lti-close.js`)).text();
    expect(js).toContain("subject: 'org.imsglobal.lti.close'");
    expect(js).toMatch(/window\.opener \|\| \(window\.parent/);
  });
});

describe('dynamic registration with LTI_AUTO_ACTIVATE=true', () => {
  const suite = toolSuite({ platform: { productFamilyCode: 'moodle' }, tool: { env: { LTI_AUTO_ACTIVATE: 'true' } }, register: false });

  test('the platform and deployment are active at once', async () => {
    const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('is ready to use');
    const ltiPlatform = await suite.tool.lti.getPlatform(suite.platform.issuer, answer.client!.clientId);
    expect(ltiPlatform && (await ltiPlatform.platformActive())).toBe(true);
    expect(await Deployment.countDocuments({ active: true })).toBe(1);
  });

  test.each([
    ['Learner', 'Ada Learner'],
    ['TeachingAssistant', 'Tom Assistant'],
    ['Instructor', 'Ivy Instructor'],
  ])('a %s launching through the dynamically registered VLE reaches their landing page with their name', async (role, name) => {
    const user = suite.platform.user({ name });
    const session = await launchAs(suite.tool, suite.platform, { role, user });
    expect(session.ok).toBe(true);
    expect(session.status).toBe(200);
    expect(session.html).toContain(name);
  });

  test("a VLE's OAuth2 audience (authorization_server, as Brightspace sends) is kept for token requests", async () => {
    suite.platform.setOpenIdOverrides({ authorization_server: 'https://auth.brightspace.example/core' });
    try {
      const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
      expect(answer.status).toBe(200);
      const ltiPlatform = await suite.tool.lti.getPlatform(suite.platform.issuer, answer.client!.clientId);
      expect(ltiPlatform && (await ltiPlatform.platformAuthorizationServer())).toBe('https://auth.brightspace.example/core');
    } finally {
      suite.platform.setOpenIdOverrides({});
    }
  });

  test('registering again from the same VLE adds a new client rather than changing the first', async () => {
    const before = await stored(suite.tool);
    const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
    expect(answer.status).toBe(200);
    expect(await stored(suite.tool)).toEqual({ platforms: before.platforms + 1, deployments: before.deployments + 1 });
  });
});
