import type { JwtPayload } from 'jsonwebtoken';
import type { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { asStrings, CLAIM, contextIdOf } from './launch-claims';
import { Membership } from '../people/membership.model';
import { isAdministratorLaunch, mapRoles, sendsOneTeacherRole, withStaffChoice, type AppRole, type RoleOverrides, type StaffChoice } from '../people/roles';
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
  /** tool_platform.product_family_code: which VLE this is (Moodle sends one role for every teacher). */
  platformFamily?: string;
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
  teachersByPerson?: boolean | null;
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
    platformFamily: str((claims[CLAIM.toolPlatform] as { product_family_code?: unknown } | undefined)?.product_family_code),
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

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

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
 * A teacher's first launch in a course that decides per person: whoever adds the tool (deep linking) or opens it
 * first becomes coordinator; any later teacher is a mentor until the coordinator says otherwise on the Teachers page.
 */
async function staffChoiceOf(
  f: LaunchFacts,
  courseId: Types.ObjectId,
  userId: Types.ObjectId,
  membership: { staffRole?: string | null; staffRoleBy?: string | null } | null,
): Promise<StaffChoice> {
  const was = membership?.staffRole as StaffChoice | null | undefined;
  const addsTheTool = f.messageType === 'LtiDeepLinkingRequest';
  if (was && !(addsTheTool && membership?.staffRoleBy === 'default')) return was;
  let choice: { staffRole: StaffChoice; staffRoleBy: string } = { staffRole: 'mentor', staffRoleBy: 'default' };
  if (addsTheTool) choice = { staffRole: 'coordinator', staffRoleBy: 'added-the-tool' };
  else if (!isAdministratorLaunch(f.ltiRoles)) {
    // One winner, however many teachers open the tool at once.
    const won = await Course.updateOne({ _id: courseId, firstCoordinator: null }, { $set: { firstCoordinator: userId } });
    if (won.modifiedCount === 1) choice = { staffRole: 'coordinator', staffRoleBy: 'first-teacher' };
  }
  await Membership.updateOne({ user: userId, course: courseId }, { $set: choice });
  return choice.staffRole;
}

/** findOneAndUpdate's whole answer: the record before the launch, or the id a first launch inserted. */
interface UserBefore {
  value: { _id: Types.ObjectId; name?: string | null; email?: string | null } | null;
  lastErrorObject?: { upserted?: Types.ObjectId };
}

// No role_scope_mentor: absent, or the empty list mongoose gives an array by default (both read as "not limited").
const NO_SCOPE = { $in: [null, []] };

type StaffFields = { staffRole?: string | null; staffRoleBy?: string | null; appRoles?: string[] | null } | null;

/**
 * The membership as this launch describes it, written only when that differs from what is stored (or the person's
 * name changed): a relaunch with the same roles changes nothing, so its `updatedAt` stays and the course's people
 * (src/roster/people-cache.service.ts, which reads the newest changes) do not count it as a change. One operation
 * either way: an upsert whose filter holds the launch's values matches the stored membership when they are the same,
 * inserts a first one, and otherwise fails on the unique (user, course) key, when the full update runs.
 * `lastLaunchAt` on a membership is therefore the last launch that changed it.
 */
async function writeMembership(
  f: LaunchFacts,
  userId: Types.ObjectId,
  courseId: Types.ObjectId,
  mapped: AppRole[],
  wantsStaff: boolean,
  renamed: boolean,
  now: Date,
): Promise<StaffFields | undefined> {
  const key = { user: userId, course: courseId };
  const scope = f.mentorScope ? { mentorScope: f.mentorScope } : {};
  // perf: only a course that decides per person needs the membership's staff choice back; its app roles follow
  // that choice (written after), so they are compared there rather than here.
  const staffBack = { projection: { staffRole: 1, staffRoleBy: 1, appRoles: 1 } } as const;
  const update = async () => {
    const full = { $set: { ltiRoles: f.ltiRoles, appRoles: mapped, lastLaunchAt: now, ...scope }, ...(f.mentorScope ? {} : { $unset: { mentorScope: 1 } }) };
    if (!wantsStaff) return void (await Membership.updateOne(key, full, { upsert: true }));
    return Membership.findOneAndUpdate(key, full, { upsert: true, new: true, ...staffBack }).lean();
  };
  if (renamed) return upsert(update);
  const same = { ...key, ltiRoles: f.ltiRoles, ...(wantsStaff ? {} : { appRoles: mapped }), mentorScope: f.mentorScope ?? NO_SCOPE };
  // Timestamps by hand: mongoose's own would `$set` updatedAt on the match too.
  const onInsert = { $setOnInsert: { ltiRoles: f.ltiRoles, appRoles: mapped, lastLaunchAt: now, ...scope, createdAt: now, updatedAt: now } };
  try {
    if (!wantsStaff) return void (await Membership.updateOne(same, onInsert, { upsert: true, timestamps: false }));
    return await Membership.findOneAndUpdate(same, onInsert, { upsert: true, new: true, timestamps: false, ...staffBack }).lean();
  } catch (err) {
    if (isDuplicate(err)) return upsert(update); // stored differently (or a first launch racing this one)
    throw err;
  }
}

/** How fresh a user's `lastLaunchAt` is kept: a relaunch within this of the stored one leaves the record alone. */
export const LAST_LAUNCH_STEP_MS = 60 * 60_000;

/**
 * The user as this launch describes them, answered as the record was before (null: a first launch), so the
 * membership is written only when the name changed. perf: as `writeMembership`, one upsert whose filter holds the
 * launch's values matches an unchanged record and writes nothing (no journal write to wait for); a new name, email
 * or picture, or a `lastLaunchAt` older than LAST_LAUNCH_STEP_MS, fails on the unique (issuer, sub) key and the full
 * update runs. An email or picture the launch does not send is left as stored, as before.
 */
async function writeUser(f: LaunchFacts, now: Date): Promise<UserBefore> {
  const key = { issuer: f.issuer, sub: f.sub };
  const answer = { new: false, includeResultMetadata: true, projection: { name: 1, email: 1 } } as const;
  const full = () =>
    User.findOneAndUpdate(key, { $set: { name: f.name, email: f.email, picture: f.picture, lastLaunchAt: now } }, { upsert: true, setDefaultsOnInsert: true, ...answer }).lean() as unknown as Promise<UserBefore>;
  const given = { ...(f.email ? { email: f.email } : {}), ...(f.picture ? { picture: f.picture } : {}) };
  const same = { ...key, name: f.name, ...given, lastLaunchAt: { $gte: new Date(now.getTime() - LAST_LAUNCH_STEP_MS) } };
  try {
    return (await User.findOneAndUpdate(same, { $setOnInsert: { name: f.name, ...given, lastLaunchAt: now, createdAt: now, updatedAt: now } }, {
      upsert: true,
      setDefaultsOnInsert: true,
      timestamps: false,
      ...answer,
    }).lean()) as unknown as UserBefore;
  } catch (err) {
    if (isDuplicate(err)) return upsert(full); // stored differently (or a first launch racing this one)
    throw err;
  }
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
  const [userResult, course] = await Promise.all([
    writeUser(f, now),
    known && !courseChanges(f, seenKeys, known)
      ? known
      : upsert(() =>
          Course.findOneAndUpdate(
            { issuer: f.issuer, deploymentId: f.deploymentId, contextId: f.contextId },
            {
              ...(Object.keys(courseSet).length ? { $set: courseSet } : {}),
              $addToSet: { rolesSeen: { $each: seenKeys } },
              $setOnInsert: { teachersByPerson: sendsOneTeacherRole(f.platformFamily) },
            },
            { upsert: true, new: true, setDefaultsOnInsert: true },
          ).lean(),
        ),
  ]);
  const before = userResult.value;
  const userId = (before?._id ?? userResult.lastErrorObject?.upserted) as Types.ObjectId | undefined;
  if (!userId || !course) throw new Error('launch upsert returned nothing');
  const user = { _id: userId, name: f.name, email: f.email ?? before?.email ?? undefined };
  const renamed = !!before && before.name !== f.name;
  const overrides = Object.fromEntries((course.roleOverrides ?? []).map((o) => [o.key, o.roles])) as RoleOverrides;
  const mapped = mapRoles(f.ltiRoles, overrides).roles;
  const [, membership] = await Promise.all([
    f.pathway && !course.pathway
      ? // the first link added by deep linking decides; a later change of pathway is the coordinator's to make
        Course.updateOne(
          { _id: course._id, pathway: { $exists: false } },
          { $set: { pathway: f.pathway, ...(f.frameworkId ? { frameworkId: f.frameworkId } : {}) } },
        )
      : undefined,
    writeMembership(f, user._id, course._id, mapped, !!course.teachersByPerson, renamed, now),
  ]);
  let roles = mapped;
  if (course.teachersByPerson && mapped.includes('coordinator')) {
    const choice = await staffChoiceOf(f, course._id, user._id, membership ?? null);
    roles = withStaffChoice(mapped, true, choice);
  }
  if (course.teachersByPerson && !sameList(membership?.appRoles ?? [], roles)) {
    await Membership.updateOne({ user: user._id, course: course._id }, { $set: { appRoles: roles } });
  }
  return {
    userId: String(user._id),
    courseId: String(course._id),
    roles,
    userName: user.name,
    userEmail: user.email ?? undefined,
    courseTitle: course.title || course.label || undefined,
  };
}
