import { day } from '../http/dates';
import type { AltRecord } from '../export';
import type { ActivityKind, EntryDoc, Rating, SubmissionDoc, TargetDoc, TargetSource } from './models';
import { TRAINING_STATE_LABELS, type TrainingStatus } from './mandatory.service';
import { periodLabel } from './periods.service';
import { PERIOD_STATE_LABELS, type PeriodRow } from './submissions.service';

/** What the CPD pages receive: plain objects, never mongoose documents. */

export const KIND_LABELS: Record<ActivityKind, string> = {
  course: 'Course (external or internal)',
  event: 'Event or conference',
  qualification: 'Qualification study',
  reading: 'Reading or research',
  mentoring_given: 'Mentoring or coaching given',
  mentoring_received: 'Mentoring or coaching received',
  observation: 'Observation',
  standardisation: 'Standardisation or quality review',
  project: 'Project or new responsibility',
  other: 'Other',
};
export const SOURCE_LABELS: Record<TargetSource, string> = {
  appraisal: 'Appraisal',
  self_assessment: 'Self-assessment or quality-improvement plan',
  observation: 'Observation of teaching and learning',
  work_scrutiny: 'Work scrutiny',
  own_need: 'My own identified need',
};
export const RATING_LABELS: Record<Rating, string> = {
  very_effective: 'Very effective',
  effective: 'Effective',
  partly_effective: 'Partly effective',
  not_effective: 'Not effective',
};

export const inWords = (d: Date | null | undefined) => day(d);
/** "1 hour", "2.5 hours". */
export const hoursInWords = (hours: number) => `${hours} hour${hours === 1 ? '' : 's'}`;
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : '');

export function presentEntry(e: EntryDoc) {
  return {
    id: String(e._id),
    title: e.title,
    kind: e.kind,
    kindLabel: KIND_LABELS[e.kind],
    dates: iso(e.startOn) === iso(e.endOn) ? inWords(e.startOn) : `${inWords(e.startOn)} to ${inWords(e.endOn)}`,
    hours: e.hours,
    hoursText: hoursInWords(e.hours),
    submitted: Boolean(e.submissionId),
    values: {
      title: e.title, kind: e.kind, startOn: iso(e.startOn), endOn: iso(e.endOn), hours: String(e.hours), provider: e.provider ?? '',
      accredited: e.accredited ? 'yes' : '', cost: e.cost ? String(e.cost) : '', expenseClaimed: e.expenseClaimed ? 'yes' : '',
      reflection: e.reflection ?? '', use: e.use ?? '', mandatoryItem: e.mandatoryItem ?? '',
    } as Record<string, string>,
    targetIds: e.targetIds ?? [],
    evidenceIds: e.evidenceIds ?? [],
    reflection: e.reflection ?? '',
    use: e.use ?? '',
    provider: e.provider ?? '',
    accredited: Boolean(e.accredited),
    cost: (e.cost ?? 0).toFixed(2),
    expenseClaimed: Boolean(e.expenseClaimed),
  };
}
export type EntryView = ReturnType<typeof presentEntry>;

export function presentTarget(t: TargetDoc, entries: EntryDoc[] = []) {
  const titles = new Map(entries.map((e) => [String(e._id), e.title]));
  return {
    id: String(t._id),
    title: t.title,
    source: t.source,
    sourceLabel: SOURCE_LABELS[t.source],
    due: inWords(t.dueOn),
    values: { title: t.title, source: t.source, dueOn: iso(t.dueOn), planned: t.planned ?? '' } as Record<string, string>,
    planned: t.planned ?? '',
    evaluated: Boolean(t.evaluation),
    evaluation: t.evaluation
      ? {
          outcome: t.evaluation.outcome,
          at: inWords(t.evaluation.evaluatedAt),
          ratings: (t.evaluation.ratings ?? []).map((r) => ({ title: titles.get(r.entryId ?? '') ?? 'An activity', label: RATING_LABELS[r.rating as Rating] ?? '', sentence: r.sentence ?? '' })),
        }
      : null,
  };
}

export function presentTraining(statuses: TrainingStatus[]) {
  return statuses.map((s) => ({ id: s.item.id, title: s.item.title, state: s.state, label: TRAINING_STATE_LABELS[s.state], lastDone: inWords(s.lastDone), renewBy: inWords(s.renewBy) }));
}

export function presentPeriod(row: PeriodRow) {
  return {
    key: row.period.key,
    label: periodLabel(row.period),
    due: inWords(row.period.due),
    state: row.state,
    stateLabel: PERIOD_STATE_LABELS[row.state],
    entries: row.entries,
    reviewer: row.submission ? (row.submission.reviewer === 'line_manager' ? `${row.submission.reviewerName} (line manager)` : 'Course coordinator') : '',
    comment: row.submission?.comment ?? '',
    acknowledgedBy: row.submission?.acknowledgedBy ?? '',
  };
}

export function presentSubmission(s: SubmissionDoc) {
  return {
    id: String(s._id),
    person: s.ownerName || 'A member of staff',
    period: periodLabel({ start: s.periodStart, end: s.periodEnd, due: s.periodEnd, key: '' }),
    submittedOn: inWords(s.createdAt as Date | undefined),
    progress: s.progress ?? '',
    acknowledged: Boolean(s.acknowledgedAt),
    acknowledgedOn: inWords(s.acknowledgedAt),
    acknowledgedBy: s.acknowledgedBy ?? '',
    comment: s.comment ?? '',
  };
}

/** Page links for a paginated list: previous, next and "page 2 of 5". */
export function pagination(page: number, total: number, perPage: number, href: (page: number) => string) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return { page, pages, total, prev: page > 1 ? href(page - 1) : '', next: page < pages ? href(page + 1) : '' };
}

/** A form's values shown again after a refusal: exactly what was typed. */
export function postedValues(body: Record<string, unknown>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, typeof body[n] === 'string' ? (body[n] as string) : '']));
}

/**
 * The review's standing with ALT for the review page: the last review recorded (any course), and where to record
 * one from here. The submission lives with the portfolio in this course, so the link is there or nowhere.
 */
export function presentAltRecord(alt: AltRecord[], courseId: string, documentId: string) {
  const here = alt.find((a) => a.courseId === courseId);
  const review = alt.map((a) => a.lastRound).filter((r) => r?.kind === 'review').sort((a, b) => b!.submittedOn.getTime() - a!.submittedOn.getTime())[0];
  const submitted = review ? `Your review was submitted to ALT on ${inWords(review.submittedOn)}` : '';
  const standing = !review ? '' : review.outcome === 'pending' ? `${submitted}. ALT has not decided yet.` : review.outcome === 'pass' ? `${submitted} and passed on ${inWords(review.decidedOn)}.` : `${submitted} and was referred on ${inWords(review.decidedOn)}.`;
  let blocked = '';
  if (!here) blocked = 'Your submission to ALT is recorded with your CMALT portfolio. Open this tool from the course that holds it to record the review.';
  else if (!here.canRecordReview) blocked = here.lastRound?.outcome === 'pending' ? 'ALT has not decided on the last submission recorded with your portfolio, so another cannot be recorded yet.' : 'After a referral, the next submission to ALT is a referral resubmission rather than a review.';
  else if (!documentId) blocked = 'Save your review first: it is what you submit.';
  return {
    standing,
    submittedOn: review ? inWords(review.submittedOn) : '',
    blocked: review?.outcome === 'pending' ? '' : blocked,
    recordHref: here?.canRecordReview && documentId ? `/export/portfolios/${here.portfolioId}/submission?kind=review&document=${encodeURIComponent(`cmalt-review/${documentId}`)}` : '',
  };
}
