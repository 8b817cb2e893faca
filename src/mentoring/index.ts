/** Mentoring: who mentors whom, reading and commenting, reviews, what changed, co-mentoring, final review. */
export { mentoringRouter, type MentoringDeps } from './routes';
export { registerMentoringPolicy, canOnSection, canOnCohort, mentors, addSectionShareRule, type SectionShareRule } from './policy';
export { readersOf } from './changes.service';
export { commentCountsBy } from './comments.service';
export { sectionFeedbackFor } from './section-feedback';
export { listenForApprovedEdits, listenForReadySections, catchUpReadySections, startReadyCatchUp } from './ready-hook';
export { noteReadySection } from './reviews.service';
export { assignMentor, assignmentsIn, assignmentsFor, unassignMentor, ASSIGN_MESSAGES, type AssignResult } from './assignments.service';
export { decideFinalReview } from './final-review.service';
export { lastMentorContact } from './contact';
/** For the practice VLE's sample portfolios: a mentor's comments and reviews, as the mentor's pages make them. */
export { addComment } from './comments.service';
export { decide } from './reviews.service';
export { loadSectionById } from './sections.service';
