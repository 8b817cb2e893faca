import type { SectionState } from './models';

/**
 * Progress from section states and the framework, computed here only: the overview, the section pages
 * and (later) the gradebook all call this, so the numbers never disagree. Pure: no database, no clock.
 */
export interface ProgressArea {
  id: string;
  displayTitle: string;
  assessed: boolean;
  required: boolean;
}

export interface ProgressSection {
  areaId: string;
  state: SectionState;
}

export type NextStepKind = 'choose_pathway' | 'respond' | 'start' | 'finish' | 'ask_review' | 'wait' | 'done';

export interface NextStep {
  kind: NextStepKind;
  areaId?: string;
  message: string;
}

export interface Progress {
  required: number; // assessed areas: each must meet the criterion
  meeting: number;
  readyForReview: number;
  needsMoreWork: number;
  drafted: number; // assessed areas in draft
  notStarted: number; // assessed areas not started
  unassessedToWrite: number; // required but unassessed areas (contextual statement, declaration) still empty
  percentage: number; // meeting / required, as the gradebook scores it
  next: NextStep;
}

export function computeProgress(areas: ProgressArea[], sections: ProgressSection[]): Progress {
  const stateOf = (id: string): SectionState => sections.find((s) => s.areaId === id)?.state ?? 'not_started';
  const assessed = areas.filter((a) => a.assessed);
  const count = (state: SectionState) => assessed.filter((a) => stateOf(a.id) === state).length;
  const unassessedEmpty = areas.filter((a) => !a.assessed && a.required && stateOf(a.id) === 'not_started');
  const required = assessed.length;
  const meeting = count('meets_criterion');
  return {
    required,
    meeting,
    readyForReview: count('ready_for_review'),
    needsMoreWork: count('needs_more_work'),
    drafted: count('draft'),
    notStarted: count('not_started'),
    unassessedToWrite: unassessedEmpty.length,
    percentage: required === 0 ? 0 : Math.round((meeting / required) * 100),
    next: nextStep(areas, stateOf),
  };
}

/** The one most useful thing to do now, in the order a mentor would suggest. */
function nextStep(areas: ProgressArea[], stateOf: (id: string) => SectionState): NextStep {
  if (areas.length === 0) return { kind: 'choose_pathway', message: 'Choose your pathway to begin.' };
  const first = (pred: (a: ProgressArea) => boolean) => areas.find((a) => (a.assessed || a.required) && pred(a));
  const respond = first((a) => stateOf(a.id) === 'needs_more_work');
  if (respond) {
    return { kind: 'respond', areaId: respond.id, message: `Respond to your mentor's feedback on ${respond.displayTitle}.` };
  }
  const draft = first((a) => a.assessed && stateOf(a.id) === 'draft');
  if (draft) {
    return {
      kind: 'finish',
      areaId: draft.id,
      message: `Carry on with ${draft.displayTitle}, then mark it ready for review.`,
    };
  }
  const notStarted = first((a) => stateOf(a.id) === 'not_started');
  if (notStarted) return { kind: 'start', areaId: notStarted.id, message: `Start ${notStarted.displayTitle}.` };
  const assessed = areas.filter((a) => a.assessed);
  if (assessed.every((a) => stateOf(a.id) === 'meets_criterion')) {
    return { kind: 'done', message: 'Every assessed section meets the criterion. Your portfolio is ready to submit.' };
  }
  if (assessed.some((a) => stateOf(a.id) === 'ready_for_review')) {
    return { kind: 'wait', message: 'Your mentor has sections to review. You will see their decisions here.' };
  }
  return { kind: 'ask_review', message: 'Mark your finished sections ready for review.' };
}
