/*
 * perf: reading a large course's people in full (the first look, a rebuild) comes in pieces, so no one command or
 * decoding holds the event loop for the whole course: names are asked for at most 300 people at a time, and the
 * memberships and roster come in batches. Everyone is still there. Observed through the commands sent, not timing.
 */
import mongoose from 'mongoose';
import { coursePeople, forgetCoursePeople, peopleFullReads } from '../../src/roster';
import { seedCohort } from '../support/cohort-seed';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

test('a full read of 700 people asks for names in pieces of at most 300 and finds everyone', async () => {
  const seeded = await seedCohort(suite.tool, suite.platform, { candidates: 700, title: 'Read in pieces' });
  forgetCoursePeople();
  const names: number[] = [];
  const batches: Array<number | undefined> = [];
  mongoose.set('debug', (collection: string, method: string, query: { _id?: { $in?: unknown[] }; course?: unknown }, options?: { batchSize?: number }) => {
    if (collection === 'users' && method === 'find' && Array.isArray(query?._id?.$in)) names.push(query._id.$in.length);
    if (collection === 'memberships' && method === 'find' && query?.course) batches.push(options?.batchSize);
  });
  const full = peopleFullReads();
  let people: Awaited<ReturnType<typeof coursePeople>>;
  try {
    people = await coursePeople(seeded.courseId);
  } finally {
    mongoose.set('debug', false);
  }
  expect(peopleFullReads()).toBe(full + 1);
  expect(names.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...names)).toBeLessThanOrEqual(300);
  expect(batches).toEqual([300]);
  // 700 candidates (630 launched, 70 on the roster only), 70 mentors, the busy mentor and the coordinator
  expect(people!.candidates).toHaveLength(700);
  expect(people!.candidates.filter((p) => p.userId)).toHaveLength(630);
  expect(people!.bySub.get(seeded.candidate.id)!.name).toBe(seeded.candidate.name);
}, 180_000);
