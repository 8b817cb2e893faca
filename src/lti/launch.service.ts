import type { JwtPayload } from 'jsonwebtoken';
import type { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { asStrings, CLAIM, contextIdOf } from './launch-claims';
import { Membership } from '../people/membership.model';
import { mapRoles, type AppRole, type RoleOverrides } from '../people/roles';
import { User } from '../people/user.model';

/** What one validated launch tells us, as plain data. */
export interface LaunchFacts {
  issuer: string;
  clientId: string;
  deploymentId: string;
  sub: string;
  name: string;
  email?: string;
  picture?: string;
  contextId: string;
  courseTitle?: string;
  courseLabel?: string;
  ltiRoles: string[];
  mentorScope?: string[];
  messageType: string;
  resourceLinkId?: string;
  ags?: { scope?: string[]; lineitems?: string; lineitem?: string };
  /** launch_presentation.return_url: where the VLE wants people sent back (http(s) only). */
  returnUrl?: string;
  /** custom.cmalt_pathway on the link deep linking created: the course's pathway. */
  pathway?: string;
  /** custom.cmalt_framework on that link: the course's framework. */
  frameworkId?: string;
  nrps?: { context_memberships_url?: string };
}

export interface RecordedLaunch {
  userId: string;
  courseId: string;
  roles: AppRole[];
  /** What the launch left in the records, for the landing page's identity (identity.ts) without reading them again. */
  userName?: string;
  userEmail?: string;
  courseTitle?: string;
}

/** A course as the launch check read it (launch-guard.ts): what recordLaunch needs to know of it. */
export interface KnownCourse {
  _id: Types.ObjectId;
  title?: string | null;
  label?: string | null;
  pathway?: string | null;
  frameworkId?: string | null;
  rolesSeen?: string[] | null;
  roleOverrides?: Array<{ key: string; roles: string[] }> | null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export function launchFacts(claims: JwtPayload & Record<string, unknown>, clientId: string): LaunchFacts {
  const context = (claims[CLAIM.context] ?? undefined) as { id?: unknown; title?: unknown; label?: unknown } | undefined;
  const link = (claims[CLAIM.resourceLink] ?? undefined) as { id?: unknown } | undefined;
  const fullName = str(claims.name) ?? [str(claims.given_name), str(claims.family_name)].filter(Boolean).join(' ');
  const scope = claims[CLAIM.roleScopeMentor];
  return {
    issuer: String(claims.iss),
    clientId,
    deploymentId: String(claims[CLAIM.deploymentId]),
    sub: String(claims.sub),
    name: fullName || str(claims.email) || '',
    email: str(claims.email),
    picture: str(claims.picture),
    contextId: contextIdOf(context, link),
    courseTitle: str(context?.title),
    courseLabel: str(context?.label),
    ltiRoles: asStrings(claims[CLAIM.roles]),
    mentorScope: Array.isArray(scope) ? asStrings(scope) : undefined,
    messageType: String(claims[CLAIM.messageType]),
    resourceLinkId: str(link?.id),
    ags: (claims[CLAIM.ags] as LaunchFacts['ags']) ?? undefined,
    returnUrl: httpUrl((claims[CLAIM.launchPresentation] as { return_url?: unknown } | undefined)?.return_url),
    pathway: customId(claims[CLAIM.custom], 'cmalt_pathway'),
    frameworkId: customId(claims[CLAIM.custom], 'cmalt_framework'),
    nrps: (claims[CLAIM.nrps] as LaunchFacts['nrps']) ?? undefined,
  };
}

function httpUrl(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol) ? s : undefined;
  } catch {
    return undefined;
  }
}

// The parameter names stay as the first links were made with them: VLEs keep them on every link already added.
const customId = (custom: unknown, name: string): string | undefined => {
  const value = str((custom as Record<string, unknown> | undefined)?.[name]);
  return value && /^[a-z0-9_-]{1,40}$/i.test(value) ? value : undefined;
};

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

/** Two first launches at once may both try to insert: the loser retries as an update. */
async function upsert<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (isDuplicate(err)) return op();
    throw err;
  }
}

/** What this launch would change in a course as stored: nothing, usually (same title, no role not seen before). */
function courseChanges(f: LaunchFacts, seenKeys: string[], known: KnownCourse | null | undefined): boolean {
  if (!known) return true;
  if (f.courseTitle && f.courseTitle !== known.title) return true;
  if (f.courseLabel && f.courseLabel !== known.label) return true;
  const seen = new Set(known.rolesSeen ?? []);
  return seenKeys.some((k) => !seen.has(k));
}

/**
 * Upserts the user, the course and the membership from a launch; answers the app roles it gives.
 * perf: `known` is the course as the launch check read it a moment ago (with its role overrides); when the launch
 * changes nothing in it, it is not written or read again. Otherwise (or when not known) it is upserted as ever.
 */
export async function recordLaunch(f: LaunchFacts, known?: KnownCourse | null, now = new Date()): Promise<RecordedLaunch> {
  const seenKeys = mapRoles(f.ltiRoles).seen.map((r) => r.key);
  const courseSet: Record<string, unknown> = {};
  if (f.courseTitle) courseSet.title = f.courseTitle;
  if (f.courseLabel) courseSet.label = f.courseLabel;
  // perf: the user and the course are independent upserts; only the membership needs both ids
  const [user, course] = await Promise.all([
    upsert(() =>
      User.findOneAndUpdate(
        { issuer: f.issuer, sub: f.sub },
        { $set: { name: f.name, email: f.email, picture: f.picture, lastLaunchAt: now } },
        { upsert: true, new: true, setDefaultsOnInsert: true },
      ).lean(),
    ),
    known && !courseChanges(f, seenKeys, known)
      ? known
      : upsert(() =>
          Course.findOneAndUpdate(
            { issuer: f.issuer, deploymentId: f.deploymentId, contextId: f.contextId },
            { ...(Object.keys(courseSet).length ? { $set: courseSet } : {}), $addToSet: { rolesSeen: { $each: seenKeys } } },
            { upsert: true, new: true, setDefaultsOnInsert: true },
          ).lean(),
        ),
  ]);
  if (!user || !course) throw new Error('launch upsert returned nothing');
  const overrides = Object.fromEntries((course.roleOverrides ?? []).map((o) => [o.key, o.roles])) as RoleOverrides;
  const roles = mapRoles(f.ltiRoles, overrides).roles;
  await Promise.all([
    f.pathway && !course.pathway
      ? // the first link added by deep linking decides; a later change of pathway is the coordinator's to make
        Course.updateOne(
          { _id: course._id, pathway: { $exists: false } },
          { $set: { pathway: f.pathway, ...(f.frameworkId ? { frameworkId: f.frameworkId } : {}) } },
        )
      : undefined,
    upsert(() =>
      Membership.updateOne(
        { user: user._id, course: course._id },
        {
          $set: { ltiRoles: f.ltiRoles, appRoles: roles, lastLaunchAt: now, ...(f.mentorScope ? { mentorScope: f.mentorScope } : {}) },
          ...(f.mentorScope ? {} : { $unset: { mentorScope: 1 } }),
        },
        { upsert: true },
      ),
    ),
  ]);
  return {
    userId: String(user._id),
    courseId: String(course._id),
    roles,
    userName: user.name,
    userEmail: user.email ?? undefined,
    courseTitle: course.title || course.label || undefined,
  };
}
