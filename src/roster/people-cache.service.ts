/*
 * The course's people, kept per process and brought up to date from the database on every look: a page showing 50
 * of 1,500 people reads the course's most recently changed memberships and roster entries (RECENT of each, newest
 * first) and their names, never the whole course again. Correct across instances because every look asks the
 * database what changed; the reads are the same whatever the course's size.
 *
 * A relaunch that changes nothing writes nothing (src/lti/launch.service.ts), so only real changes count towards RECENT.
 *
 * What it cannot see as a change, it bounds in time: a person's name changed by a launch in another course (the user
 * record is shared, this course's membership is not touched), and a write that lands after a newer one and is no
 * longer among the RECENT newest by the next look. The whole list is read again after REBUILD_MS, so either shows
 * within five minutes. Nothing deletes memberships or roster entries (leaving the roster is a status), so removals
 * need no counting. Choices that matter (assigning a mentor) check the people concerned afresh (`peopleAmong`).
 */
import { LRUCache } from 'lru-cache';
import mongoose, { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { byName } from '../people/names';
import { mapRoles, overridesOf, withStaffChoice, type AppRole } from '../people/roles';
import { User } from '../people/user.model';
import { rosterMemberModel, type RosterMember } from './member.model';

/** A person in the course: from their launches, or from the roster when they have not opened the tool yet. */
export interface Person {
  sub: string;
  name: string;
  userId: string | null; // null: on the roster, never launched
  roles: AppRole[];
  /** On the VLE's course roster and active there; null when the VLE has not given a roster. */
  enrolled: boolean | null;
}

/** What a roster page needs of each entry to order it and count it. */
export type RosterKey = Pick<RosterMember, 'issuer' | 'sub' | 'name' | 'status'> & { id: string };

export interface CoursePeople {
  /** Everyone, launches winning over the roster, by name (then sub): shared, read-only. */
  people: readonly Person[];
  candidates: readonly Person[];
  /** Mentors and coordinators, not those the roster says have gone. */
  mentors: readonly Person[];
  /** Every roster entry: on the course, inactive, left; then by name (then sub). */
  roster: readonly RosterKey[];
  /** Subs of those who have opened the tool in this course. */
  launchedSubs: ReadonlySet<string>;
  bySub: ReadonlyMap<string, Person>;
  byUserId: ReadonlyMap<string, Person>;
}

interface Member {
  at: number; // the membership's updatedAt: a slower read never overwrites a newer one
  userId: string;
  sub: string;
  name: string;
  ltiRoles: string[];
  staffRole: string | null;
}

interface Entry {
  courseStamp: number;
  /** When this process last asked (0: never, so read everything). */
  askedAt: number;
  /** The newest `updatedAt` read of each: a look whose RECENT newest are all newer may have missed some. */
  membersSeen: number;
  rosterSeen: number;
  builtAt: number;
  members: Map<string, Member>; // by user id
  rosterByKey: Map<string, RosterKey & { at: number; email?: string; roles: string[] }>; // by issuer + sub
  view: CoursePeople | null; // derived; null when a change needs it derived again
}

const RECENT = 50;
/** perf: people per batch, or per read of names, when the whole course is read (the event loop's longest hold). */
const FULL_BATCH = 300;
const REBUILD_MS = 5 * 60_000;
// Bounded by the people held (about 100,000 members and roster entries, some tens of MB), not by courses: many
// small courses cost little, a few of 1,500 are kept too.
const cache = new LRUCache<string, Entry>({ maxSize: 100_000, sizeCalculation: (e) => 1 + e.members.size + e.rosterByKey.size });

const STATUS_ORDER: Record<RosterMember['status'], number> = { active: 0, inactive: 1, left: 2 };
const bySubThen = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const time = (d: unknown) => (d instanceof Date ? d.getTime() : 0);
const sameRoles = (a: string[], b: string[]) => a.length === b.length && a.every((r, i) => r === b[i]);

/** How often this process has read a course's people in full (the first look, a rebuild): for tests and the bench. */
let fullReads = 0;
export const peopleFullReads = (): number => fullReads;

/** Forgets this process's copy (tests that write the database behind the models' backs). */
export function forgetCoursePeople(courseId?: string): void {
  if (courseId) cache.delete(courseId);
  else cache.clear();
}

function derive(course: { issuer: string; teachersByPerson?: boolean | null; roleOverrides?: Array<{ key: string; roles: string[] }> | null }, e: Entry): CoursePeople {
  const overrides = overridesOf(course);
  const roster = [...e.rosterByKey.values()];
  const onRoster = new Map(roster.filter((r) => r.issuer === course.issuer).map((r) => [r.sub, r.status === 'active']));
  const enrolled = (sub: string) => (roster.length ? onRoster.get(sub) ?? false : null);
  const people: Person[] = [];
  const launched = new Set<string>();
  for (const m of e.members.values()) {
    const roles = withStaffChoice(mapRoles(m.ltiRoles, overrides).roles, course.teachersByPerson, m.staffRole);
    people.push({ sub: m.sub, name: m.name || 'Unnamed user', userId: m.userId, roles, enrolled: enrolled(m.sub) });
    launched.add(m.sub);
  }
  for (const r of roster) {
    if (launched.has(r.sub) || r.issuer !== course.issuer || r.status === 'left') continue;
    // Never launched: the roster's roles, and in a course that decides per person, no teacher is a coordinator yet.
    const roles = withStaffChoice(mapRoles(r.roles, overrides).roles, course.teachersByPerson, null);
    people.push({ sub: r.sub, name: r.name || r.email || 'Unnamed person', userId: null, roles, enrolled: r.status === 'active' });
  }
  people.sort((a, b) => byName(a.name, b.name) || bySubThen(a.sub, b.sub));
  roster.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || byName(a.name, b.name) || bySubThen(a.sub, b.sub));
  return {
    people,
    candidates: people.filter((p) => p.roles.includes('candidate')),
    // Someone who opened the tool once but is not on the course's roster (a site administrator, say) mentors nobody.
    mentors: people.filter((p) => (p.roles.includes('mentor') || p.roles.includes('coordinator')) && p.enrolled !== false),
    roster: roster.map(({ id, issuer, sub, name, status }) => ({ id, issuer, sub, name, status })),
    launchedSubs: launched,
    bySub: new Map(people.map((p) => [p.sub, p])),
    byUserId: new Map(people.filter((p) => p.userId).map((p) => [p.userId!, p])),
  };
}

const fresh = (courseStamp: number, now: number): Entry => ({ courseStamp, askedAt: 0, membersSeen: 0, rosterSeen: 0, builtAt: now, members: new Map(), rosterByKey: new Map(), view: null });

/**
 * The `limit` most recently changed memberships and roster entries (0: all of them). Newest first through a sort
 * with a limit, which the database answers from an index (MongoDB) or by comparing dates natively (the embedded
 * engine), where a filter on `updatedAt` would test every person of the course.
 */
async function latestChanges(courseId: string, limit: number) {
  if (!limit) fullReads += 1;
  // Everything (limit 0) needs no order: sorting the whole course would cost the engine a general sort. It comes in
  // batches, so answering and decoding 1,500 people are several short tasks rather than one that holds the loop.
  const newest = <Q extends { sort(s: Record<string, 1 | -1>): Q; limit(n: number): Q; batchSize(n: number): Q }>(q: Q) =>
    limit ? q.sort({ updatedAt: -1 }).limit(limit) : q.batchSize(FULL_BATCH);
  const [memberships, roster] = await Promise.all([
    newest(Membership.find({ course: courseId }, { user: 1, ltiRoles: 1, staffRole: 1, updatedAt: 1 })).lean(),
    newest(rosterMemberModel(mongoose.connection).find({ courseId }, { issuer: 1, sub: 1, name: 1, email: 1, roles: 1, status: 1, updatedAt: 1 })).lean(),
  ]);
  return { memberships, roster };
}

/**
 * The course's people and roster order in four reads, whatever its size: the course, the RECENT memberships and roster
 * entries changed last, and those members' names. The first look, one after more than RECENT changes (a roster
 * sync), after a change to the course (its role mapping) or after REBUILD_MS reads everything instead.
 */
export async function coursePeople(courseId: string, now = Date.now()): Promise<CoursePeople | null> {
  if (!Types.ObjectId.isValid(courseId)) return null;
  const course = await Course.findById(courseId, { issuer: 1, teachersByPerson: 1, roleOverrides: 1, updatedAt: 1 }).lean();
  if (!course) return null;
  const stamp = time(course.updatedAt);
  let e = cache.get(courseId);
  if (!e || e.courseStamp !== stamp || now - e.builtAt > REBUILD_MS) e = fresh(stamp, now);
  let changes = await latestChanges(courseId, e.askedAt ? RECENT : 0);
  // All of the RECENT newer than anything seen: there may be more, so read everything once more.
  const missedSome = (rows: Array<{ updatedAt?: unknown }>, seen: number) => rows.length === RECENT && time(rows[RECENT - 1].updatedAt) > seen;
  if (e.askedAt && (missedSome(changes.memberships, e.membersSeen) || missedSome(changes.roster, e.rosterSeen))) {
    e = fresh(stamp, now);
    changes = await latestChanges(courseId, 0);
  }
  e.askedAt = now;
  const { memberships, roster } = changes;
  // Sent even when nothing changed, so a page's reads are the same on every visit.
  const ids = memberships.map((m) => m.user);
  const chunks = Array.from({ length: Math.max(1, Math.ceil(ids.length / FULL_BATCH)) }, (_, i) => ids.slice(i * FULL_BATCH, (i + 1) * FULL_BATCH));
  const users = (await Promise.all(chunks.map((chunk) => User.find({ _id: { $in: chunk } }, { sub: 1, name: 1 }).lean()))).flat();
  const userById = new Map(users.map((u) => [String(u._id), u]));
  let changed = false;
  // Rows already seen may come again (the newest are read each time): applied only if newer and different.
  for (const m of memberships) {
    const at = time(m.updatedAt);
    e.membersSeen = Math.max(e.membersSeen, at);
    const u = userById.get(String(m.user));
    if (!u) continue;
    const next: Member = { at, userId: String(u._id), sub: u.sub, name: u.name ?? '', ltiRoles: m.ltiRoles ?? [], staffRole: m.staffRole ?? null };
    const was = e.members.get(next.userId);
    if (was && was.at > at) continue;
    if (was && was.sub === next.sub && was.name === next.name && was.staffRole === next.staffRole && sameRoles(was.ltiRoles, next.ltiRoles)) {
      was.at = at;
      continue;
    }
    e.members.set(next.userId, next);
    changed = true;
  }
  for (const r of roster) {
    const at = time(r.updatedAt);
    e.rosterSeen = Math.max(e.rosterSeen, at);
    const key = `${r.issuer}\n${r.sub}`;
    const next = { at, id: String(r._id), issuer: r.issuer, sub: r.sub, name: r.name ?? '', status: r.status, email: r.email, roles: r.roles ?? [] };
    const was = e.rosterByKey.get(key);
    if (was && was.at > at) continue;
    if (was && was.name === next.name && was.status === next.status && was.email === next.email && sameRoles(was.roles, next.roles)) {
      was.at = at;
      continue;
    }
    e.rosterByKey.set(key, next);
    changed = true;
  }
  if (changed || !e.view) e.view = derive(course, e);
  cache.set(courseId, e);
  return e.view;
}
