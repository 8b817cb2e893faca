import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { launchAs } from '../support/launch';
import { startGradebookWorker } from '../../src/gradebook';
import { quietLogger } from '../../src/log';
import { aCandidate, assessedAreaIds, FAST } from './support';

let platform: TestPlatform;
let tool: TestTool;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});
afterEach(() => platform.assertNoUnexpectedCalls());

async function until(what: () => boolean, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds && !what(); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(what()).toBe(true);
}

test('the worker inside the tool process reconciles at start, picks up changes by itself, and stops cleanly', async () => {
  const course = platform.course();
  const alice = await aCandidate(tool, platform, course); // before the worker exists: found by the start-up reconcile
  const worker = startGradebookWorker({ lti: tool.lti, log: quietLogger(), options: { ...FAST, pollMs: 40, reconcileMs: 120 } });
  try {
    await until(() => platform.ags.scoresFor(alice.user.id).length === 1);
    await alice.moveTo(assessedAreaIds()[0], 'ready_for_review');
    await until(() => platform.ags.scoresFor(alice.user.id).length === 2); // the periodic reconcile found it
    expect(platform.ags.scoresFor(alice.user.id)[1]).toMatchObject({ gradingProgress: 'PendingManual' });

    // The coordinator's "sync now" wakes the worker in this process.
    const coordinator = await launchAs(tool, platform, { role: 'Instructor', course });
    expect((await coordinator.post('/gradebook/sync', { all: '1' })).status).toBe(200);
    await until(() => platform.ags.scoresFor(alice.user.id).length === 3);
  } finally {
    await worker.stop();
  }
});
