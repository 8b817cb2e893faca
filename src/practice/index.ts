/**
 * The practice VLE (issue 18): the test VLE's parts (./platform) served by the tool itself under /practice, so a
 * newcomer can try every role without a VLE. Outside production only (config.practiceVle); app.ts mounts it.
 */
import type express from 'express';
import { notFound } from '../http/errors';
import { practicePages } from './routes';
import { loadState } from './store';
import { PracticeVle } from './vle';

export { registerPracticeVle, removePracticeVle } from './register';
export { practiceCourseSetUp } from './sample-course';
export { PRACTICE_PATH, PRACTICE_VLE_NAME, type PracticeVle } from './vle';

/** The practice VLE and everything it serves under PRACTICE_PATH: its pages, then its LTI endpoints. */
export function createPracticeVle(options: { publicUrl: string; dataDir: string; ltiKey: string }): { vle: PracticeVle; routes: express.RequestHandler[] } {
  const vle = new PracticeVle(options.publicUrl, options.dataDir, loadState(options.dataDir));
  // anything else under /practice is the practice VLE's 404, never the tool's (which would ask for a launch)
  const rest: express.RequestHandler = (_req, _res, next) => next(notFound());
  return { vle, routes: [practicePages(vle, options.ltiKey), vle.platformRoutes, rest] };
}
