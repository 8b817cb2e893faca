import { toolUrls, type ToolUrls } from '../http/tool-urls';

export { toolUrls, type ToolUrls };

export const TOOL_NAME = 'CMALT Portfolio';
export const TOOL_DESCRIPTION = 'Build, mentor and review CMALT portfolios inside your course.';

export const LTI_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
];

/** The identity claims the tool needs: who the person is and how to address them. */
export const WANTED_CLAIMS = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email', 'picture'];

/** Placements each VLE family understands for deep linking; others get none rather than a rejected request. */
function deepLinkingPlacements(productFamily: string | undefined): string[] | undefined {
  if (productFamily === 'canvas') return ['link_selection', 'assignment_selection'];
  if (productFamily === 'moodle') return ['ContentArea'];
  return undefined;
}

/** The client metadata sent to a platform's registration endpoint (LTI Dynamic Registration 1.0, section 3.3). */
export function dynamicRegistrationRequest(
  urls: ToolUrls,
  platform: { productFamily?: string; claimsSupported?: string[] },
): Record<string, unknown> {
  const placements = deepLinkingPlacements(platform.productFamily);
  const claims = platform.claimsSupported?.length
    ? WANTED_CLAIMS.filter((c) => platform.claimsSupported!.includes(c))
    : WANTED_CLAIMS;
  const toolConfiguration: Record<string, unknown> = {
    domain: urls.domain,
    description: TOOL_DESCRIPTION,
    target_link_uri: urls.launch,
    claims,
    messages: [
      {
        type: 'LtiResourceLinkRequest',
        target_link_uri: urls.launch,
        label: TOOL_NAME,
        ...(platform.productFamily === 'canvas' ? { placements: ['course_navigation'] } : {}),
      },
      {
        type: 'LtiDeepLinkingRequest',
        target_link_uri: urls.deepLinking,
        label: `Add ${TOOL_NAME}`,
        ...(placements ? { placements } : {}),
      },
    ],
  };
  if (platform.productFamily === 'canvas') {
    toolConfiguration['https://canvas.instructure.com/lti/privacy_level'] = 'public'; // name and email
  }
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: [urls.launch],
    client_name: TOOL_NAME,
    jwks_uri: urls.keys,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: LTI_SCOPES.join(' '),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': toolConfiguration,
  };
}

/** Canvas's "Paste JSON" developer key configuration (LTI 1.3). */
export function canvasConfiguration(urls: ToolUrls): Record<string, unknown> {
  return {
    title: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    public_jwk_url: urls.keys,
    scopes: LTI_SCOPES,
    extensions: [
      {
        domain: new URL(urls.base).hostname,
        tool_id: 'cmalt-portfolio',
        platform: 'canvas.instructure.com',
        privacy_level: 'public',
        settings: {
          text: TOOL_NAME,
          placements: [
            {
              placement: 'course_navigation',
              message_type: 'LtiResourceLinkRequest',
              target_link_uri: urls.launch,
              text: TOOL_NAME,
              default: 'enabled',
              visibility: 'members',
            },
            {
              placement: 'link_selection',
              message_type: 'LtiDeepLinkingRequest',
              target_link_uri: urls.deepLinking,
              text: TOOL_NAME,
            },
            {
              placement: 'assignment_selection',
              message_type: 'LtiDeepLinkingRequest',
              target_link_uri: urls.deepLinking,
              text: TOOL_NAME,
            },
          ],
        },
      },
    ],
  };
}
