import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { aCandidate, assessedAreaIds, aWorker, outbox, settle } from './support';

const suite = toolSuite();
afterEach(() => {
  suite.platform.ags.faults.clear();
  suite.platform.assertNoUnexpectedCalls();
});

async function aCourseWithCandidates() {
  const course = suite.platform.course();
  const alice = await aCandidate(suite.tool, suite.platform, course, suite.platform.user({ name: 'Alice Adams' }));
  const bob = await aCandidate(suite.tool, suite.platform, course, suite.platform.user({ name: 'Bob Brown' }));
  const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', course });
  expect(coordinator.ok).toBe(true);
  return { course, alice, bob, coordinator };
}

test('the coordinator sees each candidate’s sync state, the reason a send failed, and the last successful send', async () => {
  const { alice, bob, coordinator } = await aCourseWithCandidates();
  const worker = aWorker(suite.tool, { retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 5 } });
  let page = await coordinator.get('/gradebook');
  expect(page.status).toBe(200);
  expect(page.html).toContain('Nothing sent yet');
  expect(page.html).toContain('nothing has been sent yet');

  await worker.reconcile();
  await settle(worker); // both sent
  await alice.moveTo(assessedAreaIds()[0], 'meets_criterion');
  await worker.reconcile();
  suite.platform.ags.failNext(1, 502);
  await settle(worker); // alice's second score fails (one try allowed)
  page = await coordinator.get('/gradebook');
  const rowOf = (name: string) => page.html.slice(page.html.indexOf(name), page.html.indexOf('</tr>', page.html.indexOf(name)));
  expect(rowOf('Alice Adams')).toContain('Failed');
  expect(rowOf('Alice Adams')).toContain('The VLE answered 502 to POST');
  expect(rowOf('Alice Adams')).toMatch(/0 \/ 100 on \d+ \w+ \d{4}/); // what the VLE still has
  expect(rowOf('Bob Brown')).toContain('Sent');
  expect(page.html).toMatch(/Last successful send:<\/strong> \d+ \w+ \d{4} at \d\d:\d\d</);
  expect(page.html).toContain('1 grade has not reached the VLE');
  void bob;
});

test('“sync now” for one candidate queues only theirs; for all queues everyone; both then reach the VLE', async () => {
  const { alice, bob, coordinator } = await aCourseWithCandidates();
  const worker = aWorker(suite.tool);
  await worker.reconcile();
  await settle(worker);
  const one = await coordinator.post('/gradebook/sync', { candidate: alice.userId });
  expect(one.status).toBe(200);
  expect(one.url).toMatch(/\/gradebook\?queued=1/);
  expect(one.html).toContain('1 grade has been queued');
  expect(await outbox().findOne({ candidateId: alice.userId }).lean()).toMatchObject({ status: 'pending' });
  expect(await outbox().findOne({ candidateId: bob.userId }).lean()).toMatchObject({ status: 'sent' });
  await settle(worker);
  expect(suite.platform.ags.scoresFor(alice.user.id)).toHaveLength(2);
  expect(suite.platform.ags.scoresFor(bob.user.id)).toHaveLength(1);

  const all = await coordinator.post('/gradebook/sync', { all: '1' });
  expect(all.url).toMatch(/queued=2/);
  await settle(worker);
  expect(suite.platform.ags.scoresFor(alice.user.id)).toHaveLength(3);
  expect(suite.platform.ags.scoresFor(bob.user.id)).toHaveLength(2);
  const [first, second] = suite.platform.ags.scoresFor(bob.user.id);
  expect(Date.parse(second.timestamp)).toBeGreaterThan(Date.parse(first.timestamp));
});

test('bad sync requests get a status and a message, and change nothing', async () => {
  const { alice, coordinator } = await aCourseWithCandidates();
  const other = await aCandidate(suite.tool, suite.platform, suite.platform.course());
  const worker = aWorker(suite.tool);
  await worker.reconcile();
  await settle(worker);
  const before = JSON.stringify(await outbox().find({}).sort({ _id: 1 }).lean());

  const garbled = await coordinator.post('/gradebook/sync', { candidate: 'not-an-id' });
  expect(garbled.status).toBe(422);
  expect(garbled.html).toContain('The form could not be read, so nothing was queued.');
  const empty = await coordinator.post('/gradebook/sync', {});
  expect(empty.status).toBe(422);
  const elsewhere = await coordinator.post('/gradebook/sync', { candidate: other.userId });
  expect(elsewhere.status).toBe(404);
  expect(elsewhere.html).toContain('We could not find that candidate in this course, so nothing was queued.');
  const noToken = await coordinator.post('/gradebook/sync', { all: '1', _csrf: 'forged' }, { headers: { 'X-CSRF-Token': 'forged' } });
  expect(noToken.status).toBe(403);
  expect(JSON.stringify(await outbox().find({}).sort({ _id: 1 }).lean())).toBe(before);

  const candidate = alice.session;
  expect((await candidate.get('/gradebook')).status).toBe(403);
  expect((await candidate.post('/gradebook/sync', { all: '1' })).status).toBe(403);
  const mentor = await launchAs(suite.tool, suite.platform, { role: 'Instructor#TeachingAssistant' });
  expect((await mentor.get('/gradebook')).status).toBe(403);
  expect(JSON.stringify(await outbox().find({}).sort({ _id: 1 }).lean())).toBe(before);
});

test('a course the VLE gave no gradebook service says so instead of queueing', async () => {
  const course = suite.platform.course();
  // A candidate whose progress would score: launched, like everyone here, without the AGS claim.
  const carol = await aCandidate(suite.tool, suite.platform, course, suite.platform.user({ name: 'Carol Clark' }), { ags: false });
  await carol.moveTo(assessedAreaIds()[0], 'meets_criterion');
  // Next door, a course the VLE did give a gradebook: its line item is not hers to be scored in.
  const neighbour = await aCandidate(suite.tool, suite.platform, suite.platform.course());
  const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', course, ags: false });
  expect(coordinator.ok).toBe(true);
  const agsCallsForCourse = () => suite.platform.ags.calls.filter((c) => c.path.includes(`/ags/contexts/${encodeURIComponent(course.id)}/`));

  const page = await coordinator.get('/gradebook');
  expect(page.html).toContain('has not told CMALT Portfolio where its gradebook is yet');
  expect(page.html).toContain('Carol Clark'); // she is in the course, so there is someone who could be queued
  const refused = await coordinator.post('/gradebook/sync', { all: '1' });
  expect(refused.status).toBe(409);
  expect(refused.html).toContain('Open the tool once from the course link');
  const refusedOne = await coordinator.post('/gradebook/sync', { candidate: carol.userId });
  expect(refusedOne.status).toBe(409);
  expect(refusedOne.html).toContain('Open the tool once from the course link');

  // Nothing was queued for her, and a worker going round finds nothing of hers to send either.
  expect(await outbox().countDocuments({ courseId: carol.courseId })).toBe(0);
  expect(await outbox().countDocuments({ candidateId: carol.userId })).toBe(0);
  const worker = aWorker(suite.tool);
  await worker.reconcile();
  await settle(worker);
  expect(await outbox().countDocuments({ candidateId: carol.userId })).toBe(0);
  expect(suite.platform.ags.scoresFor(carol.user.id)).toEqual([]);
  expect(agsCallsForCourse()).toEqual([]);
  expect(suite.platform.ags.scoresFor(neighbour.user.id)).toHaveLength(1); // the worker did send where it could
});
