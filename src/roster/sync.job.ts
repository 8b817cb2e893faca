import { randomUUID } from 'node:crypto';
import { backoffMs, type VleJobContext, type RetryPolicy } from '../vle/context';
import { PlatformCallError } from '../vle/platform-client';
import { rosterMemberModel } from './member.model';
import { fetchAllMembers } from '../vle/nrps';
import { rosterSyncModel, type RosterSync } from './sync.model';

/** The job behind a RosterSync: read the whole NRPS roster, upsert members, mark the ones who left. */
export const retryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60 * 60_000 };
export const DAILY_MS = 24 * 60 * 60_000;

export type RosterOutcome = { ok: true; members: number; left: number } | { ok: false; error: string };

/** Takes the course's sync (or any due one) unless another worker holds it. */
export async function claimRosterSync(ctx: VleJobContext, which: { courseId: string } | { due: true }): Promise<RosterSync | null> {
  const now = ctx.now();
  const filter: Record<string, unknown> = { $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] };
  if ('courseId' in which) filter.courseId = which.courseId;
  else filter.nextRunAt = { $lte: now };
  return rosterSyncModel(ctx.connection)
    .findOneAndUpdate(filter, { $set: { leaseOwner: ctx.ownerId, leaseUntil: new Date(now.getTime() + ctx.leaseMs) } }, { new: true })
    .lean();
}

export async function perform(ctx: VleJobContext, job: RosterSync, policy: RetryPolicy = retryPolicy): Promise<RosterOutcome> {
  const Sync = rosterSyncModel(ctx.connection);
  const mine = { _id: job._id, leaseOwner: ctx.ownerId };
  try {
    const members = await fetchAllMembers(ctx.platform, { issuer: job.issuer, clientId: job.clientId }, job.membershipsUrl);
    const result = await store(ctx, job, members);
    const now = ctx.now();
    await Sync.updateOne(mine, {
      $set: { lastRunAt: now, lastSuccessAt: now, lastError: null, attempts: 0, memberCount: result.members, nextRunAt: new Date(now.getTime() + DAILY_MS), leaseOwner: null, leaseUntil: null },
    });
    return { ok: true, ...result };
  } catch (e) {
    const err = e instanceof PlatformCallError ? e : new PlatformCallError('Something went wrong while reading the roster.', true, undefined, undefined, String((e as Error)?.message ?? e).slice(0, 200));
    const attempts = job.attempts + 1;
    const now = ctx.now();
    // Out of tries (or a permanent refusal): wait for tomorrow's run or the coordinator's button.
    const delay = !err.retryable || attempts >= policy.maxAttempts ? DAILY_MS : Math.max(err.retryAfterMs ?? 0, backoffMs(policy, attempts));
    await Sync.updateOne(mine, {
      $set: { lastRunAt: now, lastError: err.message, attempts: delay === DAILY_MS ? 0 : attempts, nextRunAt: new Date(now.getTime() + delay), leaseOwner: null, leaseUntil: null },
    });
    ctx.log.warn({ courseId: job.courseId, err: err.message, detail: err.detail }, 'roster sync did not complete');
    return { ok: false, error: err.message };
  }
}

async function store(ctx: VleJobContext, job: RosterSync, members: Awaited<ReturnType<typeof fetchAllMembers>>) {
  const Member = rosterMemberModel(ctx.connection);
  const runId = randomUUID();
  const present = members.filter((m) => m.status !== 'Deleted');
  if (present.length) {
    await Member.bulkWrite(
      present.map((m) => ({
        updateOne: {
          filter: { courseId: job.courseId, sub: m.user_id },
          update: {
            $set: {
              issuer: job.issuer,
              name: m.name || [m.given_name, m.family_name].filter(Boolean).join(' ') || m.email || '',
              givenName: m.given_name,
              familyName: m.family_name,
              email: m.email,
              roles: Array.isArray(m.roles) ? m.roles : [],
              status: m.status === 'Inactive' ? 'inactive' : 'active',
              lastSyncId: runId,
              leftAt: null,
            },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
  // Only after every page arrived: anyone this run did not see has left the course.
  const left = await Member.updateMany(
    { courseId: job.courseId, lastSyncId: { $ne: runId }, status: { $ne: 'left' } },
    { $set: { status: 'left', leftAt: ctx.now() } },
  );
  return { members: present.length, left: left.modifiedCount };
}
