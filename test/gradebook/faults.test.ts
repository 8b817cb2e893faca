import type { TestPlatform } from '../support/platform';
import { toolSuite } from '../support/suite';
import { requestGradeSync } from '../../src/gradebook/service';
import { aCandidate, assessedAreaIds, aWorker, outbox, settle } from './support';

const suite = toolSuite();
afterEach(() => {
  suite.platform.ags.faults.clear();
  suite.platform.assertNoUnexpectedCalls();
});

/** A candidate whose first score is already in the VLE, so the next call is the score post under test. */
async function deliveredCandidate() {
  const course = suite.platform.course();
  const c = await aCandidate(suite.tool, suite.platform, course);
  const worker = aWorker(suite.tool);
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(c.user.id)).toHaveLength(1);
  suite.platform.ags.calls.length = 0;
  return { ...c, course, worker };
}

const scorePosts = (platform: TestPlatform) => platform.ags.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/scores'));

test('the VLE answering 500 for a while: retried with backoff, then delivered once, nothing lost', async () => {
  const c = await deliveredCandidate();
  await c.moveTo(assessedAreaIds()[0], 'ready_for_review');
  suite.platform.ags.failNext(3, 500);
  await c.worker.reconcile();
  await settle(c.worker);
  expect(scorePosts(suite.platform).map((p) => p.status)).toEqual([500, 500, 500, 204]);
  const scores = suite.platform.ags.scoresFor(c.user.id);
  expect(scores).toHaveLength(2);
  expect(scores[1]).toMatchObject({ gradingProgress: 'PendingManual' });
  expect(await outbox().findOne({ candidateId: c.userId }).lean()).toMatchObject({ status: 'sent', attempts: 0, lastError: null });
});

test('the VLE not answering: each call times out, is retried, and the score arrives once', async () => {
  const c = await deliveredCandidate();
  const worker = aWorker(suite.tool, { timeoutMs: 300 });
  await c.moveTo(assessedAreaIds()[0], 'draft');
  suite.platform.ags.hangNext(2);
  await worker.reconcile();
  await settle(worker);
  expect(scorePosts(suite.platform)).toHaveLength(3);
  expect(suite.platform.ags.scoresFor(c.user.id)).toHaveLength(2);
});

test('429 with Retry-After: the next try waits at least that long, then the score arrives once', async () => {
  const c = await deliveredCandidate();
  await c.moveTo(assessedAreaIds()[0], 'draft');
  suite.platform.ags.rateLimitNext(1, 1);
  await c.worker.reconcile();
  const triedAfter = Date.now();
  await c.worker.drainOnce();
  const waiting = await outbox().findOne({ candidateId: c.userId }).lean();
  expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
  expect(waiting!.lastError).toMatch(/429/);
  expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(triedAfter + 1000);
  await settle(c.worker);
  expect(scorePosts(suite.platform).map((p) => p.status)).toEqual([429, 204]);
  expect(suite.platform.ags.scoresFor(c.user.id)).toHaveLength(2);
});

test('a 401 (revoked token) gets one fresh token and the post goes through; tokens are otherwise reused', async () => {
  const c = await deliveredCandidate();
  const tokensBefore = suite.platform.token.requests.length;
  await c.moveTo(assessedAreaIds()[0], 'draft');
  suite.platform.ags.unauthorizedNext(1);
  await c.worker.reconcile();
  await settle(c.worker);
  const posts = scorePosts(suite.platform);
  expect(posts.map((p) => p.status)).toEqual([401, 204]);
  expect(posts[0].headers.authorization).not.toEqual(posts[1].headers.authorization);
  expect(suite.platform.token.requests.length).toBe(tokensBefore + 1);
  // Another change: the cached token is reused, no new token request.
  await c.moveTo(assessedAreaIds()[0], 'ready_for_review');
  await c.worker.reconcile();
  await settle(c.worker);
  expect(suite.platform.token.requests.length).toBe(tokensBefore + 1);
  expect(suite.platform.ags.scoresFor(c.user.id)).toHaveLength(3);
});

test('after the retry limit the entry is failed with the reason, and the coordinator can send it again', async () => {
  const c = await deliveredCandidate();
  const worker = aWorker(suite.tool, { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } });
  await c.moveTo(assessedAreaIds()[0], 'draft');
  suite.platform.ags.failNext(3, 503);
  await worker.reconcile();
  await settle(worker);
  const failed = await outbox().findOne({ candidateId: c.userId }).lean();
  expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
  expect(failed!.lastError).toMatch(/^The VLE answered 503 to POST .*\/scores/);
  expect(suite.platform.ags.scoresFor(c.user.id)).toHaveLength(1);

  const queued = await requestGradeSync({ connection: worker.context.connection, now: () => new Date() }, c.courseId, c.userId);
  expect(queued).toEqual({ ok: true, queued: 1 });
  await settle(worker);
  expect(suite.platform.ags.scoresFor(c.user.id)).toHaveLength(2);
  expect(suite.platform.ags.scoresFor(c.user.id)[1]).toMatchObject({ activityProgress: 'InProgress' });
  expect(await outbox().findOne({ candidateId: c.userId }).lean()).toMatchObject({ status: 'sent', lastError: null });
});

test('a refusal that retrying cannot fix (400) fails at once, saying so in words without the VLE’s own text', async () => {
  const c = await deliveredCandidate();
  await c.moveTo(assessedAreaIds()[0], 'draft');
  suite.platform.ags.faults.add({ kind: 'status', status: 400, body: { error: 'user is not enrolled' } });
  await c.worker.reconcile();
  await settle(c.worker);
  const failed = await outbox().findOne({ candidateId: c.userId }).lean();
  expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
  expect(failed!.lastError).toMatch(/^The VLE answered 400 to POST .*\/scores\.$/);
  expect(failed!.lastError).not.toContain('user is not enrolled'); // that goes to the log only
  expect(scorePosts(suite.platform)).toHaveLength(1);
});

test('only the latest standing is sent: several changes before the worker runs make one post', async () => {
  const c = await deliveredCandidate();
  const [a, b] = assessedAreaIds();
  await c.moveTo(a, 'draft');
  await c.worker.reconcile();
  await c.moveTo(a, 'meets_criterion');
  await c.worker.reconcile();
  await c.moveTo(b, 'ready_for_review');
  await c.worker.reconcile();
  await settle(c.worker);
  expect(scorePosts(suite.platform)).toHaveLength(1);
  expect(suite.platform.ags.scoresFor(c.user.id).at(-1)).toMatchObject({ gradingProgress: 'PendingManual', comment: expect.stringMatching(/^1 of /) });
});
