/** Names and small readers for the LTI 1.3 claims we use. */
export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  roleScopeMentor: `${LTI}role_scope_mentor`,
  launchPresentation: `${LTI}launch_presentation`,
  custom: `${LTI}custom`,
  toolPlatform: `${LTI}tool_platform`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const;

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;

/** A course is the context; a launch without a context (rare) is its own course, keyed by its resource link. */
export function contextIdOf(context: { id?: unknown } | undefined, resourceLink: { id?: unknown } | undefined): string {
  if (context && typeof context.id === 'string' && context.id) return context.id;
  if (resourceLink && typeof resourceLink.id === 'string' && resourceLink.id) return `link:${resourceLink.id}`;
  return 'no-context';
}

export const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
