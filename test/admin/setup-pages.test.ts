import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { unescapeHtml as unescapeSome } from '../support/platform/browser-http';
import { AdminClient, signIn } from './admin-client';

/** EJS escapes quotes as &#34;, which the shared helper does not know. */
const unescapeHtml = (s: string) => unescapeSome(s.replace(/&#34;/g, '"'));

describe("the installer's instructions for each VLE", () => {
  let tool: TestTool;
  let platform: TestPlatform;
  let admin: AdminClient;

  beforeAll(async () => {
    platform = await startTestPlatform();
    tool = await startTestTool({ platform }); // one registered VLE, so the tool has a signing key
    admin = (await signIn(tool)).client;
  });
  afterAll(async () => {
    await tool.close();
    await platform.close();
  });

  test.each(['moodle', 'canvas', 'blackboard', 'brightspace'])('the %s page shows the tool’s real login, launch and keyset URLs', async (vle) => {
    const res = await admin.get(`/admin/setup/${vle}`);
    expect(res.status).toBe(200);
    for (const path of ['/lti/login', '/lti/launch', '/lti/keys']) expect(res.html).toContain(`${tool.baseUrl}${path}`);
    expect(res.html).toMatch(/new window|new tab|External Resource/i);
  });

  test.each([
    ['moodle', ['Initiate login URL', 'Redirection URI(s)', 'Public keyset', 'Content Selection URL', 'Share launcher’s email with tool', '<code>' + 'http']],
    ['canvas', ['Redirect URIs', 'Paste JSON', 'LTI 1.3 Configuration', 'By Client ID', 'Add App', 'Deployment ID']],
    ['blackboard', ['Register LTI 1.3/Advantage Tool', 'Login Initiation URL', 'Tool Redirect URL(s)', 'Tool JWKS URL', 'User Fields to Send', 'Launch in New Window']],
    ['brightspace', ['Register Tool', 'Dynamic Registration URL', 'OpenID Connect Login URL', 'Keyset URL', 'New Deployment', 'View Links', 'Brightspace OAuth2 Audience']],
  ])('the %s page names the VLE’s own fields', async (vle, fields) => {
    const html = unescapeHtml((await admin.get(`/admin/setup/${vle}`)).html);
    for (const field of fields) expect(html).toContain(field);
  });

  test('the Moodle page uses Moodle 4.5’s own words (mod_lti/core_ltix strings) and none of the old ones', async () => {
    const html = unescapeHtml((await admin.get('/admin/setup/moodle')).html).replace(/<[^>]+>/g, '');
    for (const words of [
      'Show in activity chooser and as a preconfigured tool', 'Tool configuration usage', 'LTI External tools', 'Show in activity chooser',
      'pencil (Edit)', 'View configuration details', 'As specified in Deep Linking definition or Delegate to teacher',
      'Embed, without blocks', 'Add LTI Advantage', 'Select content', 'Use this service for grade sync and column management',
    ]) expect(html).toContain(words);
    for (const gone of ['(the cog)', 'list icon', 'External tool, pick', 'Moodle 4.1']) expect(html).not.toContain(gone);
  });

  test('the dynamic registration URL is given for the VLEs that support it', async () => {
    for (const vle of ['moodle', 'canvas', 'brightspace']) {
      expect((await admin.get(`/admin/setup/${vle}`)).html).toContain(`${tool.baseUrl}/lti/register`);
    }
  });

  test('the Canvas JSON on the page and as a download parses and names the tool’s URLs', async () => {
    const page = await admin.get('/admin/setup/canvas');
    const onPage = JSON.parse(unescapeHtml(/<code id="canvas-json">([\s\S]*?)<\/code>/.exec(page.html)![1]));
    const download = await admin.get('/admin/setup/canvas.json');
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const file = download.json<Record<string, any>>();
    expect(file).toEqual(onPage);
    expect(file.oidc_initiation_url).toBe(`${tool.baseUrl}/lti/login`);
    expect(file.target_link_uri).toBe(`${tool.baseUrl}/lti/launch`);
    expect(file.public_jwk_url).toBe(`${tool.baseUrl}/lti/keys`);
    expect(file.extensions[0].privacy_level).toBe('public');
    expect(file.extensions[0].settings.placements.some((p: { message_type: string }) => p.message_type === 'LtiDeepLinkingRequest')).toBe(true);
  });

  test('the tool page shows the same JWKS the VLE reads at /lti/keys', async () => {
    const page = await admin.get('/admin/tool');
    const shown = JSON.parse(unescapeHtml(/<pre[^>]*><code>([\s\S]*?)<\/code><\/pre>/.exec(page.html)![1]));
    const served = await (await fetch(`${tool.baseUrl}/lti/keys`)).json();
    expect(shown.keys.length).toBe(1);
    expect(shown).toEqual(served);
    expect(page.html).toContain(`${tool.baseUrl}/lti/register`);
    // and the sites the CSP lets frame the tool, the same list the headers carry
    const listed = [...(/<ul id="frame-origins">([\s\S]*?)<\/ul>/.exec(page.html)?.[1] ?? '').matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]);
    const csp = (await fetch(`${tool.baseUrl}/admin/login`)).headers.get('content-security-policy') ?? '';
    expect(listed).toContain(new URL(platform.issuer).origin);
    expect(["'self'", ...listed]).toEqual(/frame-ancestors ([^;]+)/.exec(csp)![1].split(' '));
  });

  test('an unknown VLE name gets a 404 page', async () => {
    const res = await admin.get('/admin/setup/sakai');
    expect(res.status).toBe(404);
    expect(res.html).toContain('We have no instructions for that VLE');
  });
});
