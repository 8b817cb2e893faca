import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileTask, ParseOptions } from './parsers';

/**
 * Runs one parser on one untrusted file in a fresh worker thread with its own heap limit and a
 * hard deadline, so a bomb costs that thread and never the event loop that answers everyone else.
 * The thread is terminated (not asked) when it runs out of time, heap or the process-wide memory
 * budget (buffers outside the V8 heap, such as inflated streams, do not count against the heap limit).
 */
export interface SandboxLimits {
  timeoutMs: number;
  heapMb: number;
  /** Growth of the whole process's resident memory while the job runs that ends it. */
  rssBudgetMb: number;
  maxPages: number;
  maxChars: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutMs: 10_000, heapMb: 128, rssBudgetMb: 512, maxPages: 50, maxChars: 200_000 };

export type Failure = 'timeout' | 'memory' | 'unreadable' | 'busy';
export type SandboxOutcome = { ok: true; text: string } | { ok: false; reason: Failure };

const MAX_RUNNING = 2; // the parsing threads share the machine's cores with the web server
const MAX_WAITING = 8;
const WATCH_EVERY_MS = 100;

let running = 0;
const waiting: Array<() => void> = [];

/** Under ts-node-style test runs the worker is TypeScript and needs tsx to load it; built code is plain JS. */
function workerEntry(): { file: string; execArgv: string[] } {
  const js = path.join(__dirname, 'worker.js');
  if (existsSync(js)) return { file: js, execArgv: [] };
  return { file: path.join(__dirname, 'worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

async function slot(): Promise<boolean> {
  if (running < MAX_RUNNING) {
    running += 1;
    return true;
  }
  if (waiting.length >= MAX_WAITING) return false;
  await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return true;
}

function release(): void {
  running -= 1;
  waiting.shift()?.();
}

export async function runInSandbox(task: FileTask, bytes: Buffer, overrides: Partial<SandboxLimits> = {}): Promise<SandboxOutcome> {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  if (!(await slot())) return { ok: false, reason: 'busy' };
  try {
    return await runWorker(task, bytes, limits);
  } finally {
    release();
  }
}

function runWorker(task: FileTask, bytes: Buffer, limits: SandboxLimits): Promise<SandboxOutcome> {
  const entry = workerEntry();
  const options: ParseOptions = { maxPages: limits.maxPages, maxChars: limits.maxChars };
  const worker = new Worker(entry.file, {
    execArgv: entry.execArgv,
    workerData: { task, bytes: new Uint8Array(bytes), options },
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 16, codeRangeSizeMb: 16, stackSizeMb: 4 },
    stdout: true, // pdf.js and mammoth may print warnings about a damaged file: not for our logs
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise((resolve) => {
    let settled = false;
    const rssAtStart = process.memoryUsage.rss();
    const finish = (outcome: SandboxOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(watch);
      void worker.terminate();
      resolve(outcome);
    };
    const deadline = setTimeout(() => finish({ ok: false, reason: 'timeout' }), limits.timeoutMs);
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - rssAtStart > limits.rssBudgetMb * 1024 * 1024) finish({ ok: false, reason: 'memory' });
    }, WATCH_EVERY_MS);
    worker.once('message', (message: SandboxOutcome) => finish(message));
    worker.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, reason: err?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'unreadable' }));
    worker.once('exit', () => finish({ ok: false, reason: 'unreadable' }));
  });
}
