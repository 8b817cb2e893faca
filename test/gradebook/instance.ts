/**
 * A second tool instance in its own process, for the crash and two-instance tests: the real app
 * (ltijs + our models) on the same database and LTI key, running only the gradebook worker.
 * Modes: "drain" posts everything due and reports; "post-then-hang" claims and posts into a VLE
 * that never answers, so the parent can kill it mid-post.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../../src/boot';
import { loadConfig } from '../../src/config';
import { quietLogger } from '../../src/log';
import { createGradebookWorker } from '../../src/gradebook';
import { gradeOutboxModel } from '../../src/gradebook/outbox.model';

async function main(): Promise<void> {
  const dbUri = process.env.CMALT_DB_URI!;
  const config = loadConfig({
    NODE_ENV: 'test',
    PRACTICE_VLE: 'off',
    LTI_KEY: process.env.CMALT_LTI_KEY!,
    PUBLIC_URL: 'http://127.0.0.1:9',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cmalt-instance-')),
    LOG_LEVEL: 'silent',
    OUTBOUND_ALLOWED_ORIGINS: process.env.CMALT_OUTBOUND_ORIGINS ?? '', // the test VLE, allow-listed like the parent's
  });
  await mongoose.connect(dbUri);
  const created = await createApp({ config, log: quietLogger(), dbUri });
  const worker = createGradebookWorker({
    lti: created.lti,
    log: quietLogger(),
    options: { leaseMs: Number(process.env.CMALT_LEASE_MS ?? 30_000), timeoutMs: 60_000, concurrency: 4, retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40 } },
  });
  const send = (m: unknown) => process.send?.(m);
  process.on('message', async (m: { go?: boolean }) => {
    if (!m.go) return;
    const total = { sent: 0, retry: 0, failed: 0, deferred: 0 };
    await worker.reconcile(true);
    for (let round = 0; round < 400; round += 1) {
      const r = await worker.drainOnce();
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
      const open = await gradeOutboxModel(mongoose.connection).countDocuments({ status: { $in: ['pending', 'sending'] } });
      if (!open) break;
      await new Promise((r2) => setTimeout(r2, 20));
    }
    send({ done: true, total, owner: worker.ownerId });
    await created.close();
    await mongoose.disconnect();
    process.exit(0);
  });
  send({ ready: true, owner: worker.ownerId });
}

main().catch((e) => {
  process.send?.({ error: String((e as Error).stack ?? e) });
  process.exit(1);
});
