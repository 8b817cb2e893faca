import { Types, type Connection } from 'mongoose';
import { Portfolio } from '../portfolio';
import { coursePeople } from '../roster';
import { loadCandidates } from './candidates';
import { gradebookLineModel } from './line.model';
import { gradeOutboxModel, type GradeOutboxEntry } from './outbox.model';
import { syncEveryoneNow, type OutboxContext } from './outbox';
import { reconcile } from './reconciler';
import { notifyWorkers } from './worker-signal';

export interface CandidateSync {
  portfolioId: string;
  candidateId: string;
  name: string;
  comment: string; // the standing as the VLE will see it
  entries: GradeOutboxEntry[]; // one per line item (usually one)
}

export interface GradebookOverview {
  hasLine: boolean;
  candidates: CandidateSync[];
  lastSuccessAt: Date | null;
  /** Candidates with a portfolio in the course (the rows are one page of them). */
  total: number;
  /** Candidates with a grade that failed to reach the VLE, across the course. */
  failedCount: number;
}

/**
 * Candidates of the course with where their grade stands in the outbox, one page at a time (by name). Only the
 * page's portfolios, sections and outbox entries are read; the course-wide figures (last success, how many
 * failed, how many candidates) are single queries.
 */
export async function gradebookOverview(conn: Connection, courseId: string, page = 1, size = 50): Promise<GradebookOverview> {
  const P = conn.models.Portfolio ?? conn.model('Portfolio', Portfolio.schema);
  const outbox = gradeOutboxModel(conn);
  const [owners, people, lineCount, lastSent, failed] = await Promise.all([
    P.find({ courseId }, { userId: 1 }).lean() as unknown as Promise<Array<{ _id: unknown; userId: string }>>,
    coursePeople(courseId),
    gradebookLineModel(conn).countDocuments({ courseId }),
    outbox.findOne({ courseId, lastSentAt: { $ne: null } }, { lastSentAt: 1 }).sort({ lastSentAt: -1 }).lean(),
    outbox.distinct('candidateId', { courseId, status: 'failed' }),
  ]);
  // By name in the course's people's order (kept sorted, src/roster/people-cache.service.ts), not sorted here per view;
  // an owner the course's people do not list (no membership) comes last.
  const portfolioOf = new Map(owners.map((p) => [p.userId, String(p._id)]));
  const ordered: string[] = [];
  for (const person of people?.people ?? []) {
    const id = person.userId ? portfolioOf.get(person.userId) : undefined;
    if (id) ordered.push(id);
  }
  if (ordered.length < owners.length) {
    const listed = new Set(ordered);
    for (const p of owners) if (!listed.has(String(p._id))) ordered.push(String(p._id));
  }
  const shown = ordered.slice((page - 1) * size, page * size);
  const candidates = shown.length ? await loadCandidates(conn, { courseId, portfolioIds: shown, known: people?.byUserId }) : [];
  const position = new Map(shown.map((id, i) => [id, i])); // the page keeps the course-wide order by name
  const entries = candidates.length ? await outbox.find({ courseId, candidateId: { $in: candidates.map((c) => c.candidateId) } }).lean() : [];
  // Grouped once: a filter over every entry per candidate was quadratic in the course's size.
  const entriesOf = new Map<string, GradeOutboxEntry[]>();
  for (const e of entries) {
    let list = entriesOf.get(e.candidateId);
    if (!list) entriesOf.set(e.candidateId, (list = []));
    list.push(e);
  }
  return {
    hasLine: lineCount > 0,
    lastSuccessAt: lastSent?.lastSentAt ?? null,
    total: owners.length,
    failedCount: failed.length,
    candidates: candidates
      .map((c) => ({
        portfolioId: c.portfolioId,
        candidateId: c.candidateId,
        name: c.name ?? 'Unnamed candidate',
        comment: `${c.standing.progress.meeting} of ${c.standing.progress.required} areas meet the criterion`,
        entries: entriesOf.get(c.candidateId) ?? [],
      }))
      .sort((a, b) => position.get(a.portfolioId)! - position.get(b.portfolioId)!),
  };
}

export type SyncRequest = { ok: true; queued: number } | { ok: false; reason: 'not_found' | 'no_line' };

/** "Sync now" for one candidate or everyone in the course: queue their current standing again. */
export async function requestGradeSync(ctx: OutboxContext, courseId: string, candidateId?: string): Promise<SyncRequest> {
  if (!(await gradebookLineModel(ctx.connection).exists({ courseId }))) return { ok: false, reason: 'no_line' };
  let portfolioIds: string[] | undefined;
  if (candidateId) {
    const [candidate] = Types.ObjectId.isValid(candidateId) ? await loadCandidates(ctx.connection, { courseId, candidateId }) : [];
    if (!candidate) return { ok: false, reason: 'not_found' };
    portfolioIds = [candidate.portfolioId];
  }
  await reconcile(ctx, { courseId, portfolioIds }); // anyone not queued yet gets an entry first
  const queued = await syncEveryoneNow(ctx, courseId, candidateId); // one update for the course, not one per entry
  notifyWorkers();
  return { ok: true, queued };
}
