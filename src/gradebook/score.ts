import type { Progress } from '../portfolio';
import type { AgsScore } from '../vle/ags';

/** What the gradebook needs to know about one candidate's portfolio, besides the progress numbers. */
export interface CandidateStanding {
  progress: Progress;
  anythingWritten: boolean;
  submitted: boolean; // asked for final review of the whole portfolio
  signedOff: boolean; // the coordinator signed it off
}

export type ScoreValues = Omit<AgsScore, 'userId' | 'timestamp'>;

/** What the VLE should show for a candidate, before it is scaled to a line item: kept in the outbox entry. */
export interface WantedStanding {
  meeting: number;
  required: number;
  activityProgress: AgsScore['activityProgress'];
  gradingProgress: AgsScore['gradingProgress'];
}

/** DESIGN "Progress and the gradebook": the progress function's numbers and the AGS progress values. */
export function wantedStanding(standing: CandidateStanding): WantedStanding {
  return {
    meeting: standing.progress.meeting,
    required: standing.progress.required,
    activityProgress: activityOf(standing),
    gradingProgress: gradingOf(standing),
  };
}

/** The AGS values for a wanted standing, scaled to the line item's maximum. */
export function scoreFor(w: WantedStanding, scoreMaximum: number): ScoreValues {
  const fraction = w.required === 0 ? 0 : w.meeting / w.required;
  return {
    scoreGiven: Math.round(fraction * scoreMaximum * 100) / 100,
    scoreMaximum,
    comment: `${w.meeting} of ${w.required} areas ${w.meeting === 1 ? 'meets' : 'meet'} the criterion`,
    activityProgress: w.activityProgress,
    gradingProgress: w.gradingProgress,
  };
}

export function scoreValues(standing: CandidateStanding, scoreMaximum: number): ScoreValues {
  return scoreFor(wantedStanding(standing), scoreMaximum);
}

function activityOf(s: CandidateStanding): ScoreValues['activityProgress'] {
  if (s.signedOff) return 'Completed';
  if (s.submitted) return 'Submitted';
  return s.anythingWritten ? 'InProgress' : 'Initialized';
}

/**
 * The progress score is the tool's complete judgement at this moment, so it is FullyGraded as soon as there is
 * anything to judge: Moodle keeps a number only when FullyGraded, Canvas ignores it for Pending/NotReady/Failed
 * (docs/decisions.md (“Real VLEs: Moodle, Canvas, Brightspace, Blackboard”)). Waiting for a mentor is what activityProgress and the comment say, not this.
 */
function gradingOf(s: CandidateStanding): ScoreValues['gradingProgress'] {
  return s.anythingWritten || s.signedOff ? 'FullyGraded' : 'NotReady';
}

/** A change here is a change the VLE must hear of. */
export function fingerprintOf(w: WantedStanding): string {
  return `${w.meeting}/${w.required}|${w.activityProgress}|${w.gradingProgress}`;
}

export function standingFingerprint(s: CandidateStanding): string {
  return fingerprintOf(wantedStanding(s));
}

/** A timestamp later than `now` only if the last one sent is ahead of our clock: AGS keeps the newest. */
export function nextTimestamp(now: Date, lastSent?: string | null): string {
  const last = lastSent ? Date.parse(lastSent) : NaN;
  const at = Number.isNaN(last) || now.getTime() > last ? now.getTime() : last + 1;
  return new Date(at).toISOString();
}
