import { loadCandidates, type CandidateFilter } from './candidates';
import { gradebookLineModel } from './line.model';
import { enqueueCandidate, knownEntriesOf, type OutboxContext } from './outbox';

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
    const candidates = (await loadCandidates(ctx.connection, filter)).filter((c) => !seen.has(c.portfolioId));
    // Set-based: line items and current fingerprints read once for all of them; only changed standings are written.
    const known = await knownEntriesOf(ctx, candidates);
    for (const candidate of candidates) {
      seen.add(candidate.portfolioId);
      woken += await enqueueCandidate(ctx, candidate, known);
    }
  }
  return woken;
}
