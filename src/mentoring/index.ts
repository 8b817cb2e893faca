/** Mentoring: who mentors whom, reading and commenting, reviews, what changed, co-mentoring, final review. */
export { mentoringRouter, type MentoringDeps } from './routes';
export { registerMentoringPolicy, canOnSection, canOnCohort, mentors } from './policy';
export { sectionFeedbackFor } from './section-feedback';
export { listenForApprovedEdits, listenForReadySections } from './ready-hook';
export { noteReadySection } from './reviews';
export { assignMentor, assignmentsIn, unassignMentor, ASSIGN_MESSAGES, type AssignResult } from './assignments';
export { decideFinalReview } from './final-review';
