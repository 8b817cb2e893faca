import mongoose, { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { mapRoles, overridesOf, withStaffChoice } from '../people/roles';
import { User } from '../people/user.model';
import { sortByName } from '../people/names';
import { coursePeople, type Person } from './people-cache.service';
import { rosterMemberModel } from './member.model';

export type { Person } from './people-cache.service';

/**
 * Everyone in the course with the app roles we would give them; launches win over the roster. From the course's
 * people as this process keeps them (people-cache.service.ts): four reads of what changed, whatever the size.
 */
export async function peopleIn(courseId: string): Promise<Person[]> {
  const found = await coursePeople(courseId);
  return found ? [...found.people] : [];
}

export const candidatesAmong = (people: Person[]) => people.filter((p) => p.roles.includes('candidate'));
/** Someone who opened the tool once but is not on the course's roster (a site administrator, say) mentors nobody. */
export const mentorsAmong = (people: Person[]) =>
  people.filter((p) => (p.roles.includes('mentor') || p.roles.includes('coordinator')) && p.enrolled !== false);

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
  const roster = rosterMemberModel(mongoose.connection);
  const [memberships, members, rosterKnown] = await Promise.all([
    users.length ? Membership.find({ course: courseId, user: { $in: users.map((u) => u._id) } }, { user: 1, ltiRoles: 1, staffRole: 1 }).lean() : [],
    roster.find({ courseId, issuer: course.issuer, sub: { $in: wanted } }).lean(),
    roster.exists({ courseId }),
  ]);
  const rosterBySub = new Map(members.map((r) => [r.sub, r]));
  const enrolled = (sub: string) => (rosterKnown ? rosterBySub.get(sub)?.status === 'active' : null);
  const userById = new Map(users.map((u) => [String(u._id), u]));
  const people: Person[] = [];
  for (const m of memberships) {
    const u = userById.get(String(m.user));
    if (!u) continue;
    const roles = withStaffChoice(mapRoles(m.ltiRoles ?? [], overrides).roles, course.teachersByPerson, m.staffRole);
    people.push({ sub: u.sub, name: u.name || 'Unnamed user', userId: String(u._id), roles, enrolled: enrolled(u.sub) });
  }
  const launched = new Set(people.map((p) => p.sub));
  for (const r of members) {
    if (launched.has(r.sub) || r.status === 'left') continue;
    const roles = withStaffChoice(mapRoles(r.roles ?? [], overrides).roles, course.teachersByPerson, null);
    people.push({ sub: r.sub, name: r.name || r.email || 'Unnamed person', userId: null, roles, enrolled: r.status === 'active' });
  }
  return sortByName(people);
}

export const PEER_LIMIT = 50;

/**
 * Candidates of the course who have opened the tool (the co-mentoring peer list), by name. Without a search, only
 * a course of at most `limit` other candidates is listed (two small reads); a larger one answers `more` and no
 * one, so the page asks for a name: the first 50 of 1,500 by name help no one, and reading 1,500 names on every
 * view of a section made the page grow with the course. With a search, at most `limit` whose name contains it.
 */
export async function candidatePeers(
  courseId: string,
  opts: { except?: string; search?: string; limit?: number } = {},
): Promise<{ peers: Array<{ userId: string; name: string }>; more: boolean }> {
  if (!Types.ObjectId.isValid(courseId)) return { peers: [], more: false };
  const limit = opts.limit ?? PEER_LIMIT;
  const search = opts.search?.trim().slice(0, 100);
  const others = { course: courseId, appRoles: 'candidate', ...(opts.except && Types.ObjectId.isValid(opts.except) ? { user: { $ne: opts.except } } : {}) };
  // In id order with a limit: the embedded engine then tests people only until it has enough (a plain limit tested
  // every candidate of the course), and MongoDB keeps a top-51 sort on the course's index.
  const ms = await (search ? Membership.find(others, { user: 1 }) : Membership.find(others, { user: 1 }).sort({ _id: 1 }).limit(limit + 1)).lean();
  if (!ms.length) return { peers: [], more: false };
  if (!search && ms.length > limit) return { peers: [], more: true };
  const found = await User.find({ _id: { $in: ms.map((m) => m.user) }, ...(search ? { name: { $regex: search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' } } : {}) }, { name: 1 }).lean();
  // Names only, sorted here with the one collator.
  const peers = sortByName(found.map((u) => ({ userId: String(u._id), name: u.name || 'Unnamed user' })));
  return { peers: peers.slice(0, limit), more: peers.length > limit };
}

/** Whether `userId` is a candidate of the course who has opened the tool (one query). */
export async function isCandidateIn(courseId: string, userId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(courseId) || !Types.ObjectId.isValid(userId)) return false;
  return !!(await Membership.exists({ course: courseId, user: userId, appRoles: 'candidate' }));
}
