import type { RequestHandler, Response } from 'express';
import { Course } from '../lti/course.model';
import { contextIdOf } from '../lti/launch-claims';
import { Membership } from '../lti/membership.model';
import { noRoleRefusal, refusalError, REFUSALS } from '../lti/refusals';
import { mapRoles, type AppRole, type RoleOverrides } from '../lti/roles';
import { User } from '../lti/user.model';
import { csrfTokenFor } from './csrf';

/** Who is asking: built only from the validated launch (ltijs's token) and our records of it. */
export interface Who {
  userId: string;
  courseId: string;
  issuer: string;
  sub: string;
  name: string;
  email?: string;
  roles: AppRole[];
  role: AppRole;
  courseTitle: string;
  mentorScope?: string[];
  ltik: string;
  csrfToken: string;
}

interface LtijsToken {
  iss: string;
  user: string;
  deploymentId: string;
  platformContext?: { context?: { id?: string }; resource?: { id?: string } };
}

export function overridesOf(course: { roleOverrides?: Array<{ key: string; roles: string[] }> | null }): RoleOverrides {
  return Object.fromEntries((course.roleOverrides ?? []).map((o) => [o.key, o.roles])) as RoleOverrides;
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
  const { roles } = mapRoles(membership.ltiRoles ?? [], overridesOf(course));
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

/** Adds the session token to an in-tool link, keeping any query it already has. */
export function urlWithLtik(path: string, ltik: string): string {
  const [base, hash] = path.split('#');
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}ltik=${encodeURIComponent(ltik)}${hash !== undefined ? `#${hash}` : ''}`;
}

/** Sets res.locals.who and res.locals.url for every route behind the launch check. */
export function identity(ltiKey: string, options: { optional?: boolean } = {}): RequestHandler {
  return async (_req, res, next) => {
    try {
      if (!res.locals.token) return next(options.optional ? undefined : refusalError(REFUSALS.notLaunched));
      const who = await resolveWho(res, ltiKey);
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
