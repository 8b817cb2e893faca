/*
 * perf: a candidate's every write under /portfolio asks the scheme's write lock; in a course without scheme settings
 * (most) that costs no database operation once the course is known, and a course whose settings another instance
 * creates is seen as running the scheme within NO_SCHEME_TTL_MS (this process's own saves at once).
 */
import mongoose from 'mongoose';
import { schemeWriteLock } from '../../src/scheme';
import { SchemeSettings } from '../../src/scheme/scheme.model';
import { NO_SCHEME_TTL_MS, noteSchemeCourse, runsScheme } from '../../src/scheme/scheme-courses';
import { connectFreshDatabase, disconnect } from '../portfolio/factories';

beforeAll(() => connectFreshDatabase('scheme-courses'));
afterAll(disconnect);

async function opsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const ops: string[] = [];
  // Index builds started at connection may still be running: not this code's operations.
  mongoose.set('debug', (collection: string, method: string) => void (method === 'createIndex' || ops.push(`${collection}.${method}`)));
  try {
    await run();
  } finally {
    mongoose.set('debug', false);
  }
  return ops;
}

test('the write lock of a course without the scheme reads the settings once, then nothing', async () => {
  const owner = { courseId: String(new mongoose.Types.ObjectId()), userId: 'u1' };
  expect(await opsDuring(() => schemeWriteLock(owner))).toEqual(['schemesettings.findOne']);
  expect(await opsDuring(() => schemeWriteLock(owner))).toEqual([]);
  expect(await schemeWriteLock(owner)).toBeNull();
});

test('settings created by another instance count within the bound; settings saved here at once', async () => {
  const elsewhere = String(new mongoose.Types.ObjectId());
  const now = Date.now();
  expect(await runsScheme(elsewhere, now)).toBe(false);
  await SchemeSettings.create({ courseId: elsewhere });
  expect(await runsScheme(elsewhere, now + 1)).toBe(false); // within the bound
  expect(await runsScheme(elsewhere, now + NO_SCHEME_TTL_MS + 1)).toBe(true);
  await SchemeSettings.deleteOne({ courseId: elsewhere }); // never done by the tool: "runs the scheme" is kept
  expect(await runsScheme(elsewhere, now + 3 * NO_SCHEME_TTL_MS)).toBe(true);

  const here = String(new mongoose.Types.ObjectId());
  expect(await runsScheme(here, now)).toBe(false);
  await SchemeSettings.create({ courseId: here });
  noteSchemeCourse(here); // as saveSettings does
  expect(await runsScheme(here, now + 1)).toBe(true);
});

test('a course running the scheme still asks for the application on every write', async () => {
  const owner = { courseId: String(new mongoose.Types.ObjectId()), userId: 'u2' };
  await SchemeSettings.create({ courseId: owner.courseId });
  noteSchemeCourse(owner.courseId);
  expect(await opsDuring(() => schemeWriteLock(owner))).toEqual(['schemeapplications.findOne']);
  expect(await opsDuring(() => schemeWriteLock(owner))).toEqual(['schemeapplications.findOne']);
});
