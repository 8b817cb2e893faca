import { AGS_CLAIM, DL_CLAIM, LTI, NRPS_CLAIM, SCOPES, type PlatformContext } from './context';
import { nowSeconds, randomId, signJwt } from './keys';
import type { LaunchOptions, PlatformCourse, PlatformUser, PreparedLaunch } from './types';
import type { AgsStore } from './ags';

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person';
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person';
const COURSE_OFFERING = 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering';

/**
 * 'Learner' -> membership#Learner; 'Instructor#TeachingAssistant' -> membership/Instructor#TeachingAssistant;
 * 'institution:Administrator', 'system:Administrator' -> those vocabularies; full URIs pass through.
 */
export function roleUri(role: string): string {
  if (role.includes('://')) return role;
  const scoped = /^(institution|system):(.+)$/.exec(role);
  if (scoped) return `${scoped[1] === 'institution' ? INSTITUTION : SYSTEM}#${scoped[2]}`;
  if (role === 'TeachingAssistant') return `${MEMBERSHIP}/Instructor#TeachingAssistant`;
  const [principal, sub] = role.split('#');
  return sub ? `${MEMBERSHIP}/${principal}#${sub}` : `${MEMBERSHIP}#${principal}`;
}

export class People {
  constructor(private readonly ctx: PlatformContext) {}

  user(over: Partial<PlatformUser> & { name?: string } = {}): PlatformUser {
    const id = over.id ?? this.ctx.nextId('user-');
    const name = over.name ?? `Test User ${id.replace(/\D/g, '') || id}`;
    const [given, ...rest] = name.split(' ');
    const user: PlatformUser = {
      id,
      name,
      givenName: over.givenName ?? given,
      familyName: over.familyName ?? (rest.join(' ') || given),
      email: over.email ?? `${id}@vle.example.ac.uk`,
      picture: over.picture,
    };
    this.ctx.users.set(id, user);
    return user;
  }

  course(over: Partial<PlatformCourse> = {}): PlatformCourse {
    const id = over.id ?? this.ctx.nextId('course-');
    const course: PlatformCourse = {
      id,
      title: over.title ?? `CMALT cohort ${id}`,
      label: over.label ?? id.toUpperCase(),
      type: over.type ?? [COURSE_OFFERING],
    };
    this.ctx.courses.set(id, course);
    return course;
  }
}

export function prepareLaunch(ctx: PlatformContext, people: People, ags: AgsStore, options: LaunchOptions = {}): PreparedLaunch {
  const client = ctx.client(options.clientId);
  const user = options.user ?? people.user();
  const course = options.course ?? people.course();
  const deploymentId = options.deploymentId ?? client.deploymentIds[0];
  const targetLinkUri = options.targetLinkUri ?? client.targetLinkUri;
  const hint = `hint-${randomId()}`;
  const launch: PreparedLaunch = {
    hint,
    user,
    course,
    clientId: client.clientId,
    deploymentId,
    targetLinkUri,
    messageType: options.messageType ?? 'LtiResourceLinkRequest',
    options,
    loginUrl: client.loginUrl,
    loginParams: {
      iss: ctx.issuer,
      login_hint: user.id,
      target_link_uri: targetLinkUri,
      lti_message_hint: hint,
      client_id: client.clientId,
      lti_deployment_id: deploymentId,
      // platform storage offered (1EdTech Client Side postMessages): the frame the tool should talk to
      ...(options.storageTarget ? { lti_storage_target: options.storageTarget } : {}),
    },
  };
  const agsOpt = options.ags;
  if (agsOpt && typeof agsOpt === 'object' && agsOpt.lineItem) {
    const li = agsOpt.lineItem === true ? {} : agsOpt.lineItem;
    const resourceLinkId = options.resourceLink?.id ?? `rl-${course.id}`;
    if (!ags.lineItemForResourceLink(course.id, resourceLinkId)) {
      ags.createLineItem(course.id, { label: 'CMALT portfolio', scoreMaximum: 100, resourceLinkId, ...li });
    }
  }
  ctx.launches.set(hint, launch);
  return launch;
}

/** The claims of the id_token for `launch`, answering the tool's `nonce`, with every forgery applied. */
export function buildClaims(ctx: PlatformContext, ags: AgsStore, launch: PreparedLaunch, nonce: string): Record<string, unknown> {
  const { options, user, course } = launch;
  const forge = options.forge ?? {};
  const now = nowSeconds();
  const resourceLink = options.resourceLink ?? { id: `rl-${course.id}`, title: 'CMALT portfolio' };
  const messageType = forge.messageType ?? launch.messageType;
  const claims: Record<string, unknown> = {
    iss: forge.unknownIssuer ? (typeof forge.unknownIssuer === 'string' ? forge.unknownIssuer : 'https://unknown-vle.example.org') : ctx.issuer,
    aud: launch.clientId,
    azp: launch.clientId,
    sub: user.id,
    iat: forge.iatInFuture ? now + 3600 : forge.expired ? now - 7200 : now,
    exp: forge.expired ? now - 3600 : forge.iatInFuture ? now + 7200 : now + 300,
    nonce: forge.wrongNonce ? `not-${nonce}-${randomId(4)}` : nonce,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    ...(user.picture ? { picture: user.picture } : {}),
    [`${LTI}message_type`]: messageType,
    [`${LTI}version`]: forge.version ?? '1.3.0',
    [`${LTI}deployment_id`]: forge.unknownDeployment
      ? (typeof forge.unknownDeployment === 'string' ? forge.unknownDeployment : `unknown-deployment-${randomId(4)}`)
      : launch.deploymentId,
    [`${LTI}target_link_uri`]: launch.targetLinkUri,
    [`${LTI}roles`]: (options.roles ?? ['Learner']).map(roleUri),
    [`${LTI}context`]: { id: course.id, label: course.label, title: course.title, type: course.type },
    [`${LTI}tool_platform`]: {
      guid: `guid-${ctx.productFamilyCode}`,
      name: 'CMALT Test VLE',
      product_family_code: ctx.productFamilyCode,
      version: '1.0',
    },
    [`${LTI}launch_presentation`]: {
      document_target: 'iframe',
      return_url: ctx.url(`/course/${encodeURIComponent(course.id)}/return`),
      locale: 'en-GB',
    },
    [`${LTI}custom`]: options.custom ?? {},
  };
  if (launch.messageType === 'LtiResourceLinkRequest') claims[`${LTI}resource_link`] = resourceLink;
  if (launch.messageType === 'LtiDeepLinkingRequest') {
    claims[`${DL_CLAIM}deep_linking_settings`] = {
      deep_link_return_url: ctx.url(`/deep-link-return?course=${encodeURIComponent(course.id)}`),
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: false,
      auto_create: true,
      title: 'Add CMALT Portfolio',
      data: `dl-${randomId(4)}`,
    };
  }
  if (options.roleScopeMentor) claims[`${LTI}role_scope_mentor`] = options.roleScopeMentor;
  if (options.ags !== false) {
    const lineItem = ags.lineItemForResourceLink(course.id, resourceLink.id);
    claims[AGS_CLAIM] = {
      scope: [SCOPES.lineItem, SCOPES.lineItemReadOnly, SCOPES.resultReadOnly, SCOPES.score],
      lineitems: ags.lineItemsUrl(course.id),
      ...(lineItem ? { lineitem: lineItem.id } : {}),
    };
  }
  if (options.nrps !== false) {
    claims[NRPS_CLAIM] = {
      context_memberships_url: ctx.url(`/nrps/contexts/${encodeURIComponent(course.id)}/memberships`),
      service_versions: ['2.0'],
    };
  }
  if (forge.wrongAud) claims.aud = `other-client-${randomId(4)}`;
  if (forge.wrongAud) claims.azp = claims.aud;
  if (forge.azpMismatch) {
    const other = `other-client-${randomId(4)}`;
    claims.aud = [launch.clientId, other];
    claims.azp = other;
  }
  if (forge.missingSub) delete claims.sub;
  if (forge.missingRoles) delete claims[`${LTI}roles`];
  for (const [k, v] of Object.entries(options.claims ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  return claims;
}

export function signIdToken(ctx: PlatformContext, launch: PreparedLaunch, claims: Record<string, unknown>): string {
  const forge = launch.options.forge ?? {};
  if (forge.unsigned) return signJwt(claims, null, { alg: 'none', kid: ctx.key.kid });
  if (forge.badSignature) return signJwt(claims, ctx.rogueKey.privateKey, { alg: 'RS256', kid: ctx.key.kid });
  if (forge.unknownKid) return signJwt(claims, ctx.rogueKey.privateKey, { alg: 'RS256', kid: ctx.rogueKey.kid });
  return signJwt(claims, ctx.key.privateKey, { alg: 'RS256', kid: ctx.key.kid });
}
