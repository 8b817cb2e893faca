/** Mentoring: who mentors whom, reading and commenting, reviews, what changed, co-mentoring, final review. */
export { mentoringRouter, type MentoringDeps } from './routes';
export { registerMentoringPolicy, canOnSection, canOnCohort, mentors, addSectionShareRule, type SectionShareRule } from './policy';
export { readersOf } from './changes';
export { commentCountsBy } from './comments';
export { sectionFeedbackFor } from './section-feedback';
export { listenForApprovedEdits, listenForReadySections, catchUpReadySections, startReadyCatchUp } from './ready-hook';
export { noteReadySection } from './reviews';
export { assignMentor, assignmentsIn, assignmentsFor, unassignMentor, ASSIGN_MESSAGES, type AssignResult } from './assignments';
export { decideFinalReview } from './final-review';
export { lastMentorContact } from './contact';
/** For the practice VLE's sample portfolios: a mentor's comments and reviews, as the mentor's pages make them. */
export { addComment } from './comments';
export { decide } from './reviews';
export { loadSectionById } from './sections';
