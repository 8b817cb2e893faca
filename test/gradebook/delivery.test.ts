import mongoose from 'mongoose';
import { ALL_SERVICE_SCOPES } from '../support/platform';
import { toolSuite } from '../support/suite';
import { AGS_CLAIM } from '../support/platform/context';
import { gradebookLineModel } from '../../src/gradebook/line.model';
import { Portfolio } from '../../src/portfolio/models';
import { aCandidate, agsCallLines, assessedAreaIds, aWorker, ISO_WITH_MS, SCORE_TYPE, settle } from './support';

const suite = toolSuite();
afterEach(() => suite.platform.assertNoUnexpectedCalls());

const required = assessedAreaIds().length;
const pct = (met: number) => Math.round((met / required) * 100 * 100) / 100;

test('a review that changes progress reaches the gradebook with the right score and progress values', async () => {
  const course = suite.platform.course();
  const alice = await aCandidate(suite.tool, suite.platform, course);
  const [first, second] = assessedAreaIds();
  const worker = aWorker(suite.tool);
  suite.platform.ags.calls.length = 0;

  await alice.moveTo(first, 'meets_criterion');
  await worker.reconcile();
  await settle(worker);

  // Our line item did not exist: looked up by resource link + tag, then created once.
  const items = suite.platform.ags.lineItemsIn(course.id);
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ label: 'CMALT portfolio progress', scoreMaximum: 100, tag: 'cmalt-progress', resourceLinkId: `rl-${course.id}` });
  // Each post is read back from the result service, so the Grades page shows what the VLE holds.
  expect(agsCallLines(suite.platform)).toEqual([
    'GET /ags/:context/lineitems 200',
    'POST /ags/:context/lineitems 201',
    `POST /ags/:context/lineitems/${items[0].key}/scores 204`,
    `GET /ags/:context/lineitems/${items[0].key}/results 200`,
  ]);
  expect(suite.platform.ags.calls[3].query).toEqual({ user_id: alice.user.id });
  const lookup = suite.platform.ags.calls[0];
  expect(lookup.query).toMatchObject({ resource_link_id: `rl-${course.id}`, tag: 'cmalt-progress' });
  const post = suite.platform.ags.calls[2];
  expect(post.headers['content-type']).toBe(SCORE_TYPE);
  expect(post.headers.authorization).toMatch(/^Bearer at-/);
  expect(post.body).toEqual({
    userId: alice.user.id,
    scoreGiven: pct(1),
    scoreMaximum: 100,
    comment: `1 of ${required} areas meets the criterion`,
    activityProgress: 'InProgress',
    gradingProgress: 'FullyGraded', // the complete judgement now: Moodle keeps a number only when FullyGraded
    timestamp: expect.stringMatching(ISO_WITH_MS),
  });

  // The candidate asks for review of a second area: nothing the VLE shows changes, so nothing is sent.
  await alice.moveTo(second, 'ready_for_review');
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(alice.user.id)).toHaveLength(1);

  // The mentor decides: 2 areas meet the criterion.
  await alice.moveTo(second, 'meets_criterion');
  await worker.reconcile();
  await settle(worker);
  const scores = suite.platform.ags.scoresFor(alice.user.id);
  expect(scores).toHaveLength(2);
  expect(scores[1]).toMatchObject({ scoreGiven: pct(2), comment: `2 of ${required} areas meet the criterion`, gradingProgress: 'FullyGraded' });
  expect(Date.parse(scores[1].timestamp)).toBeGreaterThan(Date.parse(scores[0].timestamp));
  // Nothing changed since: reconciling again sends nothing more.
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(alice.user.id)).toHaveLength(2);
  expect(suite.platform.ags.lineItemsIn(course.id)).toHaveLength(1);
});

test('an untouched portfolio is Initialized / NotReady; every area reviewed is FullyGraded; submitted and signed off follow', async () => {
  const course = suite.platform.course();
  const bob = await aCandidate(suite.tool, suite.platform, course);
  const worker = aWorker(suite.tool);
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(bob.user.id).at(-1)).toMatchObject({ scoreGiven: 0, activityProgress: 'Initialized', gradingProgress: 'NotReady', comment: `0 of ${required} areas meet the criterion` });

  const areas = assessedAreaIds();
  for (const [i, area] of areas.entries()) await bob.moveTo(area, i === 0 ? 'needs_more_work' : 'meets_criterion');
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(bob.user.id).at(-1)).toMatchObject({ scoreGiven: pct(required - 1), activityProgress: 'InProgress', gradingProgress: 'FullyGraded' });

  await Portfolio.updateOne({ _id: bob.portfolio._id }, { $set: { submittedAt: new Date() } });
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(bob.user.id).at(-1)).toMatchObject({ activityProgress: 'Submitted', gradingProgress: 'FullyGraded' });

  await Portfolio.updateOne({ _id: bob.portfolio._id }, { $set: { signedOffAt: new Date() } });
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(bob.user.id).at(-1)).toMatchObject({ activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
  expect(suite.platform.ags.scoresFor(bob.user.id)).toHaveLength(4);
});

test('the line item from the launch claim (deep linking) is used as it is, scaled to its maximum', async () => {
  const course = suite.platform.course();
  const carol = suite.platform.user();
  await aCandidate(suite.tool, suite.platform, course, carol); // first launch: no claim line item yet
  const claimed = suite.platform.ags.createLineItem(course.id, { label: 'Portfolio (deep linked)', scoreMaximum: 40, resourceLinkId: `rl-${course.id}`, tag: 'other' });
  const again = await import('../support/launch').then((m) => m.launchAs(suite.tool, suite.platform, { role: 'Learner', user: carol, course }));
  expect(again.ok).toBe(true);
  const worker = aWorker(suite.tool);
  suite.platform.ags.calls.length = 0;
  await worker.reconcile();
  await settle(worker);
  expect(agsCallLines(suite.platform)).toEqual([
    `GET /ags/:context/lineitems/${claimed.key} 200`,
    `POST /ags/:context/lineitems/${claimed.key}/scores 204`,
    `GET /ags/:context/lineitems/${claimed.key}/results 200`,
  ]);
  expect(suite.platform.ags.scoresFor(carol.id, claimed.id).at(-1)).toMatchObject({ scoreGiven: 0, scoreMaximum: 40 });
  expect(suite.platform.ags.lineItemsIn(course.id)).toHaveLength(1);
});

test('our existing line item is found by resource link and tag, never created twice', async () => {
  const course = suite.platform.course();
  const ours = suite.platform.ags.createLineItem(course.id, { label: 'CMALT portfolio progress', scoreMaximum: 100, resourceLinkId: `rl-${course.id}`, tag: 'cmalt-progress' });
  suite.platform.ags.createLineItem(course.id, { label: 'Someone else’s', scoreMaximum: 10, resourceLinkId: 'rl-other', tag: 'cmalt-progress' });
  // A VLE that leaves `lineitem` out of the claim: we must look ours up.
  const agsWithoutItem = { scope: ALL_SERVICE_SCOPES, lineitems: suite.platform.ags.lineItemsUrl(course.id) };
  const erin = await aCandidate(suite.tool, suite.platform, course, undefined, { claims: { [AGS_CLAIM]: agsWithoutItem } });
  await erin.moveTo(assessedAreaIds()[0], 'draft');
  const worker = aWorker(suite.tool);
  suite.platform.ags.calls.length = 0;
  await worker.reconcile();
  await settle(worker);
  expect(agsCallLines(suite.platform)).toEqual([
    'GET /ags/:context/lineitems 200',
    `POST /ags/:context/lineitems/${ours.key}/scores 204`,
    `GET /ags/:context/lineitems/${ours.key}/results 200`,
  ]);
  expect(suite.platform.ags.lineItemsIn(course.id)).toHaveLength(2);
  expect(suite.platform.ags.scoresFor(erin.user.id, ours.id).at(-1)).toMatchObject({ activityProgress: 'InProgress', gradingProgress: 'FullyGraded' });
});

test('two first launches for one link at once still give one line in our database and one line item in the VLE', async () => {
  const course = suite.platform.course();
  const [a, b] = await Promise.all([aCandidate(suite.tool, suite.platform, course), aCandidate(suite.tool, suite.platform, course)]);
  const workers = [aWorker(suite.tool), aWorker(suite.tool)];
  await Promise.all(workers.map((w) => w.reconcile()));
  await settle(...workers);
  expect(suite.platform.ags.lineItemsIn(course.id)).toHaveLength(1);
  expect(suite.platform.ags.scoresFor(a.user.id)).toHaveLength(1);
  expect(suite.platform.ags.scoresFor(b.user.id)).toHaveLength(1);
  expect(await gradebookLineModel(mongoose.connection).countDocuments({ courseId: a.courseId })).toBe(1);
});
