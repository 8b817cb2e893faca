/** Mentoring: who mentors whom, reading and commenting, reviews, what changed, co-mentoring, final review. */
import { mentoringRouter as makeRouter, type MentoringDeps } from './routes';
import { registerMentoringPolicy } from './policy';
import { setSectionFeedbackSource } from '../portfolio';
import { sectionFeedbackFor } from './section-feedback';

export { registerMentoringPolicy, canOnSection, canOnCohort, mentors } from './policy';
export { courseLinkAfterLaunch as mentoringAfterLaunch } from '../notifications';
export { noteReadySection } from './reviews';
export type { MentoringDeps };

/** The /mentoring router; it also teaches the portfolio and evidence policies about mentors. */
export function mentoringRouter(deps: MentoringDeps) {
  registerMentoringPolicy();
  setSectionFeedbackSource(sectionFeedbackFor); // the candidate's section page shows the newest review
  return makeRouter(deps);
}
export { commentLocalsFor } from './comments-partial';
export { assignMentor, assignmentsIn, unassignMentor, ASSIGN_MESSAGES, type AssignResult } from './assignments';
export { h, objectId, parse, refuse, render, urlOf, whoOf } from '../http/route-kit';
export { decideFinalReview } from './final-review';
export { progressPresenter, when } from './presenters';
