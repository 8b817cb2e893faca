import { toolSuite } from '../support/suite';

/** What a registration leaves behind: ltijs's platforms. */
const platformsOf = async (suite: ReturnType<typeof toolSuite>) => (await suite.tool.lti.getAllPlatforms()).length;

describe('a flood of dynamic registrations from one address', () => {
  const suite = toolSuite({ platform: { productFamilyCode: 'moodle' }, register: false, tool: { env: { REGISTRATIONS_PER_HOUR: '3', PENDING_REGISTRATIONS_MAX: '100' } } });

  test('is cut off after the hourly limit with a page in words, and the refused attempts fetch and store nothing', async () => {
    for (let i = 0; i < 3; i += 1) expect((await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`)).status).toBe(200);
    expect(await platformsOf(suite)).toBe(3);
    const calls = suite.platform.registrations.calls.length;
    for (let i = 0; i < 3; i += 1) {
      const refused = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
      expect(refused.status).toBe(429);
      expect(refused.html).toContain('Too many registrations from here');
    }
    expect(suite.platform.registrations.calls.length).toBe(calls); // the tool never posted to the VLE again
    expect(await platformsOf(suite)).toBe(3);
  });
});

describe('registrations waiting for the installer', () => {
  const suite = toolSuite({ platform: { productFamilyCode: 'moodle' }, register: false, tool: { env: { PENDING_REGISTRATIONS_MAX: '2' } } });

  test('stop at the cap with a clear page; nothing more is fetched or stored until the installer deals with them', async () => {
    for (let i = 0; i < 2; i += 1) expect((await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`)).status).toBe(200);
    const calls = suite.platform.registrations.calls.length;
    const full = await suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`);
    expect(full.status).toBe(503);
    expect(full.html).toContain('Too many registrations are waiting');
    expect(full.html).toContain('activate or remove the waiting registrations');
    expect(suite.platform.registrations.calls.length).toBe(calls);
    expect(await platformsOf(suite)).toBe(2);
    // each registration made its own key pair (generated off the event loop), and the tool's keyset lists them
    const keys = (await (await fetch(`${suite.tool.baseUrl}/lti/keys`)).json()) as { keys: unknown[] };
    expect(keys.keys.length).toBeGreaterThanOrEqual(2);
  });
});

describe('many anonymous registrations at once', () => {
  const suite = toolSuite({ platform: { productFamilyCode: 'moodle' }, register: false, tool: { env: { REGISTRATIONS_PER_HOUR: '2', PENDING_REGISTRATIONS_MAX: '100' } } });

  test('the limit holds under concurrency with a page in words, and /healthz keeps answering (naming no VLE) throughout', async () => {
    let flooding = true;
    const health: Array<{ status: number; body: string }> = [];
    const poll = (async () => {
      while (flooding) {
        const res = await fetch(`${suite.tool.baseUrl}/healthz`);
        health.push({ status: res.status, body: await res.text() });
      }
    })();
    const answers = await Promise.all(Array.from({ length: 10 }, () => suite.platform.registerWithTool(`${suite.tool.baseUrl}/lti/register`)));
    flooding = false;
    await poll;

    expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(8);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.html).toContain('Too many registrations from here');
      expect(r.html).toContain('Wait an hour');
    }
    expect(await platformsOf(suite)).toBe(2);
    // each accepted registration has its own key pair in the tool's keyset
    const keys = (await (await fetch(`${suite.tool.baseUrl}/lti/keys`)).json()) as { keys: Array<{ kid: string }> };
    expect(new Set(keys.keys.map((k) => k.kid)).size).toBeGreaterThanOrEqual(2);

    expect(health.length).toBeGreaterThan(0);
    for (const h of health) {
      expect(h.status).toBe(200);
      expect(h.body).toBe('{"status":"ok"}'); // no list of VLEs, however many registered
    }
  });
});
