import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { startBackgroundLoop, type BackgroundLoop } from '../background';
import { deletePortfolio } from '../portfolio';
import { Application, SchemeSettings } from './scheme.model';

const BATCH = 100;

/**
 * Deletes the portfolios (with their evidence and files) of people who withdrew longer ago than their course's
 * retention period, and notes it on the application so the person's page says so. `now` is injected so tests
 * need not wait months. Returns how many were deleted.
 */
export async function deleteExpiredPortfolios(now = new Date()): Promise<number> {
  let deleted = 0;
  const courses = await SchemeSettings.find({}, { courseId: 1, retentionMonths: 1 }).lean();
  for (const s of courses) {
    const cutoff = DateTime.fromJSDate(now).minus({ months: s.retentionMonths ?? 24 }).toJSDate();
    const due = await Application.find({ courseId: s.courseId, state: 'withdrawn', decidedAt: { $lte: cutoff }, portfolioDeletedAt: null }, { userId: 1 }).limit(BATCH).lean();
    for (const app of due) {
      await deletePortfolio({ userId: app.userId, courseId: s.courseId });
      const r = await Application.updateOne({ _id: app._id, state: 'withdrawn', portfolioDeletedAt: null }, { $set: { portfolioDeletedAt: now } });
      deleted += r.modifiedCount;
    }
  }
  return deleted;
}

/** Started and stopped by boot.ts: a sweep every few hours (and at start) is plenty for a period counted in months. */
export function startRetentionJob(log: Logger, clock: () => Date = () => new Date(), intervalMs = 6 * 60 * 60 * 1000): BackgroundLoop {
  const loop = startBackgroundLoop(() => deleteExpiredPortfolios(clock()), { intervalMs, log, failure: 'deleting withdrawn portfolios past retention failed' });
  loop.kick();
  return loop;
}
