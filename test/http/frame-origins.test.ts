import { ConfigError, loadConfig } from '../../src/config';
import { hostedVleOrigins, parseFrameAncestors } from '../../src/http/frame-origins';
import { startTestTool, type TestTool } from '../support/tool';

describe('which origins may frame the tool', () => {
  test('Canvas and Blackboard SaaS issuers bring their institutions\' hosts; other issuers bring nothing', () => {
    expect(hostedVleOrigins('https://canvas.instructure.com')).toEqual(['https://*.instructure.com']);
    expect(hostedVleOrigins('https://canvas.beta.instructure.com')).toEqual(['https://*.instructure.com']);
    expect(hostedVleOrigins('https://blackboard.com')).toEqual(['https://*.blackboard.com']);
    expect(hostedVleOrigins('https://moodle.school.ac.uk')).toEqual([]);
    expect(hostedVleOrigins('https://canvas.instructure.com.evil.example')).toEqual([]);
    expect(hostedVleOrigins('http://canvas.instructure.com')).toEqual([]);
  });

  test('FRAME_ANCESTORS takes origins and host wildcards, and names each entry that is not one', () => {
    expect(parseFrameAncestors('https://canvas.school.ac.uk, https://*.vle.school.ac.uk  https://learn.school.ac.uk:8443/')).toEqual({
      origins: ['https://canvas.school.ac.uk', 'https://*.vle.school.ac.uk', 'https://learn.school.ac.uk:8443'],
      bad: [],
    });
    expect(parseFrameAncestors('*  http://plain.school.ac.uk https://a.school.ac.uk/path \'unsafe-inline\'').bad).toEqual([
      '*',
      'http://plain.school.ac.uk',
      'https://a.school.ac.uk/path',
      "'unsafe-inline'",
    ]);
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'test', FRAME_ANCESTORS: 'https://ok.school.ac.uk *' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/FRAME_ANCESTORS .*: \*$/);
  });
});

describe('the CSP of a tool registered with a hosted Canvas', () => {
  let tool: TestTool;
  beforeAll(async () => {
    tool = await startTestTool({ env: { FRAME_ANCESTORS: 'https://canvas.school.ac.uk' } });
    await tool.lti.registerPlatform({
      url: 'https://canvas.instructure.com',
      name: 'Canvas',
      clientId: '10000000000001',
      authenticationEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      accesstokenEndpoint: 'https://sso.canvaslms.com/login/oauth2/token',
      authConfig: { method: 'JWK_SET', key: 'https://sso.canvaslms.com/api/lti/security/jwks' },
    });
    await tool.deps.platformOrigins.refresh();
  });
  afterAll(async () => {
    await tool?.close();
  });

  test('lets the institution\'s Canvas pages frame the tool and receive its deep-linking answer', async () => {
    const csp = (await fetch(`${tool.baseUrl}/admin/login`)).headers.get('content-security-policy') ?? '';
    const list = (directive: string) => (new RegExp(`${directive} ([^;]+)`).exec(csp)?.[1] ?? '').split(' ');
    for (const directive of ['frame-ancestors', 'form-action']) {
      expect(list(directive)).toEqual(expect.arrayContaining([
        "'self'",
        'https://canvas.instructure.com',
        'https://sso.canvaslms.com',
        'https://*.instructure.com',
        'https://canvas.school.ac.uk',
      ]));
    }
    expect(list('frame-ancestors')).not.toContain('*');
  });

  test('a registration still waiting for the installer (inactive) is not allowed to frame the tool', async () => {
    const waiting = await tool.lti.registerPlatform({
      url: 'https://moodle.waiting.example.ac.uk',
      name: 'Waiting Moodle',
      clientId: 'waiting',
      authenticationEndpoint: 'https://moodle.waiting.example.ac.uk/auth',
      accesstokenEndpoint: 'https://moodle.waiting.example.ac.uk/token',
      authConfig: { method: 'JWK_SET', key: 'https://moodle.waiting.example.ac.uk/jwks' },
    });
    await waiting.platformActive(false);
    await tool.deps.platformOrigins.refresh();
    const csp = (await fetch(`${tool.baseUrl}/admin/login`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain('https://canvas.instructure.com');
    expect(csp).not.toContain('waiting.example.ac.uk');
  });
});
