import mongoose, { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { mapRoles, overridesOf, type AppRole } from '../people/roles';
import { User } from '../people/user.model';
import { rosterMemberModel } from './member.model';
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

/**
 * Only the named people of the course (by LTI sub), in a fixed number of queries whatever the course's size:
 * for pages that show a few people (a mentor's candidates) and must not load everyone.
 */
export async function peopleAmong(courseId: string, subs: string[]): Promise<Person[]> {
  if (!Types.ObjectId.isValid(courseId) || !subs.length) return [];
  const course = await Course.findById(courseId).lean();
  if (!course) return [];
  const overrides = overridesOf(course);
  const wanted = [...new Set(subs)];
  const users = await User.find({ issuer: course.issuer, sub: { $in: wanted } }, { sub: 1, name: 1 }).lean();
  const memberships = users.length ? await Membership.find({ course: courseId, user: { $in: users.map((u) => u._id) } }, { user: 1, ltiRoles: 1 }).lean() : [];
  const userById = new Map(users.map((u) => [String(u._id), u]));
  const people: Person[] = [];
  for (const m of memberships) {
    const u = userById.get(String(m.user));
    if (u) people.push({ sub: u.sub, name: u.name || 'Unnamed user', userId: String(u._id), roles: mapRoles(m.ltiRoles ?? [], overrides).roles });
  }
  const launched = new Set(people.map((p) => p.sub));
  const rest = wanted.filter((s) => !launched.has(s));
  if (rest.length) {
    const members = await rosterMemberModel(mongoose.connection).find({ courseId, issuer: course.issuer, sub: { $in: rest }, status: { $ne: 'left' } }).lean();
    for (const r of members) people.push({ sub: r.sub, name: r.name || r.email || 'Unnamed person', userId: null, roles: mapRoles(r.roles ?? [], overrides).roles });
  }
  return people.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

export const PEER_LIMIT = 50;

/**
 * Candidates of the course who have opened the tool (the co-mentoring peer list): at most `limit`, by name,
 * optionally those whose name contains `search`. Two queries whatever the course's size; `more` says the
 * list was cut, so the page offers the search.
 */
export async function candidatePeers(
  courseId: string,
  opts: { except?: string; search?: string; limit?: number } = {},
): Promise<{ peers: Array<{ userId: string; name: string }>; more: boolean }> {
  if (!Types.ObjectId.isValid(courseId)) return { peers: [], more: false };
  const limit = opts.limit ?? PEER_LIMIT;
  const ms = await Membership.find({ course: courseId, appRoles: 'candidate' }, { user: 1 }).lean();
  const ids = ms.map((m) => m.user).filter((u) => String(u) !== opts.except);
  if (!ids.length) return { peers: [], more: false };
  const search = opts.search?.trim().slice(0, 100);
  const found = await User.find({ _id: { $in: ids }, ...(search ? { name: { $regex: search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' } } : {}) }, { name: 1 })
    .sort({ name: 1 })
    .limit(limit + 1)
    .lean();
  return { peers: found.slice(0, limit).map((u) => ({ userId: String(u._id), name: u.name || 'Unnamed user' })), more: found.length > limit };
}

/** Whether `userId` is a candidate of the course who has opened the tool (one query). */
export async function isCandidateIn(courseId: string, userId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(courseId) || !Types.ObjectId.isValid(userId)) return false;
  return !!(await Membership.exists({ course: courseId, user: userId, appRoles: 'candidate' }));
}
