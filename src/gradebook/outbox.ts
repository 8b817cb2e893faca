import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Candidate } from './candidates';
import { backoffMs, type VleJobContext } from '../vle/context';
import { gradebookLineModel } from './line.model';
import { gradeOutboxModel, type GradeOutboxEntry, type SentScore } from './outbox.model';
import { PlatformCallError } from '../vle/platform-client';
import { fingerprintOf, wantedStanding, type WantedStanding } from './score';

/** Queueing needs only the database and a clock (the coordinator's page has no VLE client). */
export type OutboxContext = Pick<VleJobContext, 'connection' | 'now'>;

const isDuplicateKey = (e: unknown) => (e as { code?: number }).code === 11000;

/**
 * Wants the candidate's current standing in every line item of their course. Idempotent: the same
 * standing twice changes nothing; a new one raises wantedVersion and wakes a sent or failed entry.
 */
export async function enqueueCandidate(ctx: OutboxContext, candidate: Candidate): Promise<number> {
  if (!candidate.sub) return 0; // no VLE identity to post for (their user record is gone)
  const lines = await gradebookLineModel(ctx.connection).find({ courseId: candidate.courseId }, { _id: 1 }).lean();
  const wanted = wantedStanding(candidate.standing);
  let woken = 0;
  for (const line of lines) {
    if (await want(ctx, candidate, candidate.sub, String(line._id), wanted)) woken += 1;
  }
  return woken;
}

async function want(ctx: OutboxContext, c: Candidate, sub: string, lineId: string, wanted: WantedStanding): Promise<boolean> {
  const Entry = gradeOutboxModel(ctx.connection);
  await Entry.init(); // one entry per candidate + course + line relies on the unique index
  const now = ctx.now();
  const fingerprint = fingerprintOf(wanted);
  let entry: GradeOutboxEntry | null;
  try {
    entry = await Entry.findOneAndUpdate(
      { candidateId: c.candidateId, courseId: c.courseId, lineId, wantedFingerprint: { $ne: fingerprint } },
      {
        $set: { wanted, wantedFingerprint: fingerprint, portfolioId: c.portfolioId, userSub: sub },
        $inc: { wantedVersion: 1 },
        $setOnInsert: { status: 'pending', sentVersion: 0, attempts: 0, nextAttemptAt: now },
      },
      { upsert: true, new: true, setDefaultsOnInsert: false },
    ).lean();
  } catch (e) {
    if (isDuplicateKey(e)) return false; // the entry exists and already wants this standing
    throw e;
  }
  if (!entry) return false;
  if (entry.status === 'sent' || entry.status === 'failed') {
    // Only if nobody moved it meanwhile: a worker finishing a send re-checks wantedVersion itself.
    await Entry.updateOne(
      { _id: entry._id, status: entry.status, wantedVersion: entry.wantedVersion },
      { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, failedAt: null } },
    );
  }
  return true;
}

/**
 * Takes up to `max` due entries (or ones whose sender's lease ran out) for this worker: each entry's
 * update re-checks its status, so of two workers reaching for one entry only one gets it.
 */
export async function claimBatch(ctx: VleJobContext, max: number): Promise<GradeOutboxEntry[]> {
  const Entry = gradeOutboxModel(ctx.connection);
  const now = ctx.now();
  const claimable = { $or: [{ status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', leaseUntil: { $lt: now } }] };
  const candidates = await Entry.find(claimable, { _id: 1 }).sort({ _id: 1 }).limit(max).lean();
  if (!candidates.length) return [];
  // An _id range rather than a list: the same entries, and a range is cheap for any engine's _id index.
  const range = { _id: { $gte: candidates[0]._id, $lte: candidates[candidates.length - 1]._id } };
  const claimToken = `${ctx.ownerId}:${randomUUID()}`;
  await Entry.updateMany(
    { ...range, ...claimable },
    { $set: { status: 'sending', leaseOwner: ctx.ownerId, leaseUntil: new Date(now.getTime() + ctx.leaseMs), claimToken } },
  );
  return Entry.find({ ...range, claimToken }).lean();
}

/** One entry at a time (tests use it to play a worker that dies holding the lease). */
export async function claimNext(ctx: VleJobContext): Promise<GradeOutboxEntry | null> {
  return (await claimBatch(ctx, 1))[0] ?? null;
}

/** Sent: done, unless a newer standing was wanted while we were posting (then it goes round again). */
export async function markSent(ctx: VleJobContext, done: Array<{ entry: GradeOutboxEntry; sent: SentScore }>): Promise<void> {
  if (!done.length) return;
  const Entry = gradeOutboxModel(ctx.connection);
  const now = ctx.now();
  const common = (e: GradeOutboxEntry, sent: SentScore) => ({
    sentVersion: e.wantedVersion, lastSent: sent, lastSentAt: now, attempts: 0, lastError: null, failedAt: null, leaseOwner: null, leaseUntil: null, claimToken: null,
  });
  const result = await Entry.bulkWrite(
    done.map(({ entry, sent }) => ({
      updateOne: { filter: { _id: entry._id, leaseOwner: ctx.ownerId, wantedVersion: entry.wantedVersion }, update: { $set: { ...common(entry, sent), status: 'sent' } } },
    })),
    { ordered: false },
  );
  if (result.modifiedCount === done.length) return;
  const moved = await Entry.find({ _id: { $in: done.map((d) => d.entry._id) }, leaseOwner: ctx.ownerId, status: 'sending' }, { _id: 1 }).lean();
  for (const m of moved) {
    const d = done.find((x) => String(x.entry._id) === String(m._id))!;
    await Entry.updateOne({ _id: m._id, leaseOwner: ctx.ownerId }, { $set: { ...common(d.entry, d.sent), status: 'pending', nextAttemptAt: now } });
  }
}

/** A failed try: back off and try again, or give up with the reason once the policy says so. */
export async function markFailedAttempt(ctx: VleJobContext, entry: GradeOutboxEntry, error: unknown): Promise<'retry' | 'failed'> {
  const attempts = entry.attempts + 1;
  const err = error instanceof PlatformCallError ? error : new PlatformCallError('Something went wrong while sending the grade.', true, undefined, undefined, String((error as Error)?.message ?? error).slice(0, 200));
  const now = ctx.now();
  const mine = { _id: entry._id, leaseOwner: ctx.ownerId };
  const release = { leaseOwner: null, leaseUntil: null, claimToken: null, attempts, lastError: err.message };
  if (!err.retryable || attempts >= ctx.retry.maxAttempts) {
    await gradeOutboxModel(ctx.connection).updateOne(mine, { $set: { ...release, status: 'failed', failedAt: now } });
    return 'failed';
  }
  const delay = Math.max(err.retryAfterMs ?? 0, backoffMs(ctx.retry, attempts));
  await gradeOutboxModel(ctx.connection).updateOne(mine, { $set: { ...release, status: 'pending', nextAttemptAt: new Date(now.getTime() + delay) } });
  return 'retry';
}

/** Not now and not a failure (another worker is setting up the line item): look again shortly. */
export async function putBack(ctx: VleJobContext, entry: GradeOutboxEntry, delayMs: number): Promise<void> {
  await gradeOutboxModel(ctx.connection).updateOne(
    { _id: entry._id, leaseOwner: ctx.ownerId },
    { $set: { status: 'pending', leaseOwner: null, leaseUntil: null, claimToken: null, nextAttemptAt: new Date(ctx.now().getTime() + delayMs) } },
  );
}

/** The coordinator's "sync now": send the current standing again, failed ones included. */
export async function syncNow(ctx: OutboxContext, courseId: string, entryId?: Types.ObjectId | string): Promise<number> {
  const filter: Record<string, unknown> = { courseId, status: { $ne: 'sending' } };
  if (entryId) filter._id = entryId;
  const res = await gradeOutboxModel(ctx.connection).updateMany(filter, {
    $set: { status: 'pending', attempts: 0, nextAttemptAt: ctx.now(), lastError: null, failedAt: null },
  });
  return res.modifiedCount;
}
