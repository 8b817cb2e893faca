import { forgetIdentities } from './identity';
import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { COURSE_APP_ROLES, defaultRolesForKey, describeRoleKey, mapRoles, parseKey, ROLE_LABELS, withStaffChoice, type CourseAppRole } from '../people/roles';

export interface RoleRow {
  key: string;
  label: string;
  scope: string;
  editable: boolean;
  roles: string[];
  changed: boolean;
  defaultText: string;
  currentText: string;
}

const listText = (roles: string[]) => (roles.length ? roles.map((r) => ROLE_LABELS[r as CourseAppRole] ?? r).join(', ') : 'no access');

/** The course's role page: every LTI role seen in the course, its default and current app roles. */
export async function roleTable(courseId: string): Promise<RoleRow[]> {
  const course = await Course.findById(courseId).lean();
  if (!course) return [];
  const overrides = new Map((course.roleOverrides ?? []).map((o) => [o.key, o.roles]));
  return [...(course.rolesSeen ?? [])].sort().map((key) => {
    const role = parseKey(key);
    const defaults = defaultRolesForKey(key);
    const current = overrides.get(key) ?? defaults;
    const editable = role?.scope === 'context';
    const installer = !editable && mapRoles([rawFor(key)]).roles.includes('installer');
    return {
      key,
      label: describeRoleKey(key),
      scope: role?.scope ?? 'unknown',
      editable,
      roles: editable ? current : [],
      changed: overrides.has(key),
      defaultText: editable ? listText(defaults) : installer ? 'installer rights' : 'no access',
      currentText: editable ? listText(current) : installer ? 'Installer rights' : 'No access',
    };
  });
}

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';
function rawFor(key: string): string {
  const r = parseKey(key);
  if (!r) return key;
  if (r.scope === 'institution') return `${LIS}institution/person#${r.principal}`;
  if (r.scope === 'system') return `${LIS}system/person#${r.principal}`;
  return r.subRole ? `${LIS}membership/${r.principal}#${r.subRole}` : `${LIS}membership#${r.principal}`;
}

export type SaveResult = { ok: true } | { ok: false; message: string };

/**
 * Saves the coordinator's choices for the context roles seen in the course; a choice equal to the default
 * is stored as no override. Refuses a change that would take coordinator access from the person making it.
 */
export async function saveRoleOverrides(courseId: string, userId: string, choices: Record<string, string[]>): Promise<SaveResult> {
  const course = await Course.findById(courseId).lean();
  if (!course) return { ok: false, message: 'This course could not be found.' };
  const seen = new Set(course.rolesSeen ?? []);
  const overrides: Array<{ key: string; roles: CourseAppRole[] }> = [];
  for (const [key, picked] of Object.entries(choices)) {
    if (!seen.has(key) || parseKey(key)?.scope !== 'context') continue;
    const roles = COURSE_APP_ROLES.filter((r) => picked.includes(r));
    const defaults = defaultRolesForKey(key);
    if (roles.length !== defaults.length || roles.some((r) => !defaults.includes(r))) overrides.push({ key, roles });
  }
  const membership = await Membership.findOne({ user: userId, course: courseId }).lean();
  const mine = mapRoles(membership?.ltiRoles ?? [], Object.fromEntries(overrides.map((o) => [o.key, o.roles])));
  if (!withStaffChoice(mine.roles, course.teachersByPerson, membership?.staffRole).includes('coordinator')) {
    return { ok: false, message: 'These changes would remove your own coordinator access, so they were not saved.' };
  }
  await Course.updateOne({ _id: courseId }, { $set: { roleOverrides: overrides } });
  await refreshAppRoles(courseId, Object.fromEntries(overrides.map((o) => [o.key, o.roles])), course.teachersByPerson);
  forgetIdentities({ courseId }); // this process's cached pages-as-who see the change at once
  return { ok: true };
}

/** Memberships keep the app roles their LTI roles give, so other capabilities can query by role. */
export async function refreshAppRoles(courseId: string, overrides: Record<string, CourseAppRole[]>, teachersByPerson?: boolean | null): Promise<void> {
  const memberships = await Membership.find({ course: courseId }, { ltiRoles: 1, appRoles: 1, staffRole: 1 }).lean();
  const updates = memberships
    .map((m) => ({ id: m._id, roles: withStaffChoice(mapRoles(m.ltiRoles ?? [], overrides).roles, teachersByPerson, m.staffRole) as string[], was: m.appRoles ?? [] }))
    .filter((m) => m.roles.join() !== m.was.join())
    .map((m) => ({ updateOne: { filter: { _id: m.id }, update: { $set: { appRoles: m.roles } } } }));
  if (updates.length) await Membership.bulkWrite(updates);
}
