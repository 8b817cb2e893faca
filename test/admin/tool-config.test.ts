import { canvasConfiguration, dynamicRegistrationRequest, LTI_SCOPES, toolUrls } from '../../src/admin/tool-config';

const urls = toolUrls({ publicUrl: 'https://cmalt.example.ac.uk/' });

describe("the tool's configuration for VLEs", () => {
  test('every address is built from PUBLIC_URL', () => {
    expect(urls).toMatchObject({
      login: 'https://cmalt.example.ac.uk/lti/login',
      launch: 'https://cmalt.example.ac.uk/lti/launch',
      keys: 'https://cmalt.example.ac.uk/lti/keys',
      register: 'https://cmalt.example.ac.uk/lti/register',
      domain: 'cmalt.example.ac.uk',
    });
  });

  test('the Canvas JSON names the login, launch and keyset URLs, public privacy and deep-linking placements', () => {
    const json = JSON.parse(JSON.stringify(canvasConfiguration(urls)));
    expect(json.oidc_initiation_url).toBe(urls.login);
    expect(json.target_link_uri).toBe(urls.launch);
    expect(json.public_jwk_url).toBe(urls.keys);
    expect(json.scopes).toEqual(LTI_SCOPES);
    const ext = json.extensions[0];
    expect(ext.privacy_level).toBe('public');
    expect(ext.platform).toBe('canvas.instructure.com');
    const placements = ext.settings.placements.map((p: { placement: string; message_type: string }) => `${p.placement}:${p.message_type}`);
    expect(placements).toEqual(expect.arrayContaining(['link_selection:LtiDeepLinkingRequest', 'assignment_selection:LtiDeepLinkingRequest', 'course_navigation:LtiResourceLinkRequest']));
  });

  test('the dynamic registration request asks for AGS and NRPS and both message types', () => {
    const req = dynamicRegistrationRequest(urls, { productFamily: 'moodle', claimsSupported: ['iss', 'sub', 'name', 'email'] }) as Record<string, any>;
    expect(req.client_name).toBe('CMALT Portfolio');
    expect(req.token_endpoint_auth_method).toBe('private_key_jwt');
    expect(req.redirect_uris).toEqual([urls.launch]);
    expect(req.scope.split(' ')).toEqual(expect.arrayContaining([
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    ]));
    const conf = req['https://purl.imsglobal.org/spec/lti-tool-configuration'];
    expect(conf.domain).toBe('cmalt.example.ac.uk');
    expect(conf.claims).toEqual(['iss', 'sub', 'name', 'email']);
    expect(conf.messages.map((m: { type: string }) => m.type)).toEqual(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']);
    expect(conf.messages[1].placements).toEqual(['ContentArea']);
  });

  test('Canvas is asked to share name and email and gets its own placements', () => {
    const conf = (dynamicRegistrationRequest(urls, { productFamily: 'canvas' }) as Record<string, any>)['https://purl.imsglobal.org/spec/lti-tool-configuration'];
    expect(conf['https://canvas.instructure.com/lti/privacy_level']).toBe('public');
    expect(conf.messages[1].placements).toEqual(['link_selection', 'assignment_selection']);
  });
});
