import { candidatePortfolioIds, loadCandidates, type CandidateFilter } from './candidates';
import { gradebookLineModel } from './line.model';
import { enqueueCandidate, knownEntriesOf, type OutboxContext } from './outbox';

/**
 * Portfolios looked at per step. perf: a full reconcile (at start-up, hourly) of a course of 1,500 read every
 * portfolio and its 19,000 sections in one command and grouped them in one go, holding the event loop (and, with the
 * embedded engine in the same process, every request) for the whole of it; in steps of this many each command and
 * each grouping is small, and requests are served between them.
 */
export const RECONCILE_BATCH = 200;

/**
 * The safety net that makes the outbox crash-safe: the standing is derived from section states, so
 * any candidate whose standing differs from what the outbox last wanted (a crash after the state
 * write, a write path without a hook, a course whose line item just appeared) is enqueued here.
 */
export async function reconcile(ctx: OutboxContext, scope: { changedSince?: Date; courseId?: string; portfolioIds?: string[] } = {}): Promise<number> {
  const filters: CandidateFilter[] = [{ changedSince: scope.changedSince, courseId: scope.courseId, portfolioIds: scope.portfolioIds }];
  if (scope.changedSince) {
    // A course that has only now told us where its gradebook is: everyone in it, changed or not.
    const newLines = await gradebookLineModel(ctx.connection).find({ createdAt: { $gte: scope.changedSince } }, { courseId: 1 }).lean();
    for (const courseId of new Set(newLines.map((l) => l.courseId))) filters.push({ courseId });
  }
  let woken = 0;
  const seen = new Set<string>();
  for (const filter of filters) {
    const ids = (await candidatePortfolioIds(ctx.connection, filter)).filter((id) => !seen.has(id));
    for (let i = 0; i < ids.length; i += RECONCILE_BATCH) {
      const candidates = await loadCandidates(ctx.connection, { portfolioIds: ids.slice(i, i + RECONCILE_BATCH) });
      // Set-based: line items and current fingerprints read once per step; only changed standings are written.
      const known = await knownEntriesOf(ctx, candidates);
      for (const candidate of candidates) {
        seen.add(candidate.portfolioId);
        woken += await enqueueCandidate(ctx, candidate, known);
      }
    }
  }
  return woken;
}
