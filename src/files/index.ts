/**
 * Reading files people upload, safely: zips are measured before anything is inflated, and every
 * parser runs in a worker thread with a heap limit and a deadline. Any capability that reads the
 * contents of an upload goes through here.
 */
import { inspectZip, type ZipLimits } from './zip-inspect';
import { runInSandbox, type Failure, type SandboxLimits } from './sandbox';
import type { FileTask } from './parsers';

export type ReadFailure = Failure | 'unpacked-too-large';
export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: ReadFailure };

const ZIP_TASKS: ReadonlySet<FileTask> = new Set(['docx-text']);

/** The text of an untrusted file, or why it could not be read; never throws for a bad file. */
export async function readUntrustedText(task: FileTask, bytes: Buffer, limits: Partial<SandboxLimits & { zip: ZipLimits }> = {}): Promise<ReadOutcome> {
  if (ZIP_TASKS.has(task)) {
    const verdict = await inspectZip(bytes, limits.zip);
    if (!verdict.ok) return verdict;
  }
  return runInSandbox(task, bytes, limits);
}

export { inspectZip, DEFAULT_ZIP_LIMITS } from './zip-inspect';
export type { ZipLimits, ZipVerdict } from './zip-inspect';
export { DEFAULT_LIMITS } from './sandbox';
export type { SandboxLimits } from './sandbox';
export type { FileTask } from './parsers';
export { streamToSink } from './streamed-upload';
export type { StreamRules, UploadSink } from './streamed-upload';
export { streamingStorage, storedFileOf } from './multer-storage';
