import mongoose, { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { mapRoles, overridesOf, type AppRole } from '../people/roles';
import { User } from '../people/user.model';
import { neverLaunched } from './service';

/** A person in the course: from their launches, or from the roster when they have not opened the tool yet. */
export interface Person {
  sub: string;
  name: string;
  userId: string | null; // null: on the roster, never launched
  roles: AppRole[];
}

/** Everyone in the course with the app roles we would give them; launches win over the roster. */
export async function peopleIn(courseId: string): Promise<Person[]> {
  if (!Types.ObjectId.isValid(courseId)) return [];
  const course = await Course.findById(courseId).lean();
  if (!course) return [];
  const overrides = overridesOf(course);
  const memberships = await Membership.find({ course: courseId }, { user: 1, ltiRoles: 1 }).lean();
  const users = await User.find({ _id: { $in: memberships.map((m) => m.user) } }, { sub: 1, name: 1 }).lean();
  const userById = new Map(users.map((u) => [String(u._id), u]));
  const people: Person[] = [];
  for (const m of memberships) {
    const u = userById.get(String(m.user));
    if (!u) continue;
    people.push({ sub: u.sub, name: u.name || 'Unnamed user', userId: String(u._id), roles: mapRoles(m.ltiRoles ?? [], overrides).roles });
  }
  const launched = new Set(people.map((p) => p.sub));
  for (const r of await neverLaunched(mongoose.connection, courseId)) {
    if (launched.has(r.sub) || r.issuer !== course.issuer) continue;
    people.push({ sub: r.sub, name: r.name || r.email || 'Unnamed person', userId: null, roles: mapRoles(r.roles ?? [], overrides).roles });
  }
  return people.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

export const candidatesAmong = (people: Person[]) => people.filter((p) => p.roles.includes('candidate'));
export const mentorsAmong = (people: Person[]) => people.filter((p) => p.roles.includes('mentor') || p.roles.includes('coordinator'));
