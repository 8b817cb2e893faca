import { applicationOf } from './applications.service';
import { arriveIfDeferred } from './deferral.service';
import { runsScheme } from './scheme-courses';
import { settingsOf } from './settings.service';

/**
 * Told to the portfolio in boot.ts: in a course that runs the scheme, a candidate without a place is sent to
 * the application page instead of starting a portfolio. Courses without scheme settings are unchanged. A person
 * who deferred from the cohort before arrives here first (deferral.service.ts).
 */
export async function schemePlaceGate(who: { courseId: string; userId: string }): Promise<string | null> {
  // perf: no settings, so neither a place to hold nor a deferral to arrive (naming a next cohort gives it settings)
  if (!(await runsScheme(who.courseId))) return null;
  if (await arriveIfDeferred(who)) return '/portfolio'; // deferred from the last cohort: their portfolio is here now
  const s = await settingsOf(who.courseId);
  if (!s) return null;
  const mine = await applicationOf(who.courseId, who.userId);
  return mine?.state === 'accepted' ? null : '/scheme';
}
