import { parentPort, workerData } from 'node:worker_threads';
import { PARSERS, type FileTask, type ParseOptions } from './parsers';

/** The parsing worker's entry point: one task, one file, one answer, then the thread ends. */
interface Job {
  task: FileTask;
  bytes: Uint8Array;
  options: ParseOptions;
}

async function run(job: Job): Promise<void> {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  try {
    const text = await PARSERS[job.task](bytes, job.options);
    parentPort?.postMessage({ ok: true, text: text.slice(0, job.options.maxChars + 1) });
  } catch {
    parentPort?.postMessage({ ok: false, reason: 'unreadable' });
  }
}

void run(workerData as Job);
