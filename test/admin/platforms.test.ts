import { Deployment } from '../../src/lti/deployment.model';
import { forgetRegistrationStatus, STATUS_TTL_MS } from '../../src/lti/registration-status';
import { Portfolio, Section } from '../../src/portfolio/models';
import { launchAs } from '../support/launch';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { AdminClient, platformIdOn, signIn } from './admin-client';

async function counts(tool: TestTool) {
  return { platforms: (await tool.lti.getAllPlatforms()).length, deployments: await Deployment.countDocuments({}) };
}

describe('managing VLEs by hand', () => {
  let tool: TestTool;
  let platform: TestPlatform;
  let admin: AdminClient;
  let clientId: string;
  let form: Record<string, string>;

  beforeAll(async () => {
    platform = await startTestPlatform();
    tool = await startTestTool({ allowOrigins: [platform.baseUrl] });
    // The installer has entered the tool's addresses in the VLE; the VLE shows its own details.
    const client = platform.addClient({
      jwksUrl: `${tool.baseUrl}/lti/keys`,
      loginUrl: `${tool.baseUrl}/lti/login`,
      targetLinkUri: `${tool.baseUrl}/lti/launch`,
      deploymentIds: ['dep-a', 'dep-b'],
    });
    clientId = client.clientId;
    const details = platform.registrationDetailsForTool(clientId);
    form = {
      name: 'Test Moodle',
      issuer: details.issuer,
      clientId,
      authEndpoint: details.authorizationEndpoint,
      tokenEndpoint: details.tokenEndpoint,
      keyType: 'jwks',
      key: details.jwksUrl,
      audience: '',
      deploymentIds: 'dep-a',
      active: 'on',
    };
    admin = (await signIn(tool)).client;
  });
  afterAll(async () => {
    await tool.close();
    await platform.close();
  });

  test('the add form shows each problem next to its field and stores nothing', async () => {
    await admin.get('/admin/platforms/new');
    const res = await admin.post('/admin/platforms', { ...form, issuer: 'not a url', tokenEndpoint: '', key: 'ftp://keys' });
    expect(res.status).toBe(422);
    expect(res.html).toContain('There is a problem');
    for (const field of ['issuer', 'tokenEndpoint', 'key']) {
      expect(res.html).toMatch(new RegExp(`id="${field}-error"`));
      expect(res.html).toMatch(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"[^>]*aria-invalid="true"`));
    }
    expect(res.html).toContain('value="Test Moodle"'); // what was typed is kept
    expect(await counts(tool)).toEqual({ platforms: 0, deployments: 0 });
  });

  test('a form without the CSRF token is refused and stores nothing', async () => {
    const res = await admin.post('/admin/platforms', { ...form, _csrf: 'forged' });
    expect(res.status).toBe(403);
    expect(res.html).toContain('This form has expired');
    expect(await counts(tool)).toEqual({ platforms: 0, deployments: 0 });
  });

  test('a VLE added by hand is listed with its deployment and can launch the tool', async () => {
    await admin.get('/admin/platforms/new');
    const res = await admin.post('/admin/platforms', form);
    expect(res.status).toBe(200);
    expect(res.html).toContain('The VLE was added.');
    expect(res.html).toContain(`<code>${clientId}</code>`);
    expect(res.html).toContain('<code>dep-a</code>');
    expect(await counts(tool)).toEqual({ platforms: 1, deployments: 1 });
    const session = await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' });
    expect(session.ok).toBe(true);
  });

  test('adding the same VLE and client again is refused beside the client ID field', async () => {
    await admin.get('/admin/platforms/new');
    const res = await admin.post('/admin/platforms', form);
    expect(res.status).toBe(409);
    expect(res.html).toMatch(/id="clientId-error"[^<]*<span[^>]*>Error: <\/span>This VLE is already registered/);
    expect(await counts(tool)).toEqual({ platforms: 1, deployments: 1 });
  });

  test('a deployment the tool does not know is refused until the installer adds it', async () => {
    const before = await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-b' });
    expect(before.ok).toBe(false);
    expect(before.html).toContain('This deployment of CMALT Portfolio is not registered');
    const list = await admin.get('/admin');
    const id = platformIdOn(list.html, clientId);
    const bad = await admin.post(`/admin/platforms/${id}/deployments`, { deploymentId: 'has spaces' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Deployment IDs can only use');
    const added = await admin.post(`/admin/platforms/${id}/deployments`, { deploymentId: 'dep-b' });
    expect(added.status).toBe(200);
    expect(added.html).toContain('<code>dep-b</code>');
    const after = await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-b' });
    expect(after.ok).toBe(true);
  });

  test('a launch from a deactivated deployment is refused, and works again once it is activated', async () => {
    const dep = await Deployment.findOne({ clientId, deploymentId: 'dep-a' }).lean();
    await admin.get('/admin');
    const off = await admin.post(`/admin/deployments/${dep!._id}/deactivate`);
    expect(off.status).toBe(200);
    expect(off.html).toContain('Deactivated');
    const refused = await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' });
    expect(refused.ok).toBe(false);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.html).toContain('This deployment of CMALT Portfolio is switched off');
    await admin.post(`/admin/deployments/${dep!._id}/activate`);
    expect((await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' })).ok).toBe(true);
  });

  test('a deactivated VLE cannot launch; activating it again re-enables launches', async () => {
    const id = platformIdOn((await admin.get('/admin')).html, clientId);
    const off = await admin.post(`/admin/platforms/${id}/deactivate`);
    expect(off.html).toMatch(/Inactive/);
    const refused = await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' });
    expect(refused.ok).toBe(false);
    expect(refused.html).toContain('has not been activated yet');
    await admin.post(`/admin/platforms/${id}/activate`);
    expect((await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' })).ok).toBe(true);
  });

  test('deactivating a deployment ends the sessions already opened from it; activating it lets them go on', async () => {
    const s = await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' });
    expect(s.ok).toBe(true);
    expect((await s.get('/portfolio')).status).toBe(200);
    const dep = await Deployment.findOne({ clientId, deploymentId: 'dep-a' }).lean();
    await admin.get('/admin');
    await admin.post(`/admin/deployments/${dep!._id}/deactivate`);
    const page = await s.get('/portfolio');
    expect(page.status).toBe(403);
    expect(page.html).toContain('CMALT Portfolio is switched off for this VLE');
    expect(page.html).toContain('Nothing you have saved is lost');
    // a form sent from a page opened before is refused the same way, and creates nothing
    const started = await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Open badges' });
    expect(started.status).toBe(403);
    expect(await Portfolio.countDocuments({})).toBe(0);
    await admin.post(`/admin/deployments/${dep!._id}/activate`);
    expect((await s.get('/portfolio')).status).toBe(200);
  });

  test('deactivating a VLE ends its sessions at once; another instance\'s change applies within STATUS_TTL_MS', async () => {
    const s = await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' });
    expect((await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Open badges' })).status).toBe(200);
    const section = (await Section.findOne({ areaId: 'future-plans' }).lean())!;
    const id = platformIdOn((await admin.get('/admin')).html, clientId);
    await admin.post(`/admin/platforms/${id}/deactivate`);
    expect((await s.get('/portfolio')).status).toBe(403);
    // an autosave from a page left open gets the reason in words, and writes nothing
    const save = await s.put(`/portfolio/sections/${String(section._id)}`, { baseVersion: section.version, body: '<p>Typed after the switch-off.</p>' });
    expect(save.status).toBe(403);
    expect(JSON.parse(save.html).error.message).toContain('has deactivated or removed this VLE');
    expect((await Section.findById(section._id).lean())!.version).toBe(section.version);
    await admin.post(`/admin/platforms/${id}/activate`);
    expect((await s.get('/portfolio')).status).toBe(200);

    // Another instance switches the deployment off: this one keeps its answer for STATUS_TTL_MS at most.
    await Deployment.updateOne({ clientId, deploymentId: 'dep-a' }, { $set: { active: false } });
    expect((await s.get('/portfolio')).status).toBe(200);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now + STATUS_TTL_MS + 1);
    try {
      expect((await s.get('/portfolio')).status).toBe(403);
    } finally {
      clock.mockRestore();
    }
    await Deployment.updateOne({ clientId, deploymentId: 'dep-a' }, { $set: { active: true } });
    forgetRegistrationStatus();
    expect((await s.get('/portfolio')).status).toBe(200);
  });

  test('removing a deployment asks for confirmation first', async () => {
    const dep = await Deployment.findOne({ clientId, deploymentId: 'dep-b' }).lean();
    await admin.get('/admin');
    const confirm = await admin.get(`/admin/deployments/${dep!._id}/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Remove this deployment?');
    expect(await Deployment.countDocuments({ deploymentId: 'dep-b' })).toBe(1);
    const removed = await admin.post(`/admin/deployments/${dep!._id}/remove`);
    expect(removed.html).toContain('Removed.');
    expect(await Deployment.countDocuments({ deploymentId: 'dep-b' })).toBe(0);
    expect((await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-b' })).ok).toBe(false);
  });

  test('removing a VLE asks for confirmation, then removes it and its deployments', async () => {
    const id = platformIdOn((await admin.get('/admin')).html, clientId);
    const confirm = await admin.get(`/admin/platforms/${id}/remove`);
    expect(confirm.html).toContain('Remove this VLE?');
    expect(await counts(tool)).toEqual({ platforms: 1, deployments: 1 });
    const removed = await admin.post(`/admin/platforms/${id}/remove`);
    expect(removed.status).toBe(200);
    expect(await counts(tool)).toEqual({ platforms: 0, deployments: 0 });
    expect((await launchAs(tool, platform, { role: 'Learner', clientId, deploymentId: 'dep-a' })).ok).toBe(false);
  });

  test('acting on a VLE that is not there gets a 404 page', async () => {
    await admin.get('/admin');
    const res = await admin.post('/admin/platforms/no-such-platform/activate');
    expect(res.status).toBe(404);
    expect(res.html).toContain('We could not find that VLE.');
  });
});
