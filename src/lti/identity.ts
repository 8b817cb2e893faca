import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { Course } from '../people/course.model';
import { contextIdOf } from './launch-claims';
import { Membership } from '../people/membership.model';
import { noRoleRefusal, refusalError, REFUSALS } from './refusals';
import { registrationIsOn, type PlatformLookup } from './registration-status';
import { mapRoles, overridesOf, withStaffChoice } from '../people/roles';
import { User } from '../people/user.model';
import { csrfTokenFor } from '../http/csrf';
import { urlWithLtik, type Who } from '../http/who';
import { shortLived } from '../http/short-lived';

interface LtijsToken {
  iss: string;
  clientId: string;
  user: string;
  deploymentId: string;
  platformContext?: { context?: { id?: string }; resource?: { id?: string } };
}

/** Reads res.locals.token/context (set by ltijs) into a Who, or null when our records do not know the launch. */
export async function resolveWho(res: Response, ltiKey: string): Promise<Who | null> {
  const token = res.locals.token as LtijsToken | undefined;
  const ltik = res.locals.ltik as string | undefined;
  if (!token || !ltik) return null;
  const ctx = token.platformContext ?? (res.locals.context as LtijsToken['platformContext']);
  const contextId = contextIdOf(ctx?.context, ctx?.resource);
  const [user, course] = await Promise.all([
    User.findOne({ issuer: token.iss, sub: token.user }).lean(),
    Course.findOne({ issuer: token.iss, deploymentId: token.deploymentId, contextId }).lean(),
  ]);
  if (!user || !course) return null;
  const membership = await Membership.findOne({ user: user._id, course: course._id }).lean();
  if (!membership) return null;
  const roles = withStaffChoice(mapRoles(membership.ltiRoles ?? [], overridesOf(course)).roles, course.teachersByPerson, membership.staffRole);
  return {
    userId: String(user._id),
    courseId: String(course._id),
    issuer: user.issuer,
    sub: user.sub,
    name: user.name || 'Unnamed user',
    email: user.email ?? undefined,
    roles,
    role: roles[0],
    courseTitle: course.title || course.label || 'this course',
    mentorScope: membership.mentorScope && membership.mentorScope.length ? membership.mentorScope : undefined,
    ltik,
    csrfToken: csrfTokenFor(ltiKey, ltik),
  };
}

/**
 * perf: the Who of a recent request, by the hash of its ltik, so a page or autosave does not read User, Course
 * and Membership again. Only consulted after ltijs (and the session-age check) validated the ltik on this very
 * request; a miss is just the three reads. Entries live WHO_TTL_MS; another instance sees a role change within that.
 */
export const WHO_TTL_MS = 30_000;
const WHO_CACHE_SIZE = 2_000;
const whoCache = shortLived<Who>(WHO_CACHE_SIZE, WHO_TTL_MS);
const ltikKey = (ltik: string) => createHash('sha256').update(ltik).digest('base64url');

function cachedWho(ltik: string): Who | undefined {
  const hit = whoCache.get(ltikKey(ltik));
  return hit ? { ...hit, roles: [...hit.roles] } : undefined; // a request may not change another's
}

function rememberWho(who: Who): void {
  whoCache.set(ltikKey(who.ltik), who);
}

/**
 * perf: the Who a launch has just recorded (the same fields resolveWho would read back), kept for the launch's new
 * ltik so its landing page does not read User, Course and Membership again. Consulted, like any entry, only after
 * ltijs validated that ltik on the landing request.
 */
export function rememberLaunchedWho(ltiKey: string, ltik: string, who: Omit<Who, 'ltik' | 'csrfToken' | 'role'>): void {
  if (!who.roles.length) return;
  rememberWho({ ...who, roles: [...who.roles], role: who.roles[0], ltik, csrfToken: csrfTokenFor(ltiKey, ltik) });
}

/** perf: call after changing what a course's roles mean (role overrides), so this process re-reads them at once. */
export function forgetIdentities(filter: { courseId?: string } = {}): void {
  for (const [key, who] of [...whoCache.entries()]) if (!filter.courseId || who.courseId === filter.courseId) whoCache.delete(key);
}

/**
 * Sets res.locals.who and res.locals.url for every route behind the launch check. A session whose VLE or
 * deployment has since been deactivated or removed is refused (`platforms`: ltijs's platform records).
 */
export function identity(ltiKey: string, platforms: PlatformLookup, options: { optional?: boolean } = {}): RequestHandler {
  return async (_req, res, next) => {
    try {
      const token = res.locals.token as LtijsToken | undefined;
      if (!token) return next(options.optional ? undefined : refusalError(REFUSALS.notLaunched));
      if (!(await registrationIsOn(platforms, { iss: token.iss, clientId: token.clientId, deploymentId: token.deploymentId }))) {
        return next(refusalError(REFUSALS.registrationSwitchedOff));
      }
      const ltik = res.locals.ltik as string | undefined;
      const cached = ltik ? cachedWho(ltik) : undefined;
      const who = cached ?? (await resolveWho(res, ltiKey));
      if (who && !cached && who.role) rememberWho(who);
      if (!who) return next(options.optional ? undefined : refusalError(REFUSALS.sessionExpired));
      if (!who.role) return next(refusalError(noRoleRefusal([])));
      res.locals.who = who;
      res.locals.url = (path: string) => urlWithLtik(path, who.ltik);
      next();
    } catch (err) {
      next(err);
    }
  };
}
