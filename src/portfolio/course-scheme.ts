import { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { validationFailed } from '../http/errors';
import { shortLived } from '../http/short-lived';
import { pathwayOf, type Framework, type FrameworkRegistry, type WordAdvice } from './framework';

/**
 * What a course runs: the framework and pathway chosen when the tool was added (deep linking), and
 * the coordinator's length advice. A course that named neither gets the default framework and lets
 * the candidate choose the pathway.
 */
export interface CourseScheme {
  framework: Framework;
  pathwayId?: string;
  wordAdvice?: WordAdvice;
}

interface CourseFields {
  pathway?: string;
  frameworkId?: string;
  wordAdvice?: { min?: number | null; max?: number | null; note?: string | null } | null;
}

// perf: every section page shows the course's advice; a course's set-up rarely changes. Another instance sees a change within the TTL.
const courseCache = shortLived<{ course: CourseFields | null }>(2_000, 30_000);

export async function courseScheme(registry: FrameworkRegistry, courseId: string): Promise<CourseScheme> {
  let hit = courseCache.get(courseId);
  if (!hit) {
    const course = Types.ObjectId.isValid(courseId)
      ? ((await Course.findById(courseId, { pathway: 1, frameworkId: 1, wordAdvice: 1 }).lean()) as CourseFields | null)
      : null;
    hit = { course };
    courseCache.set(courseId, hit);
  }
  const course = hit.course;
  const framework = (course?.frameworkId && registry.latest(course.frameworkId)) || registry.defaultFramework();
  const pathwayId = course?.pathway && pathwayOf(framework, course.pathway) ? course.pathway : undefined;
  return { framework, pathwayId, wordAdvice: adviceOf(course?.wordAdvice) };
}

function adviceOf(w: CourseFields['wordAdvice']): WordAdvice | undefined {
  if (!w || (!w.note && w.min == null && w.max == null)) return undefined;
  return { min: w.min ?? undefined, max: w.max ?? undefined, note: w.note || 'Your coordinator’s advice for this course' };
}

export const ADVICE_MESSAGES = {
  order: 'The smallest number of words must not be more than the largest.',
  range: 'Word figures must be whole numbers between 1 and 50,000.',
};

/** The coordinator sets (or, with nothing given, clears) the course's length advice. */
export async function setWordAdvice(courseId: string, input: { min?: number; max?: number; note?: string }): Promise<void> {
  const ok = (n?: number) => n === undefined || (Number.isInteger(n) && n >= 1 && n <= 50_000);
  if (!ok(input.min) || !ok(input.max)) throw validationFailed(ADVICE_MESSAGES.range);
  if (input.min !== undefined && input.max !== undefined && input.min > input.max) throw validationFailed(ADVICE_MESSAGES.order);
  const empty = input.min === undefined && input.max === undefined && !input.note;
  courseCache.delete(courseId);
  await Course.updateOne(
    { _id: courseId },
    empty ? { $unset: { wordAdvice: 1 } } : { $set: { wordAdvice: { min: input.min ?? null, max: input.max ?? null, note: input.note ?? '' } } },
  );
  courseCache.delete(courseId);
}
