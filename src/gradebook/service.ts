import { Types, type Connection } from 'mongoose';
import { loadCandidates } from './candidates';
import { gradebookLineModel } from './line.model';
import { gradeOutboxModel, type GradeOutboxEntry } from './outbox.model';
import { syncNow, type OutboxContext } from './outbox';
import { reconcile } from './reconciler';
import { notifyWorkers } from './worker-signal';

export interface CandidateSync {
  candidateId: string;
  name: string;
  comment: string; // the standing as the VLE will see it
  entries: GradeOutboxEntry[]; // one per line item (usually one)
}

export interface GradebookOverview {
  hasLine: boolean;
  candidates: CandidateSync[];
  lastSuccessAt: Date | null;
}

/** Every candidate in the course with where their grade stands in the outbox. */
export async function gradebookOverview(conn: Connection, courseId: string): Promise<GradebookOverview> {
  const [candidates, entries, lineCount] = await Promise.all([
    loadCandidates(conn, { courseId }),
    gradeOutboxModel(conn).find({ courseId }).lean(),
    gradebookLineModel(conn).countDocuments({ courseId }),
  ]);
  // Grouped once: a filter over every entry per candidate was quadratic in the course's size.
  const entriesOf = new Map<string, GradeOutboxEntry[]>();
  for (const e of entries) {
    let list = entriesOf.get(e.candidateId);
    if (!list) entriesOf.set(e.candidateId, (list = []));
    list.push(e);
  }
  const lastSuccessAt = entries.reduce<Date | null>((latest, e) => (e.lastSentAt && (!latest || e.lastSentAt > latest) ? e.lastSentAt : latest), null);
  return {
    hasLine: lineCount > 0,
    lastSuccessAt,
    candidates: candidates
      .map((c) => ({
        candidateId: c.candidateId,
        name: c.name ?? 'Unnamed candidate',
        comment: `${c.standing.progress.meeting} of ${c.standing.progress.required} areas meet the criterion`,
        entries: entriesOf.get(c.candidateId) ?? [],
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
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
  const entries = await gradeOutboxModel(ctx.connection).find({ courseId, ...(candidateId ? { candidateId } : {}) }, { _id: 1 }).lean();
  let queued = 0;
  for (const e of entries) queued += await syncNow(ctx, courseId, e._id);
  notifyWorkers();
  return { ok: true, queued };
}
