import { day } from '../http/dates';
import { notifyWorkers } from '../gradebook';
import { applyTransition, frameworks, loadPortfolio, Portfolio, type PortfolioDoc } from '../portfolio';

/**
 * The submission to ALT and its outcome. ALT's form distinguishes first submissions, 3-yearly reviews and
 * referral resubmissions; a referral's resubmission is final. A pass starts the 3-year review clock; a
 * referral reopens the areas ALT names. The gradebook follows (Submitted, then Completed on a pass).
 */
export type AltKind = 'first' | 'review' | 'referral';
export type AltRound = NonNullable<PortfolioDoc['altRounds']>[number];

export const KIND_LABELS: Record<AltKind, string> = { first: 'First submission', review: 'Review (renewal)', referral: 'Referral resubmission' };

export const SUBMISSION_MESSAGES = {
  pending: 'ALT has not yet decided on the last submission. Record its outcome first.',
  final: 'ALT treats a referral’s resubmission as final, so there is no further resubmission to record.',
  afterReferral: 'After a referral, the next submission is a referral resubmission.',
  afterPass: 'After a pass, the next submission is a review (renewal), usually three years on.',
  firstKinds: 'Choose a first submission, or a review if you are renewing your certification.',
  noPending: 'There is no submission waiting for an outcome.',
  badDate: 'Enter a real date that is not in the future.',
  beforeSubmission: 'The decision cannot be earlier than the submission.',
  feedback: 'Enter ALT’s feedback (up to 5,000 characters), so the candidate knows what to rework.',
  areas: 'Choose the areas ALT asked to be reworked.',
  busy: 'Someone else recorded a change at the same moment. Please look at the page again.',
};

export type Outcome = { ok: true } | { ok: false; status: number; message: string };
const refuse = (status: number, message: string): Outcome => ({ ok: false, status, message });
const lastOf = (p: PortfolioDoc): AltRound | undefined => (p.altRounds?.length ? p.altRounds[p.altRounds.length - 1] : undefined);

/** The kinds of submission that may be recorded next, given the rounds so far. */
export function nextKinds(p: PortfolioDoc): AltKind[] {
  const last = lastOf(p);
  if (!last) return ['first', 'review'];
  if (last.outcome === 'pending') return [];
  if (last.outcome === 'referral') return last.kind === 'referral' ? [] : ['referral'];
  return ['review'];
}

export function awaitingOutcome(p: PortfolioDoc): boolean {
  return lastOf(p)?.outcome === 'pending';
}

/** "2026-03-01" as a date at midnight UTC, if real, from 2000 and not after today. */
export function pastDate(value: string, now: Date): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value || d.getUTCFullYear() < 2000 || d.getTime() > now.getTime()) return null;
  return d;
}

export async function recordSubmission(p: PortfolioDoc, input: { kind: AltKind; route: 'url' | 'file'; submittedOn: string }, byUser: string, now: Date): Promise<Outcome> {
  const allowed = nextKinds(p);
  if (!allowed.includes(input.kind)) {
    const last = lastOf(p);
    if (last?.outcome === 'pending') return refuse(409, SUBMISSION_MESSAGES.pending);
    if (!allowed.length) return refuse(409, SUBMISSION_MESSAGES.final);
    return refuse(422, last?.outcome === 'referral' ? SUBMISSION_MESSAGES.afterReferral : last ? SUBMISSION_MESSAGES.afterPass : SUBMISSION_MESSAGES.firstKinds);
  }
  const submittedOn = pastDate(input.submittedOn, now);
  if (!submittedOn) return refuse(422, SUBMISSION_MESSAGES.badDate);
  const count = p.altRounds?.length ?? 0;
  const round = { kind: input.kind, route: input.route, submittedOn, recordedBy: byUser, outcome: 'pending' };
  // Only if nobody recorded a round meanwhile: the count is part of the match.
  const updated = await Portfolio.updateOne({ _id: p._id, altRounds: { $size: count } }, { $push: { altRounds: round } });
  if (!updated.modifiedCount) return refuse(409, SUBMISSION_MESSAGES.busy);
  notifyWorkers({ courseId: p.courseId, portfolioIds: [String(p._id)] }); // the gradebook shows Submitted
  return { ok: true };
}

export type OutcomeInput =
  | { result: 'pass'; decidedOn: string; certifiedOn: string }
  | { result: 'referral'; decidedOn: string; feedback: string; areas: string[] };

export async function recordOutcome(p: PortfolioDoc, input: OutcomeInput, byUser: string, now: Date): Promise<Outcome> {
  const last = lastOf(p);
  if (!last || last.outcome !== 'pending') return refuse(409, SUBMISSION_MESSAGES.noPending);
  const decidedOn = pastDate(input.decidedOn, now);
  if (!decidedOn) return refuse(422, SUBMISSION_MESSAGES.badDate);
  if (decidedOn < new Date(last.submittedOn)) return refuse(422, SUBMISSION_MESSAGES.beforeSubmission);
  const i = (p.altRounds?.length ?? 0) - 1;
  const set: Record<string, unknown> = { [`altRounds.${i}.outcome`]: input.result, [`altRounds.${i}.decidedOn`]: decidedOn };
  let reopen: string[] = [];
  if (input.result === 'pass') {
    const certifiedOn = input.certifiedOn ? pastDate(input.certifiedOn, now) : decidedOn;
    if (!certifiedOn) return refuse(422, SUBMISSION_MESSAGES.badDate);
    set[`altRounds.${i}.certifiedOn`] = certifiedOn;
  } else {
    const feedback = input.feedback.trim();
    if (!feedback || feedback.length > 5000) return refuse(422, SUBMISSION_MESSAGES.feedback);
    const { areas, sections } = await loadPortfolio(frameworks(), p);
    reopen = [...new Set(input.areas)].filter((id) => areas.some((a) => a.id === id && a.assessed));
    if (!reopen.length || reopen.length !== new Set(input.areas).size) return refuse(422, SUBMISSION_MESSAGES.areas);
    set[`altRounds.${i}.feedback`] = feedback;
    set[`altRounds.${i}.reopenedAreas`] = reopen;
    const updated = await Portfolio.updateOne({ _id: p._id, [`altRounds.${i}.outcome`]: 'pending' }, { $set: set });
    if (!updated.modifiedCount) return refuse(409, SUBMISSION_MESSAGES.busy);
    // ALT's assessors decided; the section moves as a reviewer's "needs more work" would (and mentors are told).
    for (const s of sections.filter((x) => reopen.includes(x.areaId) && (x.state === 'meets_criterion' || x.state === 'ready_for_review'))) {
      await applyTransition({ sectionId: s._id, to: 'needs_more_work', by: 'mentor', expectedVersion: s.version, byUser });
    }
    notifyWorkers({ courseId: p.courseId, portfolioIds: [String(p._id)] });
    return { ok: true };
  }
  const updated = await Portfolio.updateOne({ _id: p._id, [`altRounds.${i}.outcome`]: 'pending' }, { $set: set });
  if (!updated.modifiedCount) return refuse(409, SUBMISSION_MESSAGES.busy);
  notifyWorkers({ courseId: p.courseId, portfolioIds: [String(p._id)] }); // the gradebook shows Completed
  return { ok: true };
}


/** One line for the cohort page and the candidate's page: where the portfolio stands with ALT. */
export function altStanding(p: Pick<PortfolioDoc, 'altRounds'>): string {
  const last = p.altRounds?.length ? p.altRounds[p.altRounds.length - 1] : undefined;
  if (!last) return '';
  const kind = KIND_LABELS[last.kind as AltKind].toLowerCase();
  if (last.outcome === 'pending') return `Submitted to ALT on ${day(new Date(last.submittedOn))} (${kind})`;
  if (last.outcome === 'pass') return `Passed: certified on ${day(new Date(last.certifiedOn ?? last.decidedOn!))}, review due ${day(reviewDue(last))}`;
  return `Referred by ALT on ${day(new Date(last.decidedOn!))}: ${last.reopenedAreas.length} area${last.reopenedAreas.length === 1 ? '' : 's'} to rework`;
}

/** A pass starts the 3-year review clock. */
export function reviewDue(round: AltRound): Date {
  const d = new Date(round.certifiedOn ?? round.decidedOn ?? round.submittedOn);
  d.setUTCFullYear(d.getUTCFullYear() + 3);
  return d;
}

/** Where one of a person's portfolios stands with ALT: what another capability (the CPD record's review) reads. */
export interface AltRecord {
  portfolioId: string;
  courseId: string;
  /** The latest pass's certification date (its decision date if ALT gave none): the start of the review clock. */
  certifiedOn: Date | null;
  lastRound: { kind: AltKind; submittedOn: Date; outcome: 'pending' | 'pass' | 'referral'; decidedOn: Date | null } | null;
  /** Whether a review (renewal) is the kind that may be recorded next on this portfolio. */
  canRecordReview: boolean;
}

/** A person's portfolios (one per course) as ALT records, newest certification first. */
export async function altRecordsOf(userId: string): Promise<AltRecord[]> {
  const portfolios = await Portfolio.find({ userId }, { courseId: 1, altRounds: 1 }).limit(100).lean<PortfolioDoc[]>();
  const records = portfolios.map((p) => {
    const passes = (p.altRounds ?? []).filter((r) => r.outcome === 'pass');
    const pass = passes[passes.length - 1];
    const last = lastOf(p);
    return {
      portfolioId: String(p._id),
      courseId: p.courseId,
      certifiedOn: pass ? new Date(pass.certifiedOn ?? pass.decidedOn ?? pass.submittedOn) : null,
      lastRound: last ? { kind: last.kind as AltKind, submittedOn: new Date(last.submittedOn), outcome: last.outcome as 'pending' | 'pass' | 'referral', decidedOn: last.decidedOn ? new Date(last.decidedOn) : null } : null,
      canRecordReview: nextKinds(p).includes('review'),
    };
  });
  return records.sort((a, b) => (b.certifiedOn?.getTime() ?? 0) - (a.certifiedOn?.getTime() ?? 0));
}
