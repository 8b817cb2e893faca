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
