/*
 * perf: which courses run the scheme, so a course that does not (most) costs nothing on a candidate's every request
 * (the write lock on each autosave, the place gate). A course runs it once it has scheme settings; they are never
 * deleted, so "runs it" is kept for good. "Does not" is kept for NO_SCHEME_TTL_MS: settings saved by this process
 * say so at once (`noteSchemeCourse`); settings first saved by another instance show here within that bound, when
 * nobody can have applied, let alone withdrawn, yet (an application needs the call open and a decision).
 */
import { LRUCache } from 'lru-cache';
import { SchemeSettings } from './scheme.model';

export const NO_SCHEME_TTL_MS = 30_000;

const runs = new LRUCache<string, true>({ max: 20_000 });
const notUntil = new LRUCache<string, number>({ max: 20_000 });

/** Whether the course has scheme settings: one read per course (per NO_SCHEME_TTL_MS while it has none). */
export async function runsScheme(courseId: string, now = Date.now()): Promise<boolean> {
  if (runs.has(courseId)) return true;
  if ((notUntil.get(courseId) ?? 0) > now) return false;
  if (await SchemeSettings.exists({ courseId })) {
    runs.set(courseId, true);
    notUntil.delete(courseId);
    return true;
  }
  notUntil.set(courseId, now + NO_SCHEME_TTL_MS);
  return false;
}

/** Called wherever settings are first written, so this process knows at once. */
export function noteSchemeCourse(courseId: string): void {
  runs.set(courseId, true);
  notUntil.delete(courseId);
}
