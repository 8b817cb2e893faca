import { Portfolio, type PortfolioDoc } from '../portfolio';

/**
 * Where each portfolio stands with ALT, read from the submission record (the portfolio's `altRounds`), for
 * reports that count submissions and passes. One read for every course asked about.
 */
export type SubmissionStage = 'not_submitted' | 'submitted' | 'referral' | 'resubmitted' | 'pass';

export const STAGE_LABELS: Record<SubmissionStage, string> = {
  not_submitted: 'Not submitted',
  submitted: 'Submitted, awaiting ALT’s outcome',
  referral: 'Referred by ALT',
  resubmitted: 'Resubmitted after a referral, awaiting ALT’s outcome',
  pass: 'Passed',
};

export interface SubmissionRecord {
  courseId: string;
  userId: string;
  portfolioId: string;
  stage: SubmissionStage;
  stageLabel: string;
  submitted: boolean; // at least one submission recorded
  passed: boolean; // any round passed
  signedOff: boolean; // the coordinator signed the portfolio off at final review: ready to submit
  firstSubmittedOn: Date | null;
}

export function stageOf(p: Pick<PortfolioDoc, 'altRounds'>): SubmissionStage {
  const rounds = p.altRounds ?? [];
  const last = rounds[rounds.length - 1];
  if (!last) return 'not_submitted';
  if (last.outcome === 'pass') return 'pass';
  if (last.outcome === 'referral') return 'referral';
  return last.kind === 'referral' ? 'resubmitted' : 'submitted';
}

/** The submission record of every portfolio in these courses, keyed `${courseId}:${userId}`. */
export async function submissionRecordsIn(courseIds: string[]): Promise<Map<string, SubmissionRecord>> {
  const out = new Map<string, SubmissionRecord>();
  if (!courseIds.length) return out;
  const portfolios = (await Portfolio.find({ courseId: { $in: courseIds } }, { courseId: 1, userId: 1, altRounds: 1, signedOffAt: 1 }).lean()) as PortfolioDoc[];
  for (const p of portfolios) {
    const stage = stageOf(p);
    const rounds = p.altRounds ?? [];
    out.set(`${p.courseId}:${p.userId}`, {
      courseId: p.courseId,
      userId: p.userId,
      portfolioId: String(p._id),
      stage,
      stageLabel: STAGE_LABELS[stage],
      submitted: rounds.length > 0,
      passed: rounds.some((r) => r.outcome === 'pass'),
      signedOff: Boolean(p.signedOffAt),
      firstSubmittedOn: rounds[0]?.submittedOn ? new Date(rounds[0].submittedOn) : null,
    });
  }
  return out;
}
