import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { VleJobContext, RetryPolicy } from '../vle/context';
import { claimBatch, markSent } from './outbox';
import { createPlatformClient, ltijsCredentials, type CredentialSource, type PlatformClient } from '../vle/platform-client';
import { perform, retryPolicy, type LineCache } from './post-score.job';
import { readBackSent, type ToReadBack } from './read-back';
import type { GradeOutboxEntry, SentScore } from './outbox.model';
import { reconcile } from './reconciler';
import { notifyWorkers, onWork } from './worker-signal';
import { runDueRosterSyncs } from '../roster';
import { onPortfolioReshaped, onSectionStateChanged } from '../portfolio';

export interface GradebookWorkerOptions {
  pollMs: number;
  reconcileMs: number;
  fullReconcileEvery: number; // every Nth reconcile looks at every portfolio, not only recent changes
  leaseMs: number; // longer than the slowest post (timeoutMs x calls in one perform)
  timeoutMs: number;
  concurrency: number;
  retry: RetryPolicy;
  ownerId: string;
}

export interface GradebookDeps {
  connection?: Connection; // default: mongoose's default connection
  log: Logger;
  lti?: { getPlatform(url: string, clientId: string): Promise<unknown> };
  credentials?: CredentialSource; // default: the registration's key from ltijs
  platform?: PlatformClient;
  options?: Partial<GradebookWorkerOptions>;
}

export interface DrainReport {
  sent: number;
  retry: number;
  failed: number;
  deferred: number;
}

export interface GradebookWorker {
  readonly ownerId: string;
  readonly context: VleJobContext;
  /** Posts everything due now (retries that fall due during the drain included), then returns. */
  drainOnce(): Promise<DrainReport>;
  /** Enqueues candidates whose standing is not what the outbox wants; `full` looks at everyone. */
  reconcile(full?: boolean): Promise<number>;
  /** A state changed in this process: enqueue that portfolio now (the started worker then drains soon). */
  nudge(portfolioId: string): Promise<void>;
  /** Runs every course's roster sync that is due (daily), each under a lease. */
  syncDueRosters(): Promise<number>;
  stop(): Promise<void>;
}

const MAX_CLAIMS_PER_DRAIN = 5_000;
const BATCH_PER_LANE = 8;
const PIPELINES = 2;

export function createGradebookWorker(deps: GradebookDeps): GradebookWorker {
  const o: GradebookWorkerOptions = {
    pollMs: 2_000,
    reconcileMs: 60_000,
    fullReconcileEvery: 60,
    leaseMs: 120_000,
    timeoutMs: 10_000,
    concurrency: 8,
    retry: retryPolicy,
    ownerId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    ...deps.options,
  };
  const credentials = deps.credentials ?? (deps.lti ? ltijsCredentials(deps.lti) : undefined);
  const platform = deps.platform ?? (credentials ? createPlatformClient({ credentials, timeoutMs: o.timeoutMs }) : undefined);
  if (!platform) throw new Error('startGradebookWorker needs lti (or credentials) to call the VLE');
  const ctx: VleJobContext = {
    connection: deps.connection ?? mongoose.connection,
    log: deps.log.child({ component: 'gradebook', owner: o.ownerId }),
    platform,
    ownerId: o.ownerId,
    leaseMs: o.leaseMs,
    retry: o.retry,
    now: () => new Date(),
  };
  let reconciledAt: Date | undefined;

  async function drainOnce(): Promise<DrainReport> {
    const report: DrainReport = { sent: 0, retry: 0, failed: 0, deferred: 0 };
    const lines: LineCache = new Map();
    let claims = 0;
    const sentAll: Array<{ entry: GradeOutboxEntry; sent: SentScore; toReadBack: ToReadBack }> = [];
    // Entries are claimed and recorded in batches (a few round trips each) and posted a few at a time;
    // two such pipelines let one's database work overlap the other's posts.
    const lanesEach = Math.max(1, Math.ceil(o.concurrency / PIPELINES));
    const pipeline = async () => {
      while (claims < MAX_CLAIMS_PER_DRAIN) {
        const batch = await claimBatch(ctx, lanesEach * BATCH_PER_LANE);
        if (!batch.length) return;
        claims += batch.length;
        const done: Array<{ entry: GradeOutboxEntry; sent: SentScore }> = [];
        let next = 0;
        const lane = async () => {
          while (next < batch.length) {
            const entry = batch[next++];
            const attempt = await perform(ctx, entry, lines);
            report[attempt.outcome] += 1;
            if (attempt.outcome === 'sent') {
              done.push({ entry, sent: attempt.sent });
              sentAll.push({ entry, sent: attempt.sent, toReadBack: attempt.toReadBack });
            }
          }
        };
        await Promise.all(Array.from({ length: lanesEach }, lane));
        await markSent(ctx, done);
      }
    };
    await Promise.all(Array.from({ length: PIPELINES }, pipeline));
    // What the VLE made of the posts, once they are all done: one read of a line item's results after many posts.
    await readBackSent(ctx, sentAll, o.concurrency).catch((e) =>
      ctx.log.warn({ err: (e as Error).message }, 'gradebook read-back could not be recorded; the next send reads back again'),
    );
    return report;
  }

  async function runReconcile(full = false): Promise<number> {
    const startedAt = ctx.now();
    // Look back over two periods so a write that committed just before the last run is not missed.
    const since = full || !reconciledAt ? undefined : new Date(reconciledAt.getTime() - 2 * o.reconcileMs);
    const woken = await reconcile(ctx, { changedSince: since });
    reconciledAt = startedAt;
    return woken;
  }

  return {
    ownerId: o.ownerId,
    context: ctx,
    drainOnce,
    reconcile: runReconcile,
    syncDueRosters: () => runDueRosterSyncs(ctx),
    async nudge(portfolioId) {
      await reconcile(ctx, { portfolioIds: [portfolioId] }).catch((e) =>
        ctx.log.warn({ err: (e as Error).message }, 'gradebook enqueue failed; the reconciler will catch up'),
      );
    },
    async stop() {},
  };
}

/** The worker inside the tool process: reconcile at start and periodically, drain every poll. */
export function startGradebookWorker(deps: GradebookDeps): GradebookWorker {
  const worker = createGradebookWorker(deps);
  const o = { pollMs: 2_000, reconcileMs: 60_000, fullReconcileEvery: 60, ...deps.options };
  const log = worker.context.log;
  let stopped = false;
  let busy: Promise<unknown> = Promise.resolve();
  let ticks = 0;
  let queued = 0;
  let rosters: Promise<unknown> | undefined;
  const run = (what: () => Promise<unknown>) => {
    queued += 1;
    busy = busy
      .then(what)
      .catch((e) => log.error({ err: (e as Error).message }, 'gradebook worker step failed'))
      .finally(() => (queued -= 1));
    return busy;
  };
  void run(() => worker.reconcile(true)).then(() => run(() => worker.drainOnce()));
  let soon: NodeJS.Timeout | undefined;
  const drainSoon = () => {
    if (stopped || soon) return;
    soon = setTimeout(() => {
      soon = undefined;
      void run(() => worker.drainOnce());
    }, 50);
    soon.unref();
  };
  const unsubscribe = onWork((scope) => {
    if (!scope) return drainSoon();
    void run(() => reconcile(worker.context, scope)).then(drainSoon);
  });
  // A section state change in this process: queue that portfolio now rather than at the next reconcile.
  const unhookState = onSectionStateChanged((change) => notifyWorkers({ portfolioIds: [String(change.section.portfolio)] }));
  // A portfolio moved to a newer framework version: its areas (and so its score) may have changed.
  const unhookReshape = onPortfolioReshaped((portfolioId) => notifyWorkers({ portfolioIds: [portfolioId] }));
  const unhook = () => {
    unhookState();
    unhookReshape();
  };
  const poll = setInterval(() => {
    if (stopped) return;
    ticks += 1;
    const reconcileNow = ticks % Math.max(1, Math.round(o.reconcileMs / o.pollMs)) === 0;
    const full = reconcileNow && ticks % Math.max(1, Math.round((o.reconcileMs * o.fullReconcileEvery) / o.pollMs)) === 0;
    if (reconcileNow) void run(() => worker.reconcile(full));
    // Roster syncs run beside grade posts (a slow roster must not hold grades back), one at a time.
    if (reconcileNow && !rosters) rosters = worker.syncDueRosters().catch((e) => log.error({ err: (e as Error).message }, 'roster sync failed')).finally(() => (rosters = undefined));
    if (queued < 2) void run(() => worker.drainOnce()); // a slow VLE must not pile up drains behind each other
  }, o.pollMs);
  poll.unref();
  return {
    ...worker,
    async nudge(portfolioId) {
      await run(() => worker.nudge(portfolioId));
      drainSoon();
    },
    async stop() {
      stopped = true;
      unsubscribe();
      unhook();
      clearInterval(poll);
      if (soon) clearTimeout(soon);
      await busy; // let a post in flight finish and record its outcome
      await rosters;
    },
  };
}
