/**
 * Writes the engine's state as a snapshot file in slices: a few milliseconds of encoding, then the
 * slice goes to disk (an await), so the event loop never stalls on a large database and writes go on
 * meanwhile. The snapshot is fuzzy (documents changed during the build may appear in either version);
 * the journal started at the same moment holds every later change, and replay applies it on top.
 */
import { BSON } from 'bson';
import type fsp from 'node:fs/promises';
import type { JournalOp } from '../types';
import { encodeRecord, recordOf } from './records';

export const SNAPSHOT_FORMAT = 'cmalt-embedded-snapshot';
const RECORD_BYTES = 1024 * 1024; // one record is checksummed in one go: small enough not to stall the loop
const SLICE_MS = 5; // encoding time between two yields to the event loop

async function writeFully(handle: fsp.FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Streams `ops` into `file` as snapshot `generation`; returns how many ops it holds. */
export async function writeSnapshot(file: fsp.FileHandle, generation: number, ops: Iterable<JournalOp>): Promise<number> {
  await writeFully(file, encodeRecord([{ format: SNAPSHOT_FORMAT, version: 1, generation }]));
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let count = 0;
  let sliceStart = performance.now();
  for (const op of ops) {
    const bytes = BSON.serialize(op);
    batch.push(bytes);
    batchBytes += bytes.length;
    count += 1;
    if (batchBytes >= RECORD_BYTES) {
      await writeFully(file, recordOf(batch));
      batch = [];
      batchBytes = 0;
      sliceStart = performance.now();
    } else if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  if (batch.length) await writeFully(file, recordOf(batch));
  await writeFully(file, encodeRecord([{ end: true, ops: count }]));
  return count;
}
