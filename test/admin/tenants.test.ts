import { Deployment } from '../../src/lti/deployment.model';
import { CookieJar, launchAs } from '../support/launch';
import { send } from '../support/platform/browser-http';
import { toolSuite } from '../support/suite';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { signIn } from './admin-client';

/** Another institution's VLE, registered with the tool by its installer (it never launches in these tests). */
const OTHER = { issuer: 'https://other-university.example.ac.uk', clientId: 'other-client', deploymentId: 'other-dep' };

async function registerOtherVle(tool: TestTool): Promise<string> {
  const platform = await tool.lti.registerPlatform({
    url: OTHER.issuer,
    name: 'Other University Moodle',
    clientId: OTHER.clientId,
    authenticationEndpoint: `${OTHER.issuer}/auth`,
    accesstokenEndpoint: `${OTHER.issuer}/token`,
    authConfig: { method: 'JWK_SET', key: `${OTHER.issuer}/jwks` },
  });
  await platform.platformActive(true);
  await Deployment.create({ platformUrl: OTHER.issuer, clientId: OTHER.clientId, deploymentId: OTHER.deploymentId, active: true });
  return platform.platformId();
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';

describe('a VLE Administrator launch reaches its own VLE only', () => {
  const suite = toolSuite();
  let otherId: string;
  beforeAll(async () => {
    otherId = await registerOtherVle(suite.tool);
  });

  test('sees its own registration, nothing of another VLE, and cannot add, change or remove platforms by guessing URLs', async () => {
    const jar = new CookieJar();
    const admin = suite.platform.user({ name: 'Sub-account Admin' });
    const session = await launchAs(suite.tool, suite.platform, { role: 'institution:Administrator', user: admin, jar });
    expect(new URL(session.url).pathname).toBe('/admin');
    expect(session.status).toBe(200);
    expect(session.html).toContain('This VLE’s registration');
    expect(session.html).toContain('(this VLE’s administrator)');
    expect(session.html).toContain(suite.tool.clientId!);
    expect(session.html).not.toContain(OTHER.issuer);
    expect(session.html).not.toContain(OTHER.clientId);
    const csrf = csrfOf(session.html);
    expect(csrf).not.toBe('');

    const base = suite.tool.baseUrl;
    for (const path of ['/admin/tool', '/admin/platforms/new', `/admin/platforms/${encodeURIComponent(otherId)}/remove`, '/admin/setup/moodle']) {
      const page = await send(jar, `${base}${path}`);
      expect({ path, status: page.status }).toEqual({ path, status: 403 });
      expect(page.html).toContain('Only the tool’s installer can do this');
      expect(page.html).not.toContain(OTHER.issuer);
    }
    // the takeover: a second platform for the other VLE's issuer with the attacker's own key, then switching the other VLE off
    const before = (await suite.tool.lti.getAllPlatforms()).length;
    const added = await send(jar, `${base}/admin/platforms`, {
      method: 'POST',
      form: { _csrf: csrf, name: 'Mine', issuer: OTHER.issuer, clientId: 'attacker', authEndpoint: `${base}/a`, tokenEndpoint: `${base}/t`, keyType: 'jwks', key: `${base}/k`, deploymentIds: 'x', active: 'on' },
    });
    expect(added.status).toBe(403);
    for (const action of ['deactivate', 'remove']) {
      const res = await send(jar, `${base}/admin/platforms/${encodeURIComponent(otherId)}/${action}`, { method: 'POST', form: { _csrf: csrf } });
      expect(res.status).toBe(403);
    }
    expect((await suite.tool.lti.getAllPlatforms()).length).toBe(before);
    expect(await suite.tool.lti.getPlatform(OTHER.issuer, 'attacker')).toBe(false);
    const other = await suite.tool.lti.getPlatform(OTHER.issuer, OTHER.clientId);
    expect(other && (await other.platformActive())).toBe(true);
  });
});

describe('INSTALLERS names who may run the whole tool after a launch', () => {
  const installer = { id: 'named-installer-1', name: 'Named Installer' };
  let platform: TestPlatform;
  let tool: TestTool;
  beforeAll(async () => {
    platform = await startTestPlatform();
    tool = await startTestTool({ platform, env: { INSTALLERS: `${platform.issuer} ${installer.id}` } });
    await registerOtherVle(tool);
  });
  afterAll(async () => {
    await tool?.close();
    await platform?.close();
  });

  test('a named person\'s Administrator launch gets the whole tool; the same role for anyone else does not', async () => {
    const named = await launchAs(tool, platform, { role: 'institution:Administrator', user: platform.user(installer) });
    expect(new URL(named.url).pathname).toBe('/admin');
    expect(named.html).toContain('VLEs that can launch CMALT Portfolio');
    expect(named.html).toContain(OTHER.issuer);
    const other = await launchAs(tool, platform, { role: 'system:Administrator', user: platform.user({ name: 'Not Named' }) });
    expect(other.html).toContain('This VLE’s registration');
    expect(other.html).not.toContain(OTHER.issuer);
  });
});

describe('a dynamic registration for an issuer already registered under another client', () => {
  const suite = toolSuite({ platform: { productFamilyCode: 'moodle' }, tool: { env: { LTI_AUTO_ACTIVATE: 'true' } } });

  test('is never activated by itself, and the installer page flags both registrations plainly', async () => {
    const answer = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('waits for the CMALT Portfolio installer to activate it');
    const created = await suite.tool.lti.getPlatform(suite.platform.issuer, answer.client!.clientId);
    expect(created && (await created.platformActive())).toBe(false);
    const { answer: list } = await signIn(suite.tool);
    expect(list.html.match(/Another registration uses the same issuer/g)).toHaveLength(2);
  });
});
