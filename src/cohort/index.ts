/** The cohort capability (coordinator): who is in the course, who mentors whom, the final-review queue. */
export { cohortRouter, type CohortDeps } from './routes';
export { cohortOf, changeAssignment } from './service';
