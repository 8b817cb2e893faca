import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { notifyWorkers, startGradebookWorker } from '../../src/gradebook';
import { Portfolio } from '../../src/portfolio/models';
import { quietLogger } from '../../src/log';
import { aCandidate, assessedAreaIds, FAST } from './support';

const suite = toolSuite();
afterEach(() => suite.platform.assertNoUnexpectedCalls());

async function until(what: () => boolean, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds && !what(); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(what()).toBe(true);
}

test('the worker inside the tool process reconciles at start, hears state changes at once, and stops cleanly', async () => {
  const course = suite.platform.course();
  const alice = await aCandidate(suite.tool, suite.platform, course); // before the worker exists: found by the start-up reconcile
  const worker = startGradebookWorker({ lti: suite.tool.lti, log: quietLogger(), options: { ...FAST, pollMs: 40, reconcileMs: 3_600_000 } }); // no periodic reconcile in this test
  try {
    await until(() => suite.platform.ags.scoresFor(alice.user.id).length === 1);
    const scores = () => suite.platform.ags.scoresFor(alice.user.id);
    const latest = () => scores()[scores().length - 1] as Record<string, unknown> | undefined;
    // moveTo may pass through draft first; each change is posted, and the last one must arrive.
    await alice.moveTo(assessedAreaIds()[0], 'ready_for_review');
    await until(() => latest()?.activityProgress === 'InProgress'); // the section-state hook queued it

    // The coordinator's "sync now" wakes the worker in this process.
    const before = scores().length;
    const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', course });
    expect((await coordinator.post('/gradebook/sync', { all: '1' })).status).toBe(200);
    await until(() => scores().length === before + 1);

    // Final review (mentoring writes submittedAt, then tells the gradebook which course changed).
    await Portfolio.updateOne({ _id: alice.portfolio._id }, { $set: { submittedAt: new Date() } });
    notifyWorkers({ courseId: alice.courseId });
    await until(() => latest()?.activityProgress === 'Submitted');
    expect(latest()).toMatchObject({ activityProgress: 'Submitted', gradingProgress: 'FullyGraded' });
  } finally {
    await worker.stop();
  }
});
