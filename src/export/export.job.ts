import { createHash, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { findPortfolioById, removeStoredFile, storeFile } from '../portfolio';
import { bookOf, type Book } from './book';
import { storedFileExists, storedFiles } from './files';
import { ExportJob, type ExportFormat, type ExportJobDoc } from './job.model';
import { buildPdf } from './pdf';
import { buildSiteZip } from './site';

/** Building exports in the background: requested from the export page, performed by any instance's worker. */
export const KEEP_MS = 7 * 24 * 3_600_000; // a built file is kept a week, or until the portfolio changes
export const MAX_ATTEMPTS = 3;

/** What the content looks like now: the same Book gives the same fingerprint, any edit a new one. */
export function fingerprintOf(book: Book): string {
  return createHash('sha256').update(JSON.stringify({ ...book, madeAt: '' })).digest('hex').slice(0, 32);
}

/** Asks for a build of this content, or finds the one already asked for (unique portfolio + format + fingerprint). */
export async function requestExport(book: Book, format: ExportFormat, byUser: string, now: Date): Promise<ExportJobDoc> {
  const fingerprint = fingerprintOf(book);
  const key = { portfolioId: book.portfolioId, format, fingerprint };
  try {
    await ExportJob.updateOne(key, { $setOnInsert: { ...key, courseId: book.courseId, status: 'queued', requestedBy: byUser, keepUntil: new Date(now.getTime() + KEEP_MS) } }, { upsert: true });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err; // asked for twice at once: one job
  }
  // A failed build asked for again starts over.
  await ExportJob.updateOne({ ...key, status: 'failed' }, { $set: { status: 'queued', attempts: 0, error: '', progress: '' } });
  return (await ExportJob.findOne(key).lean<ExportJobDoc>())!;
}

/** The newest job per format for a portfolio; `current` says whether it was built from the content as it is now. */
export async function exportsOf(book: Book): Promise<Record<ExportFormat, { job: ExportJobDoc; current: boolean } | null>> {
  const fingerprint = fingerprintOf(book);
  const jobs = await ExportJob.find({ portfolioId: book.portfolioId }).sort({ createdAt: -1 }).limit(20).lean<ExportJobDoc[]>();
  const pick = (format: ExportFormat) => {
    const job = jobs.find((j) => j.format === format && j.fingerprint === fingerprint) ?? jobs.find((j) => j.format === format);
    return job ? { job, current: job.fingerprint === fingerprint } : null;
  };
  return { pdf: pick('pdf'), zip: pick('zip') };
}

export async function findExportJob(portfolioId: string, jobId: string): Promise<ExportJobDoc | null> {
  if (!Types.ObjectId.isValid(jobId)) return null;
  return ExportJob.findOne({ _id: jobId, portfolioId }).lean<ExportJobDoc>();
}

export interface ExportWorkerOptions {
  log: Logger;
  leaseMs?: number;
  pollMs?: number;
  now?: () => Date;
}

export interface ExportWorker {
  drainOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Takes one queued job (or one whose builder's lease ran out): the status is part of the match, so only one worker gets it. */
async function claim(owner: string, leaseMs: number, now: Date): Promise<ExportJobDoc | null> {
  return ExportJob.findOneAndUpdate(
    { $or: [{ status: 'queued' }, { status: 'running', leaseUntil: { $lt: now } }] },
    { $set: { status: 'running', leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), progress: 'Starting' }, $inc: { attempts: 1 } },
    { sort: { createdAt: 1 }, new: true },
  ).lean<ExportJobDoc>();
}

async function perform(job: ExportJobDoc, owner: string, leaseMs: number, now: () => Date): Promise<void> {
  const portfolio = await findPortfolioById(job.portfolioId);
  if (!portfolio) throw new Error('The portfolio no longer exists.');
  const book = await bookOf(portfolio, now());
  let last = 0;
  const progress = (message: string) => {
    if (Date.now() - last < 250 && !/ of /.test(message)) return;
    last = Date.now();
    // Progress renews the lease: a build that is still moving is never taken over.
    void ExportJob.updateOne({ _id: job._id, leaseOwner: owner }, { $set: { progress: message, leaseUntil: new Date(now().getTime() + leaseMs) } }).exec();
  };
  let bytes: Buffer;
  if (job.format === 'pdf') bytes = Buffer.from(await buildPdf(book, storedFiles, progress));
  else {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await buildSiteZip({ book, read: storedFiles, exists: storedFileExists, out, progress });
    bytes = Buffer.concat(chunks);
  }
  const filename = job.format === 'pdf' ? 'portfolio.pdf' : 'portfolio-website.zip';
  const contentType = job.format === 'pdf' ? 'application/pdf' : 'application/zip';
  const fileId = await storeFile({ filename, contentType, bytes, metadata: { courseId: job.courseId, ownerId: `export:${job.portfolioId}` } });
  const finished = await ExportJob.updateOne(
    { _id: job._id, leaseOwner: owner, status: 'running' },
    { $set: { status: 'done', progress: 'Ready', resultFileId: fileId, resultSize: bytes.length, finishedAt: now(), leaseOwner: null, leaseUntil: null, keepUntil: new Date(now().getTime() + KEEP_MS) } },
  );
  if (!finished.modifiedCount) await removeStoredFile(fileId); // another worker took it over meanwhile: keep theirs
}

/** Kept results past their time go, with their files. */
async function sweep(now: Date): Promise<void> {
  for (const job of await ExportJob.find({ keepUntil: { $lt: now }, status: { $in: ['done', 'failed'] } }).limit(50).lean<ExportJobDoc[]>()) {
    if (job.resultFileId) await removeStoredFile(job.resultFileId);
    await ExportJob.deleteOne({ _id: job._id, status: job.status });
  }
}

export function createExportWorker(options: ExportWorkerOptions): ExportWorker {
  const owner = `export:${randomUUID()}`;
  const leaseMs = options.leaseMs ?? 120_000;
  const now = options.now ?? (() => new Date());
  const drainOnce = async (): Promise<number> => {
    let done = 0;
    for (let job = await claim(owner, leaseMs, now()); job; job = await claim(owner, leaseMs, now())) {
      try {
        await perform(job, owner, leaseMs, now);
      } catch (err) {
        options.log.error({ err, job: String(job._id) }, 'export build failed');
        const failed = job.attempts >= MAX_ATTEMPTS;
        await ExportJob.updateOne(
          { _id: job._id, leaseOwner: owner },
          { $set: { status: failed ? 'failed' : 'queued', error: failed ? 'The export could not be built. Try again, or ask the scheme coordinator to check the evidence files.' : '', leaseOwner: null, leaseUntil: null } },
        );
      }
      done += 1;
    }
    await sweep(now());
    return done;
  };
  return { drainOnce, stop: async () => {} };
}

/** The worker as the server runs it: polls, one drain at a time, stopped before shutdown. */
export function startExportWorker(options: ExportWorkerOptions): ExportWorker {
  const worker = createExportWorker(options);
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? 0 : worker.drainOnce())).catch((err: unknown) => options.log.error({ err }, 'export worker pass failed'));
  }, options.pollMs ?? 2_000);
  timer.unref();
  return {
    drainOnce: worker.drainOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
