import mongoose from 'mongoose';
import { toolSuite } from '../support/suite';
import { aCandidate, assessedAreaIds, aWorker, settle } from './support';
import { startInstance } from './instances';

const suite = toolSuite();
afterEach(() => suite.platform.assertNoUnexpectedCalls());

async function aCohort(size: number) {
  const course = suite.platform.course();
  const people = [];
  for (let i = 0; i < size; i += 1) people.push(await aCandidate(suite.tool, suite.platform, course));
  for (const [i, p] of people.entries()) await p.moveTo(assessedAreaIds()[i % 3], i % 2 ? 'meets_criterion' : 'ready_for_review');
  return { course, people };
}

function postsPerUser(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of suite.platform.ags.calls) {
    if (call.method !== 'POST' || !call.path.endsWith('/scores') || call.status !== 204) continue;
    const user = (call.body as { userId: string }).userId;
    counts.set(user, (counts.get(user) ?? 0) + 1);
  }
  return counts;
}

test('two instances in one process (two connections, two owners) post every change exactly once', async () => {
  const { course, people } = await aCohort(24);
  suite.platform.ags.calls.length = 0;
  suite.platform.ags.failNext(4, 500); // some retries in the mix
  const second = await mongoose.createConnection(suite.tool.dbUri).asPromise();
  try {
    const a = aWorker(suite.tool);
    const b = aWorker(suite.tool, { connection: second });
    await Promise.all([a.reconcile(true), b.reconcile(true)]);
    await settle(a, b);
  } finally {
    await second.close();
  }
  const counts = postsPerUser();
  expect(people.map((p) => counts.get(p.user.id))).toEqual(people.map(() => 1));
  expect(suite.platform.ags.lineItemsIn(course.id)).toHaveLength(1);
});

test('two instances in two processes post every change exactly once', async () => {
  const { course, people } = await aCohort(30);
  suite.platform.ags.calls.length = 0;
  const instance = await startInstance(suite.tool);
  const here = aWorker(suite.tool);
  instance.go();
  await here.reconcile(true);
  let sentHere = await settle(here);
  const theirs = await instance.done;
  sentHere += await settle(here); // anything the child left behind
  const counts = postsPerUser();
  expect(people.map((p) => counts.get(p.user.id))).toEqual(people.map(() => 1));
  expect(suite.platform.ags.lineItemsIn(course.id)).toHaveLength(1);
  // Between them the two processes sent each entry once: their own counts add up to the cohort.
  expect(theirs.total.sent + sentHere).toBe(people.length);
});
