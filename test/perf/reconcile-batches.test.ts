/*
 * perf: the gradebook's full reconcile (at start-up and hourly) looks at a large course in steps of RECONCILE_BATCH
 * portfolios, so no one command or grouping holds the event loop (and every request) for the whole course; every
 * candidate is still queued once. Observed through the commands sent, not timing.
 */
import mongoose from 'mongoose';
import { createGradebookWorker } from '../../src/gradebook';
import { gradeOutboxModel } from '../../src/gradebook/outbox.model';
import { RECONCILE_BATCH } from '../../src/gradebook/reconciler';
import { quietLogger } from '../../src/log';
import { Portfolio } from '../../src/portfolio/models';
import { seedCohort } from '../support/cohort-seed';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

test('a full reconcile of 450 candidates reads at most RECONCILE_BATCH portfolios per command and queues each once', async () => {
  const seeded = await seedCohort(suite.tool, suite.platform, { candidates: 450, title: 'Reconciled in steps' });
  const portfolios = await Portfolio.countDocuments({ courseId: seeded.courseId });
  expect(portfolios).toBeGreaterThan(2 * RECONCILE_BATCH);
  const worker = createGradebookWorker({ lti: suite.tool.lti, log: quietLogger() });

  const asked: number[] = [];
  mongoose.set('debug', (collection: string, method: string, query: { portfolio?: { $in?: unknown[] } }) => {
    if (collection === 'sections' && method === 'find' && Array.isArray(query?.portfolio?.$in)) asked.push(query.portfolio.$in.length);
  });
  let woken: number;
  try {
    woken = await worker.reconcile(true);
  } finally {
    mongoose.set('debug', false);
  }
  expect(asked.length).toBeGreaterThanOrEqual(Math.ceil(portfolios / RECONCILE_BATCH));
  expect(Math.max(...asked)).toBeLessThanOrEqual(RECONCILE_BATCH);
  const queued = await gradeOutboxModel(mongoose.connection).find({ courseId: seeded.courseId }, { candidateId: 1 }).lean();
  expect(queued).toHaveLength(portfolios);
  expect(new Set(queued.map((e) => e.candidateId)).size).toBe(portfolios);
  expect(woken).toBeGreaterThanOrEqual(portfolios);
  expect(await worker.reconcile(true)).toBe(0); // nothing changed: nothing queued again
}, 180_000);
