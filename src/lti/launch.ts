import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { requireRole } from '../http/access';
import type { Who } from '../http/who';
import type { Logger } from 'pino';
import { rememberLaunchedWho, resolveWho } from './identity';
import { urlWithLtik } from '../http/who';
import type { CheckedLaunch } from './launch-guard';
import { launchFacts, recordLaunch, type LaunchFacts, type RecordedLaunch } from './launch.service';
import { noRoleRefusal, REFUSALS, refusalError } from './refusals';
import { LANDING_PAGES } from '../people/roles';
import { onLtijsRedirect } from './ltijs/redirect';

/** Called after each validated launch is recorded (e.g. the gradebook keeps the AGS endpoint). */
export type AfterLaunch = (facts: LaunchFacts, recorded: RecordedLaunch) => Promise<void>;

/** What a course-level hook may read: the same on every launch of one link, whoever launches. */
const courseFacts = (f: LaunchFacts, r: RecordedLaunch) => [r.courseId, f.issuer, f.clientId, f.deploymentId, f.messageType, f.resourceLinkId, f.ags, f.nrps, f.returnUrl];
export const COURSE_FACTS_TTL_MS = 60_000;

/**
 * perf: a hook that keeps course-level facts (AGS and NRPS endpoints, the return URL) would write the same
 * values on every launch; this runs it again only when those facts change, or after COURSE_FACTS_TTL_MS, so
 * a document removed meanwhile comes back. A hook that failed runs again on the next launch.
 */
export function whenCourseFactsChange(hook: AfterLaunch, ttlMs = COURSE_FACTS_TTL_MS, maxEntries = 2_000): AfterLaunch {
  const done = new Map<string, number>();
  return async (facts, recorded) => {
    const key = JSON.stringify(courseFacts(facts, recorded));
    if ((done.get(key) ?? 0) > Date.now()) return;
    await hook(facts, recorded);
    done.delete(key);
    if (done.size >= maxEntries) done.delete(done.keys().next().value!);
    done.set(key, Date.now() + ttlMs);
  };
}

export interface LaunchDeps {
  ltiKey: string;
  log: Logger;
  afterLaunch: AfterLaunch[];
  /** Where an installer goes after a launch (the admin pages' signed hand-over), when they exist. */
  installerLanding?: (who: { issuer: string; sub: string; clientId: string; name: string }) => string;
}

/**
 * ltijs validates the id_token POST and answers with a redirect carrying the new ltik; at that moment (and
 * only then) we record the user, course and membership from the claims we verified ourselves.
 */
export function recordValidLaunch(deps: LaunchDeps): RequestHandler {
  return (_req, res, next) => {
    const checked = res.locals.checkedLaunch as CheckedLaunch | undefined;
    if (!checked) return next();
    onLtijsRedirect(res, (target, redirect) => {
      if (!/[?&]ltik=/.test(target)) return redirect(target);
      const facts = launchFacts(checked.claims, checked.clientId);
      recordLaunch(facts, checked.course)
        .then(async (recorded) => {
          await Promise.all(deps.afterLaunch.map((hook) => hook(facts, recorded).catch((err: unknown) => deps.log.error({ err }, 'after-launch hook failed'))));
          if (facts.messageType === 'LtiResourceLinkRequest') rememberLanding(deps, target, facts, recorded);
          redirect(facts.messageType === 'LtiResourceLinkRequest' ? landingFor(deps, facts, recorded, target) : target);
        })
        .catch((err: unknown) => next(err));
    });
    next();
  };
}

/** perf: the identity this launch recorded, for the landing page it is sent to (see identity.ts). */
function rememberLanding(deps: LaunchDeps, target: string, facts: LaunchFacts, recorded: RecordedLaunch): void {
  const ltik = new URL(target, 'http://tool.invalid').searchParams.get('ltik');
  if (!ltik) return;
  rememberLaunchedWho(deps.ltiKey, ltik, {
    userId: recorded.userId,
    courseId: recorded.courseId,
    issuer: facts.issuer,
    sub: facts.sub,
    name: recorded.userName || 'Unnamed user',
    email: recorded.userEmail,
    roles: recorded.roles,
    courseTitle: recorded.courseTitle || 'this course',
    mentorScope: facts.mentorScope && facts.mentorScope.length ? facts.mentorScope : undefined,
  });
}

/**
 * A resource-link launch goes straight to the person's landing page (keeping ltijs's query and ltik),
 * saving the round trip through ltijs's app route; deep linking still goes through ltijs.
 */
function landingFor(deps: LaunchDeps, facts: LaunchFacts, recorded: RecordedLaunch, ltijsTarget: string): string {
  const role = recorded.roles[0];
  if (role === 'installer' && deps.installerLanding) return deps.installerLanding({ issuer: facts.issuer, sub: facts.sub, clientId: facts.clientId, name: facts.name });
  const page = role === 'installer' ? '/lti/installer' : LANDING_PAGES[role];
  if (!page) return ltijsTarget;
  const query = ltijsTarget.slice(ltijsTarget.indexOf('?'));
  return `${page}${query}`;
}

/** The client id of the registration this session came through (ltijs's validated token). */
const sessionClientId = (res: Response) => String((res.locals.token as { clientId?: unknown } | undefined)?.clientId ?? '');

/** ltijs's onConnect (a person reloading /lti/launch?ltik=…): send them to the page for their highest role. */
export function landOnRolePage(deps: LaunchDeps) {
  return async (_token: unknown, _req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const who = await resolveWho(res, deps.ltiKey);
      if (!who) return next(refusalError(REFUSALS.sessionExpired));
      if (!who.role) return next(refusalError(noRoleRefusal([])));
      if (who.role === 'installer' && deps.installerLanding) return res.redirect(deps.installerLanding({ ...who, clientId: sessionClientId(res) }));
      const page = who.role === 'installer' ? '/lti/installer' : LANDING_PAGES[who.role];
      res.redirect(urlWithLtik(page, who.ltik));
    } catch (err) {
      next(err);
    }
  };
}

/** /lti/installer, the header's "Registration" link: the installer pages when they exist, else a placeholder. */
export function installerEntry(deps: LaunchDeps): Router {
  const router = Router();
  router.get('/', requireRole('installer'), (_req, res, next) => {
    const who = res.locals.who as Who;
    if (deps.installerLanding) return res.redirect(deps.installerLanding({ ...who, clientId: sessionClientId(res) }));
    next();
  });
  return router;
}
