/**
 * LTI roles -> app roles, as a pure function. Understands the LIS v2 vocabulary (full URIs), the
 * deprecated short context names ("Instructor"), LTI 1.1 URNs, and sub-roles ("Instructor#TeachingAssistant").
 */
export const APP_ROLES = ['candidate', 'mentor', 'coordinator', 'installer'] as const;
export type AppRole = (typeof APP_ROLES)[number];
/** The roles a coordinator may give an LTI role in their course (installer rights never come from a course). */
export const COURSE_APP_ROLES = ['candidate', 'mentor', 'coordinator'] as const;
export type CourseAppRole = (typeof COURSE_APP_ROLES)[number];

export type RoleScope = 'context' | 'institution' | 'system';

export interface LtiRole {
  raw: string;
  scope: RoleScope;
  principal: string; // e.g. Instructor
  subRole?: string; // e.g. TeachingAssistant
  key: string; // canonical form used for overrides: "context:Instructor#TeachingAssistant"
}

/** Per-course overrides: canonical context-role key -> the app roles it gives (empty = none). */
export type RoleOverrides = Record<string, CourseAppRole[]>;

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';
const SCOPE_PREFIXES: Array<[string, RoleScope]> = [
  [`${LIS}membership`, 'context'],
  [`${LIS}institution/person`, 'institution'],
  [`${LIS}system/person`, 'system'],
  ['http://purl.imsglobal.org/vocab/lti/system/person', 'system'],
];
const URN_PREFIXES: Array<[string, RoleScope]> = [
  ['urn:lti:role:ims/lis/', 'context'],
  ['urn:lti:instrole:ims/lis/', 'institution'],
  ['urn:lti:sysrole:ims/lis/', 'system'],
];
// Short names are context roles only (LTI 1.3 §A.2.3); we also accept the few LTI 1.1 aliases VLEs still send.
const CONTEXT_PRINCIPALS = new Set([
  'Administrator', 'ContentDeveloper', 'Instructor', 'Learner', 'Mentor', 'Manager', 'Member', 'Officer', 'TeachingAssistant',
]);

/** Reads one role string; unknown vocabularies give null (they grant nothing). */
export function parseRole(raw: string): LtiRole | null {
  const value = raw.trim();
  if (!value) return null;
  for (const [prefix, scope] of SCOPE_PREFIXES) {
    // "…/membership#Instructor" or the sub-role form "…/membership/Instructor#TeachingAssistant"
    if (value.startsWith(`${prefix}#`)) return make(raw, scope, value.slice(prefix.length + 1));
    if (scope === 'context' && value.startsWith(`${prefix}/`)) {
      const [principal, subRole] = value.slice(prefix.length + 1).split('#');
      if (principal && subRole) return make(raw, scope, principal, subRole);
      return null;
    }
  }
  for (const [prefix, scope] of URN_PREFIXES) {
    if (value.startsWith(prefix)) {
      const [principal, subRole] = value.slice(prefix.length).split('/');
      return principal ? make(raw, scope, principal, subRole) : null;
    }
  }
  if (!value.includes(':') && !value.includes('/')) {
    const [principal, subRole] = value.split('#');
    if (CONTEXT_PRINCIPALS.has(principal)) return make(raw, 'context', principal, subRole);
  }
  return null;
}

function make(raw: string, scope: RoleScope, principal: string, subRole?: string): LtiRole {
  const sub = subRole || undefined;
  return { raw, scope, principal, subRole: sub, key: `${scope}:${principal}${sub ? `#${sub}` : ''}` };
}

const INSTRUCTOR_SUB_ROLES_WHO_MENTOR = /^(TeachingAssistant\w*|Grader)$/;

/** The default meaning of one context role. */
function defaultContextRoles(role: LtiRole): CourseAppRole[] {
  const { principal, subRole } = role;
  switch (principal) {
    case 'Learner':
      return ['candidate'];
    case 'Mentor':
    case 'TeachingAssistant':
      return ['mentor'];
    case 'Instructor':
      return subRole && INSTRUCTOR_SUB_ROLES_WHO_MENTOR.test(subRole) ? ['mentor'] : ['coordinator'];
    case 'ContentDeveloper':
    case 'Administrator':
      return ['coordinator'];
    default:
      return []; // Member, Manager, Officer and anything new: the coordinator can map them
  }
}

const INSTALLER_ROLES = new Set(['institution:Administrator', 'system:Administrator', 'system:SysAdmin']);

export interface RoleMapping {
  roles: AppRole[]; // highest first, implied roles included (a coordinator is also a mentor)
  primary: AppRole | null;
  seen: LtiRole[]; // every role we understood, for the course's role page
  unrecognised: string[];
}

const RANK: Record<AppRole, number> = { installer: 4, coordinator: 3, mentor: 2, candidate: 1 };

/**
 * Maps a launch's roles. A principal role sent together with one of its own sub-roles means the sub-role
 * (Canvas sends a TA as Instructor + Instructor#TeachingAssistant: they are a mentor, not a coordinator).
 */
export function mapRoles(rawRoles: readonly string[], overrides: RoleOverrides = {}): RoleMapping {
  const seen: LtiRole[] = [];
  const unrecognised: string[] = [];
  for (const raw of rawRoles) {
    const role = typeof raw === 'string' ? parseRole(raw) : null;
    if (role) {
      if (!seen.some((s) => s.key === role.key)) seen.push(role);
    } else unrecognised.push(String(raw));
  }
  const explained = new Set(seen.filter((r) => r.subRole && r.subRole !== r.principal).map((r) => `${r.scope}:${r.principal}`));
  const granted = new Set<AppRole>();
  for (const role of seen) {
    if (role.scope === 'context') {
      if (!role.subRole && explained.has(role.key)) continue;
      const mapped = Object.prototype.hasOwnProperty.call(overrides, role.key) ? overrides[role.key] : defaultContextRoles(role);
      for (const r of mapped) if ((COURSE_APP_ROLES as readonly string[]).includes(r)) granted.add(r);
    } else if (INSTALLER_ROLES.has(`${role.scope}:${role.principal}`)) {
      granted.add('installer');
    }
  }
  if (granted.has('coordinator')) granted.add('mentor');
  const roles = [...granted].sort((a, b) => RANK[b] - RANK[a]);
  return { roles, primary: roles[0] ?? null, seen, unrecognised };
}

/** The default app roles of a canonical key, for the coordinator's role page. */
export function defaultRolesForKey(key: string): CourseAppRole[] {
  const role = parseKey(key);
  return role && role.scope === 'context' ? defaultContextRoles(role) : [];
}

export function parseKey(key: string): LtiRole | null {
  const m = /^(context|institution|system):([A-Za-z]+)(?:#([A-Za-z]+))?$/.exec(key);
  return m ? make(key, m[1] as RoleScope, m[2], m[3]) : null;
}

/** A person-readable name for an LTI role key, e.g. "Teaching assistant (Instructor)". */
export function describeRoleKey(key: string): string {
  const role = parseKey(key);
  if (!role) return key;
  const words = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (c) => c.toUpperCase());
  const where = role.scope === 'context' ? '' : ` (${role.scope})`;
  return role.subRole ? `${words(role.subRole)} (${words(role.principal)})${where}` : `${words(role.principal)}${where}`;
}

/** A teacher's place in a course where the VLE sends one role for every teacher (Moodle: Instructor). */
export const STAFF_CHOICES = ['coordinator', 'mentor'] as const;
export type StaffChoice = (typeof STAFF_CHOICES)[number];

/** VLE families that send the same role for editing and non-editing teachers (tool_platform.product_family_code). */
const ONE_TEACHER_ROLE_FAMILIES = new Set(['moodle']);
export const sendsOneTeacherRole = (family: string | undefined): boolean => ONE_TEACHER_ROLE_FAMILIES.has((family ?? '').toLowerCase());

/**
 * Where the course decides per person (teachersByPerson), a teacher is a coordinator only when chosen as one;
 * anyone else the roles would make coordinator is a mentor. Never adds a role the LTI roles did not give.
 */
export function withStaffChoice(roles: AppRole[], teachersByPerson: boolean | null | undefined, choice: string | null | undefined): AppRole[] {
  if (!teachersByPerson || choice === 'coordinator' || !roles.includes('coordinator')) return roles;
  return roles.filter((r) => r !== 'coordinator');
}

/** An institution or system administrator: never "the first teacher" of a course they may not even be in. */
export const isAdministratorLaunch = (rawRoles: readonly string[]): boolean => mapRoles(rawRoles).roles.includes('installer');

export const ROLE_LABELS: Record<AppRole, string> = {
  candidate: 'Candidate',
  mentor: 'Mentor',
  coordinator: 'Coordinator',
  installer: 'Installer',
};

export const roleLabel = (role: string): string => ROLE_LABELS[role as AppRole] ?? role;

export const LANDING_PAGES: Record<AppRole, string> = {
  candidate: '/portfolio',
  mentor: '/mentoring',
  coordinator: '/cohort',
  installer: '/admin',
};

/** A course's role overrides (stored as a list) as the map mapRoles reads. */
export function overridesOf(course: { roleOverrides?: Array<{ key: string; roles: string[] }> | null }): RoleOverrides {
  return Object.fromEntries((course.roleOverrides ?? []).map((o) => [o.key, o.roles])) as RoleOverrides;
}
