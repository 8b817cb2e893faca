/** Mentoring: who mentors whom, reading and commenting, reviews, what changed, co-mentoring, final review. */
import { mentoringRouter as makeRouter, type MentoringDeps } from './routes';
import { registerMentoringPolicy } from './policy';

export { registerMentoringPolicy, canOnSection, mentors } from './policy';
export { courseLinkAfterLaunch as mentoringAfterLaunch } from '../notifications';
export { noteReadySection } from './reviews';
export type { MentoringDeps };

/** The /mentoring router; it also teaches the portfolio and evidence policies about mentors. */
export function mentoringRouter(deps: MentoringDeps) {
  registerMentoringPolicy();
  return makeRouter(deps);
}
export { commentLocalsFor } from './comments-partial';
