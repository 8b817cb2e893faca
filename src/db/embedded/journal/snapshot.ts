/**
 * Writes the engine's state as a snapshot file in slices: a few milliseconds of encoding, then the
 * slice goes to disk (an await), so the event loop never stalls on a large database and writes go on
 * meanwhile. The snapshot is fuzzy (documents changed during the build may appear in either version);
 * the journal started at the same moment holds every later change, and replay applies it on top.
 */
import { BSON } from 'bson';
import type fsp from 'node:fs/promises';
import type { JournalOp } from '../types';
import { writeFully } from './files';
import { encodeRecord, recordOf, recordOp } from './records';

export const SNAPSHOT_FORMAT = 'cmalt-embedded-snapshot';
const RECORD_BYTES = 1024 * 1024; // one record is checksummed in one go: small enough not to stall the loop
const SLICE_MS = 5; // encoding time between two yields to the event loop

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Streams `ops` into `file` as snapshot `generation`; returns how many ops it holds, and adds the blob files it refers to to `refs`. */
export async function writeSnapshot(file: fsp.FileHandle, generation: number, ops: Iterable<JournalOp>, refs: Set<string>): Promise<number> {
  await writeFully(file, encodeRecord([{ format: SNAPSHOT_FORMAT, version: 1, generation }]));
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let count = 0;
  let sliceStart = performance.now();
  for (const op of ops) {
    const bytes = BSON.serialize(recordOp(op, refs));
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
