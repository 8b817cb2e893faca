import type { Connection, Model } from 'mongoose';
import type { VleJobContext } from '../vle/context';
import { Membership, type MembershipDoc } from '../people/membership.model';
import { User, type UserDoc } from '../people/user.model';
import { rosterMemberModel, type RosterMember } from './member.model';
import { coursePeople } from './people-cache.service';
import { claimRosterSync, perform, type RosterOutcome } from './sync.job';
import { rosterSyncModel, type RosterSync } from './sync.model';

export interface RosterLaunch {
  courseId: string;
  issuer: string;
  clientId: string;
  membershipsUrl?: string; // the NRPS claim's context_memberships_url
}

/** A launch tells us where the course's roster lives; the first one also schedules the first sync. */
export async function recordRosterLaunch(conn: Connection, launch: RosterLaunch): Promise<void> {
  if (!launch.membershipsUrl) return;
  await rosterSyncModel(conn).init(); // one sync job per course relies on the unique index
  try {
    await rosterSyncModel(conn).updateOne(
      { courseId: launch.courseId },
      { $set: { issuer: launch.issuer, clientId: launch.clientId, membershipsUrl: launch.membershipsUrl }, $setOnInsert: { nextRunAt: new Date(), attempts: 0 } },
      { upsert: true },
    );
  } catch (e) {
    if ((e as { code?: number }).code !== 11000) throw e; // two first launches at once: same facts
  }
}

export type SyncNowResult = RosterOutcome | { ok: false; error: string; busy?: true; unavailable?: true };

export const ROSTER_MESSAGES = {
  unavailable: 'The VLE has not offered this course’s roster to CMALT Portfolio, so it cannot be synced.',
  busy: 'A roster sync for this course is already running. Please look again in a minute.',
};

/** The coordinator's button: run the course's sync now, unless one is already running somewhere. */
export async function syncRosterNow(ctx: VleJobContext, courseId: string): Promise<SyncNowResult> {
  const exists = await rosterSyncModel(ctx.connection).exists({ courseId });
  if (!exists) return { ok: false, unavailable: true, error: ROSTER_MESSAGES.unavailable };
  const job = await claimRosterSync(ctx, { courseId });
  if (!job) return { ok: false, busy: true, error: ROSTER_MESSAGES.busy };
  return perform(ctx, job);
}

/** The daily job: every course whose sync is due, each claimed with a lease. */
export async function runDueRosterSyncs(ctx: VleJobContext, limit = 20): Promise<number> {
  let ran = 0;
  for (; ran < limit; ran += 1) {
    const job = await claimRosterSync(ctx, { due: true });
    if (!job) break;
    await perform(ctx, job);
  }
  return ran;
}

export interface RosterEntry {
  member: RosterMember;
  launched: boolean;
}

export interface Roster {
  sync: RosterSync | null;
  entries: RosterEntry[];
}

function bound<T>(conn: Connection, name: string, model: Model<T>): Model<T> {
  return (conn.models[name] as Model<T>) ?? conn.model<T>(name, model.schema);
}

/** The roster with who has opened the tool in this course (a membership exists) and who never has. */
export async function rosterOf(conn: Connection, courseId: string): Promise<Roster> {
  const members = await rosterMemberModel(conn).find({ courseId }).sort({ status: 1, familyName: 1, name: 1 }).lean();
  const U = bound(conn, 'User', User as unknown as Model<UserDoc & { _id: unknown }>);
  const M = bound(conn, 'Membership', Membership as unknown as Model<MembershipDoc>);
  const issuers = [...new Set(members.map((m) => m.issuer))];
  const users = issuers.length
    ? await U.find({ issuer: { $in: issuers }, sub: { $in: members.map((m) => m.sub) } }, { issuer: 1, sub: 1 }).lean()
    : [];
  const memberships = users.length
    ? await M.find({ course: courseId, user: { $in: users.map((u) => (u as { _id: unknown })._id) } }, { user: 1 }).lean()
    : [];
  const launchedUsers = new Set(memberships.map((m) => String(m.user)));
  const launchedKeys = new Set(
    users.filter((u) => launchedUsers.has(String((u as { _id: unknown })._id))).map((u) => `${u.issuer}\n${u.sub}`),
  );
  return {
    sync: await rosterSyncModel(conn).findOne({ courseId }).lean(),
    entries: members.map((member) => ({ member, launched: launchedKeys.has(`${member.issuer}\n${member.sub}`) })),
  };
}

export interface RosterPageData {
  sync: RosterSync | null;
  /** One page of the roster, on the course first and left last, by name. */
  entries: RosterEntry[];
  total: number;
  neverLaunchedCount: number;
  leftCount: number;
}

/**
 * One page of the roster for the coordinator: on the course first and left last, by name in the people's order
 * (src/people/names.ts). The same reads at 1,500 people as at 15: the order and the course-wide figures come from
 * the course's people as this process keeps them (people-cache.service.ts: what changed since it last looked), and
 * only the page's rows are read in full.
 */
export async function rosterPageOf(conn: Connection, courseId: string, page: number, size: number): Promise<RosterPageData> {
  const Member = rosterMemberModel(conn);
  const [sync, people] = await Promise.all([rosterSyncModel(conn).findOne({ courseId }).lean(), coursePeople(courseId)]);
  const keys = people?.roster ?? [];
  const launched = people?.launchedSubs ?? new Set<string>();
  const shown = keys.slice((page - 1) * size, page * size).map((k) => k.id);
  const members = shown.length ? await Member.find({ _id: { $in: shown } }).lean() : [];
  const position = new Map(shown.map((id, i) => [id, i]));
  members.sort((a, b) => position.get(String(a._id))! - position.get(String(b._id))!);
  let leftCount = 0;
  let neverLaunchedCount = 0;
  for (const k of keys) {
    if (k.status === 'left') leftCount += 1;
    else if (!launched.has(k.sub)) neverLaunchedCount += 1;
  }
  return { sync, entries: members.map((member) => ({ member, launched: launched.has(member.sub) })), total: keys.length, leftCount, neverLaunchedCount };
}

/** For the cohort page: people on the course roster who have never opened CMALT Portfolio there. */
export async function neverLaunched(conn: Connection, courseId: string): Promise<RosterMember[]> {
  const roster = await rosterOf(conn, courseId);
  return roster.entries.filter((e) => !e.launched && e.member.status !== 'left').map((e) => e.member);
}
