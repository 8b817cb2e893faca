import { randomBytes } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler } from 'express';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { overridesOf } from '../people/roles';
import { Course } from '../people/course.model';
import { asStrings, CLAIM, contextIdOf, MESSAGE_TYPES } from './launch-claims';
import { shareCheckedPlatform } from './ltijs/validate-token';
import { expectNoLtijsState } from './ltijs/cached-reads';
import type { KnownCourse } from './launch.service';
import { platformKey } from './platform-keys';
import type { LtiPlatform, LtiProvider } from './ltijs/provider';
import { noRoleRefusal, REFUSALS, refusalError, type Refusal } from './refusals';
import { deploymentStatus } from './registration-status';
import { describeRoleKey, mapRoles } from '../people/roles';
import { onLtijsRedirect } from './ltijs/redirect';

/** How long an id_token may take from the VLE to us, and how far the VLE's clock may run ahead. */
export const ID_TOKEN_MAX_AGE_S = 60;
const CLOCK_SKEW_S = 30;

export interface GuardDeps {
  lti: LtiProvider;
  cookieOptions: CookieOptions;
}

/**
 * Before ltijs answers a login initiation: check its parameters, and replace ltijs's Math.random nonce with
 * a strong one. rememberLogin (storage/login.ts, running inside this) keeps it with the login, keyed by the
 * state, so the launch can be held to it.
 */
/**
 * Login initiation parameters are plain text. Express's query parser turns `iss[$ne]=x` into an object, which
 * would reach ltijs's database lookups as a query operator (and `target_link_uri[a]=b` its URL parsing): such a
 * request is refused with a page before ltijs sees it.
 */
export function plainLoginParams(): RequestHandler {
  return (req, _res, next) => {
    const values = [...Object.values(req.query as Record<string, unknown>), ...Object.values((req.body ?? {}) as Record<string, unknown>)];
    if (values.some((v) => typeof v !== 'string')) return next(refusalError(REFUSALS.badLoginValue));
    next();
  };
}

export function loginCapture(): RequestHandler {
  return (req, res, next) => {
    const p = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    if (!p.iss || !p.login_hint || !p.target_link_uri) return next(refusalError(REFUSALS.badLogin));
    onLtijsRedirect(res, (target, redirect) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        return redirect(target);
      }
      const state = url.searchParams.get('state');
      if (!state) return redirect(target);
      url.searchParams.set('nonce', randomBytes(24).toString('base64url'));
      redirect(url.toString());
    });
    next();
  };
}

/** The login a launch answers, as launchWithoutCookie (storage/launch.ts) took it, once, from our records. */
export interface IssuedLogin {
  state: string;
  nonce: string;
  issuer: string;
  /** Whether ltijs kept a state entry at this login (only for a target_link_uri with a query); absent: not known. */
  ltijsKeptState?: boolean;
}

interface CheckedLaunch {
  claims: JwtPayload & Record<string, unknown>;
  platform: LtiPlatform;
  clientId: string;
  /** The course as the role check read it, for recordLaunch (null: not stored yet; absent: not read, as for deep linking). */
  course?: KnownCourse | null;
}

/**
 * Before ltijs stores anything for an id_token POST: every check ltijs makes, plus the ones it lacks
 * (the nonce we sent, the deployment, a future iat, roles that map to something). A refused launch leaves
 * no document behind: its login (and nonce) was consumed before this, and ltijs's state entry is removed.
 * Runs after launchWithoutCookie, which puts the login it consumed in res.locals.issuedLogin.
 */
export function launchCheck(deps: GuardDeps): RequestHandler {
  return async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.id_token !== 'string' || (req as { token?: unknown }).token) return next();
    const state = typeof body.state === 'string' && body.state ? body.state : null;
    try {
      const checked = await check(deps, req, body.id_token, state, res.locals.issuedLogin as IssuedLogin | undefined);
      res.locals.checkedLaunch = checked;
      next();
    } catch (err) {
      if (state) {
        res.clearCookie(`state${state}`, deps.cookieOptions);
        await deps.lti.Database.Delete('state', { state }).catch(() => undefined);
      }
      next(isRefusal(err) ? refusalError(err) : err);
    }
  };
}

const isRefusal = (e: unknown): e is Refusal =>
  typeof e === 'object' && e !== null && 'heading' in e && 'status' in e && !(e instanceof Error);

async function check(deps: GuardDeps, req: Request, idToken: string, state: string | null, issued: IssuedLogin | undefined): Promise<CheckedLaunch> {
  const decoded = jwt.decode(idToken, { complete: true });
  const payload = (decoded && typeof decoded.payload === 'object' ? decoded.payload : {}) as JwtPayload & Record<string, unknown>;
  if (!state || !issued || issued.state !== state) throw state ? REFUSALS.stateUnknown : REFUSALS.stateMissing;
  if (!decoded) throw REFUSALS.tokenUnreadable;
  const cookieIssuer = (req.signedCookies as Record<string, unknown> | undefined)?.[`state${state}`];
  if (!cookieIssuer) throw REFUSALS.cookieBlocked;
  if (payload.iss !== cookieIssuer || payload.iss !== issued.issuer) throw REFUSALS.issuerMismatch;

  const { platform, clientId } = await findPlatform(deps.lti, payload);
  if (!(await platform.platformActive())) throw REFUSALS.platformInactive;
  if (decoded.header.alg !== 'RS256') throw REFUSALS.badSignature;
  const key = await platformKey(await platform.platformAuthConfig(), decoded.header.kid).catch(() => {
    throw REFUSALS.keysUnavailable; // the VLE's key set could not be fetched or read
  });
  if (!key) throw REFUSALS.unknownKey;
  try {
    jwt.verify(idToken, key, { algorithms: ['RS256'], clockTolerance: CLOCK_SKEW_S });
  } catch (err) {
    throw (err as Error).name === 'TokenExpiredError' ? REFUSALS.tokenExpired : REFUSALS.badSignature;
  }
  const now = Date.now() / 1000;
  if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') throw REFUSALS.tokenExpired;
  if (payload.iat > now + CLOCK_SKEW_S) throw REFUSALS.tokenFromFuture;
  if (now - payload.iat > ID_TOKEN_MAX_AGE_S) throw REFUSALS.tokenExpired;
  if (payload.nonce !== issued.nonce) throw REFUSALS.nonceMismatch;

  checkClaims(payload);
  await checkDeployment(payload.iss as string, clientId, payload[CLAIM.deploymentId] as string);
  const course = payload[CLAIM.messageType] === 'LtiResourceLinkRequest' ? await checkRolesMapToSomething(payload) : undefined;
  // every check passed: ltijs need not look the platform up again, nor look for a state it never kept
  shareCheckedPlatform(idToken, platform);
  if (issued.ltijsKeptState === false) expectNoLtijsState(state);
  return { claims: payload, platform, clientId, ...(course !== undefined ? { course } : {}) };
}

/** The registration this token is for: its aud (one of them, named by azp when there are several). */
async function findPlatform(lti: LtiProvider, payload: JwtPayload): Promise<{ platform: LtiPlatform; clientId: string }> {
  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  const auds = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).filter((a): a is string => typeof a === 'string');
  if (!iss || auds.length === 0) throw REFUSALS.tokenUnreadable;
  if (auds.length > 1 && typeof payload.azp !== 'string') throw REFUSALS.wrongAudience;
  if (payload.azp !== undefined && !auds.includes(payload.azp as string)) throw REFUSALS.wrongAudience;
  const candidates = payload.azp !== undefined ? [payload.azp as string] : auds;
  for (const clientId of candidates) {
    const platform = await lti.getPlatform(iss, clientId);
    if (platform) return { platform, clientId };
  }
  const known = await lti.getPlatform(iss);
  throw known && known.length ? REFUSALS.wrongAudience : REFUSALS.unknownPlatform;
}

function checkClaims(payload: Record<string, unknown>): void {
  const type = payload[CLAIM.messageType];
  if (!(MESSAGE_TYPES as readonly unknown[]).includes(type)) throw REFUSALS.wrongMessageType;
  if (payload[CLAIM.version] !== '1.3.0') throw REFUSALS.wrongVersion;
  if (typeof payload.sub !== 'string' || !payload.sub) throw REFUSALS.missingSub;
  if (!Array.isArray(payload[CLAIM.roles])) throw REFUSALS.missingRoles;
  if (typeof payload[CLAIM.deploymentId] !== 'string' || !payload[CLAIM.deploymentId]) throw REFUSALS.missingClaim;
  if (type === 'LtiResourceLinkRequest') {
    const link = payload[CLAIM.resourceLink] as { id?: unknown } | undefined;
    if (!payload[CLAIM.targetLinkUri] || !link || typeof link.id !== 'string' || !link.id) throw REFUSALS.missingClaim;
  }
}

/** perf: an active deployment's answer is kept briefly (registration-status.ts); an installer's change applies at once. */
async function checkDeployment(iss: string, clientId: string, deploymentId: string): Promise<void> {
  const status = await deploymentStatus({ iss, clientId, deploymentId });
  if (status === 'unknown') throw REFUSALS.unknownDeployment;
  if (status === 'inactive') throw REFUSALS.deploymentInactive;
}

/**
 * Refused here, before ltijs stores the launch, rather than after. Answers the course it read (its role overrides
 * included), so recordLaunch need not read it again.
 */
async function checkRolesMapToSomething(payload: Record<string, unknown>): Promise<KnownCourse | null> {
  const rawRoles = asStrings(payload[CLAIM.roles]);
  const contextId = contextIdOf(payload[CLAIM.context] as { id?: unknown }, payload[CLAIM.resourceLink] as { id?: unknown });
  const course = await Course.findOne({ issuer: payload.iss, deploymentId: payload[CLAIM.deploymentId], contextId }).lean();
  const mapping = mapRoles(rawRoles, course ? overridesOf(course) : {});
  if (mapping.roles.length === 0 && course && mapping.seen.length) {
    // a genuine launch (every check above passed): let the coordinator see this role and give it access
    await Course.updateOne({ _id: course._id }, { $addToSet: { rolesSeen: { $each: mapping.seen.map((r) => r.key) } } });
  }
  if (mapping.roles.length === 0) throw noRoleRefusal([...mapping.seen.map((r) => describeRoleKey(r.key)), ...mapping.unrecognised]);
  return course;
}

export type { CheckedLaunch };
