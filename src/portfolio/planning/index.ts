/** Planning against the CV: the only file other capabilities import from. */
export { planningRouter } from './planning.routes';
export type { PlanningDeps } from './planning.routes';
export { getPlan, planningAreas } from './planning.service';
export { setProfileCvSource, type ProfileCvSource } from './profile-cv';
