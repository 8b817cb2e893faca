/*
 * Reading back many posts at once: after a drain that sends 24 candidates' grades to one line item, the VLE's
 * results are read once (every page of the line item's results), not once per candidate, and every entry still
 * records what the VLE holds. A drain of a few still reads each candidate's own result (delivery.test.ts).
 */
import { toolSuite } from '../support/suite';
import { aCandidate, agsCallLines, aWorker, outbox, settle } from './support';

const suite = toolSuite();
afterEach(() => suite.platform.assertNoUnexpectedCalls());

test('24 grades sent in one drain are read back with one read of the line item results, and each entry says the VLE kept it', async () => {
  const course = suite.platform.course();
  const candidates = [];
  for (let i = 0; i < 24; i += 1) candidates.push(await aCandidate(suite.tool, suite.platform, course));
  const worker = aWorker(suite.tool);
  suite.platform.ags.calls.length = 0;

  await worker.reconcile(true);
  expect(await settle(worker)).toBe(24);

  const lines = agsCallLines(suite.platform);
  expect(lines.filter((l) => l.startsWith('POST') && l.endsWith('/scores 204'))).toHaveLength(24);
  const reads = suite.platform.ags.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/results'));
  expect(reads).toHaveLength(1);
  expect(reads[0].query).toEqual({}); // every candidate's result, not one person's
  const entries = await outbox().find({ courseId: candidates[0].courseId }).lean();
  expect(entries).toHaveLength(24);
  for (const e of entries) {
    expect(e.status).toBe('sent');
    expect(e.lastSent?.readBack).toMatchObject({ state: 'kept', checkedAt: expect.any(Date) });
  }
});
