import mongoose, { Types } from 'mongoose';
import { forgetIdentities, refreshAppRoles } from '../lti';
import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { mapRoles, overridesOf, parseRole, STAFF_CHOICES, type StaffChoice } from '../people/roles';
import { User } from '../people/user.model';
import { rosterOf } from '../roster';

export const TEACHERS_PAGE_SIZE = 25;

export interface TeacherRow {
  userId: string;
  name: string;
  choice: StaffChoice;
  why: string;
  launchRoles: string; // what their launches say, e.g. "Instructor"
  rosterRoles: string; // what the VLE's roster (NRPS) says, or that there is none
  conflict: string; // where the two disagree, or they are not on the roster: shown, never settled silently
  self: boolean;
}

export interface TeachersPage {
  applies: boolean; // the course decides per person (its VLE sends one role for every teacher)
  rows: TeacherRow[];
  page: number;
  pages: number;
}

export const TEACHER_MESSAGES = {
  notTeacher: 'One of the people in the form is not a teacher in this course, so nothing was changed.',
  notHere: 'This course’s VLE tells teachers and mentors apart by their roles, so there is nothing to choose here.',
  self: 'You cannot make yourself a mentor here: the course would lose your coordinator access. Ask another coordinator to do it.',
  notOnRoster: 'Not on the VLE’s course roster (for example a site administrator who opened the tool once), so not offered as a mentor.',
  inactive: 'The VLE’s roster shows them as no longer active in this course, so not offered as a mentor.',
};

const WHY: Record<string, string> = {
  'first-teacher': 'The first teacher to open CMALT Portfolio in this course.',
  'added-the-tool': 'Added CMALT Portfolio to the course.',
  coordinator: 'Chosen on this page.',
  default: 'A later teacher: a mentor until a coordinator chooses otherwise.',
};

const shortRoles = (raw: string[]) =>
  [...new Set(raw.map((r) => parseRole(r)).filter((r) => r && r.scope === 'context').map((r) => `${r!.principal}${r!.subRole ? `#${r!.subRole}` : ''}`))].join(', ') || 'none';

async function teacherMemberships(courseId: string) {
  const course = await Course.findById(courseId).lean();
  if (!course) return null;
  const overrides = overridesOf(course);
  const all = await Membership.find({ course: courseId }, { user: 1, ltiRoles: 1, staffRole: 1, staffRoleBy: 1 }).sort({ _id: 1 }).lean();
  return { course, teachers: all.filter((m) => mapRoles(m.ltiRoles ?? [], overrides).roles.includes('coordinator')) };
}

/** The coordinator's Teachers page: each person the VLE calls a teacher, coordinator or mentor, and why. */
export async function teachersOf(courseId: string, viewerId: string, page = 1): Promise<TeachersPage> {
  const found = Types.ObjectId.isValid(courseId) ? await teacherMemberships(courseId) : null;
  if (!found) return { applies: false, rows: [], page: 1, pages: 1 };
  const { course, teachers } = found;
  const pages = Math.max(1, Math.ceil(teachers.length / TEACHERS_PAGE_SIZE));
  const at = Math.min(Math.max(1, page), pages);
  const slice = teachers.slice((at - 1) * TEACHERS_PAGE_SIZE, at * TEACHERS_PAGE_SIZE);
  const [users, roster] = await Promise.all([
    User.find({ _id: { $in: slice.map((m) => m.user) } }, { sub: 1, name: 1 }).lean(),
    rosterOf(mongoose.connection, courseId),
  ]);
  const userById = new Map(users.map((u) => [String(u._id), u]));
  const memberBySub = new Map(roster.entries.filter((e) => e.member.issuer === course.issuer).map((e) => [e.member.sub, e.member]));
  const overrides = overridesOf(course);
  const rows = slice.map((m) => {
    const u = userById.get(String(m.user));
    const member = u ? memberBySub.get(u.sub) : undefined;
    let conflict = '';
    if (roster.entries.length && !member) conflict = TEACHER_MESSAGES.notOnRoster;
    else if (member && member.status !== 'active') conflict = TEACHER_MESSAGES.inactive;
    else if (member && !mapRoles(member.roles, overrides).roles.some((r) => r === 'mentor' || r === 'coordinator')) {
      conflict = `The VLE’s roster lists them as ${shortRoles(member.roles)}, but their launches say ${shortRoles(m.ltiRoles ?? [])}. CMALT Portfolio goes by the launch; check their role in the VLE.`;
    }
    return {
      userId: String(m.user),
      name: u?.name || 'Unnamed user',
      choice: (m.staffRole ?? (course.teachersByPerson ? 'mentor' : 'coordinator')) as StaffChoice,
      why: WHY[m.staffRoleBy ?? 'default'] ?? WHY.default,
      launchRoles: shortRoles(m.ltiRoles ?? []),
      rosterRoles: member ? shortRoles(member.roles) : roster.entries.length ? 'not on the roster' : 'the VLE has not given a roster',
      conflict,
      self: String(m.user) === viewerId,
    };
  });
  return { applies: Boolean(course.teachersByPerson), rows, page: at, pages };
}

export type ChooseResult = { ok: true; changed: number } | { ok: false; status: number; message: string };

/** Saves who is a coordinator and who a mentor; never the chooser's own demotion; applies from the next page. */
export async function chooseStaffRoles(courseId: string, chooserId: string, choices: Record<string, string>): Promise<ChooseResult> {
  const found = Types.ObjectId.isValid(courseId) ? await teacherMemberships(courseId) : null;
  if (!found || !found.course.teachersByPerson) return { ok: false, status: 409, message: TEACHER_MESSAGES.notHere };
  const teachers = new Map(found.teachers.map((m) => [String(m.user), m]));
  const wanted = Object.entries(choices);
  if (wanted.some(([id, choice]) => !teachers.has(id) || !(STAFF_CHOICES as readonly string[]).includes(choice))) {
    return { ok: false, status: 422, message: TEACHER_MESSAGES.notTeacher };
  }
  if (choices[chooserId] === 'mentor') return { ok: false, status: 422, message: TEACHER_MESSAGES.self };
  const changes = wanted.filter(([id, choice]) => teachers.get(id)!.staffRole !== choice);
  if (changes.length) {
    await Membership.bulkWrite(
      changes.map(([id, choice]) => ({
        updateOne: { filter: { _id: teachers.get(id)!._id }, update: { $set: { staffRole: choice as StaffChoice, staffRoleBy: 'coordinator' as const } } },
      })),
    );
    await refreshAppRoles(courseId, overridesOf(found.course), true);
    forgetIdentities({ courseId }); // this process's cached pages-as-who see the change at once
  }
  return { ok: true, changed: changes.length };
}
