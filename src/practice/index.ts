/**
 * The practice VLE (issue 18): the test VLE's parts (./platform) served by the tool itself under /practice, so a
 * newcomer can try every role without a VLE. Outside production only (config.practiceVle); app.ts mounts it.
 */
import type express from 'express';
import type { Logger } from 'pino';
import { notFound } from '../http/errors';
import type { AfterLaunch } from '../lti';
import { practicePages } from './routes';
import { eraseCourse, seedPracticeCourse, toolCourseIdOf } from './seed.service';
import { loadState } from './store';
import { PracticeVle } from './vle';

export { registerPracticeVle, removePracticeVle } from './register';
export { practiceCourseSetUp } from './sample-course';
export { PRACTICE_PATH, PRACTICE_VLE_NAME, type PracticeVle } from './vle';

export interface PracticeParts {
  vle: PracticeVle;
  routes: express.RequestHandler[];
  /** Writes the sample portfolios into the current practice course, unless they are there already. */
  seed: () => Promise<void>;
}

/**
 * The practice VLE and everything it serves under PRACTICE_PATH: its pages, then its LTI endpoints. `afterLaunch`:
 * the tool's own after-launch steps, run for the sample people as their first launch would run them.
 */
export function createPracticeVle(options: { publicUrl: string; dataDir: string; ltiKey: string; afterLaunch: AfterLaunch[]; log?: Logger }): PracticeParts {
  const vle = new PracticeVle(options.publicUrl, options.dataDir, loadState(options.dataDir));
  const toolCourse = () => toolCourseIdOf(vle.issuer, vle.state.deploymentId, vle.course.id);
  const seedNow = async () => {
    const started = performance.now();
    await seedPracticeCourse(vle, options.afterLaunch);
    vle.markSeeded();
    options.log?.info({ course: vle.course.id, ms: Math.round(performance.now() - started) }, 'practice course: sample portfolios written');
  };
  const seed = async () => {
    if (vle.state.seeded === vle.state.generation && (await toolCourse())) return; // a later start: nothing to write
    await seedNow();
  };
  // A reset erases everything the tool holds for the old course, then the new course comes with fresh samples.
  const resetCourse = async () => {
    const old = await toolCourse();
    vle.reset();
    if (old) await eraseCourse(old);
    await seedNow();
  };
  // anything else under /practice is the practice VLE's 404, never the tool's (which would ask for a launch)
  const rest: express.RequestHandler = (_req, _res, next) => next(notFound());
  return { vle, seed, routes: [practicePages(vle, options.ltiKey, resetCourse), vle.platformRoutes, rest] };
}
