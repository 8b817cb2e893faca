import mongoose from 'mongoose';
import { toolSuite } from '../support/suite';
import { claimNext } from '../../src/gradebook/outbox';
import { aCandidate, assessedAreaIds, aWorker, outbox, settle } from './support';
import { startInstance } from './instances';

const suite = toolSuite();
afterEach(() => suite.platform.assertNoUnexpectedCalls());

const scorePosts = () => suite.platform.ags.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/scores'));

test('killed after the state change and before anything was queued or posted: delivered after restart', async () => {
  const c = await aCandidate(suite.tool, suite.platform, suite.platform.course());
  await c.moveTo(assessedAreaIds()[0], 'meets_criterion'); // the only write; the process "dies" here
  expect(await outbox().countDocuments({ candidateId: c.userId })).toBe(0);

  // The restarted instance: its own connection, its own owner id; start-up reconciles, then drains.
  const connection = await mongoose.createConnection(suite.tool.dbUri).asPromise();
  try {
    const restarted = aWorker(suite.tool, { connection });
    expect(await restarted.reconcile(true)).toBe(1);
    await settle(restarted);
  } finally {
    await connection.close();
  }
  expect(suite.platform.ags.scoresFor(c.user.id)).toEqual([expect.objectContaining({ userId: c.user.id, comment: expect.stringMatching(/^1 of /), activityProgress: 'InProgress' })]);
});

test('killed while holding the lease: another worker takes the entry once the lease runs out and posts it once', async () => {
  const c = await aCandidate(suite.tool, suite.platform, suite.platform.course());
  const dying = aWorker(suite.tool, { leaseMs: 100 });
  await dying.reconcile();
  const claimed = await claimNext(dying.context);
  expect(claimed).toMatchObject({ status: 'sending', leaseOwner: dying.ownerId });
  // ...and it never posts. A live worker cannot take it while the lease holds:
  const other = aWorker(suite.tool);
  expect(await other.drainOnce()).toEqual({ sent: 0, retry: 0, failed: 0, deferred: 0 });
  await new Promise((r) => setTimeout(r, 150));
  await settle(other);
  expect(suite.platform.ags.scoresFor(c.user.id)).toHaveLength(1);
  expect(await outbox().findOne({ candidateId: c.userId }).lean()).toMatchObject({ status: 'sent', leaseOwner: null });
});

test('a real process killed mid-post (SIGKILL while the VLE is not answering): the score arrives once after restart', async () => {
  const c = await aCandidate(suite.tool, suite.platform, suite.platform.course());
  const other = aWorker(suite.tool); // settle the line item first so the hang hits the score post
  await other.reconcile();
  await settle(other);
  suite.platform.ags.calls.length = 0;
  await c.moveTo(assessedAreaIds()[0], 'ready_for_review');

  const instance = await startInstance(suite.tool, { CMALT_LEASE_MS: '300' });
  suite.platform.ags.hangNext(1);
  instance.go();
  for (let i = 0; i < 500 && scorePosts().length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(scorePosts()).toHaveLength(1); // the child is mid-post
  expect(await outbox().findOne({ candidateId: c.userId }).lean()).toMatchObject({ status: 'sending', leaseOwner: instance.owner });
  await instance.kill();

  await new Promise((r) => setTimeout(r, 350)); // its lease runs out
  await other.reconcile(true);
  await settle(other);
  const scores = suite.platform.ags.scoresFor(c.user.id);
  expect(scores).toHaveLength(2); // the first standing, then the one the dead process never delivered
  expect(scores[1]).toMatchObject({ activityProgress: 'InProgress', gradingProgress: 'FullyGraded' });
  expect(await outbox().findOne({ candidateId: c.userId }).lean()).toMatchObject({ status: 'sent', leaseOwner: null });
});
