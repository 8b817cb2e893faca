/**
 * Large binary values (GridFS chunks above all) kept out of the heap: before a write's ops go to the
 * journal, every Binary of SPILL_BYTES or more in a stored document is handed to the blob store,
 * which returns a DiskBinary with the same bytes read from disk on demand. The journal then writes a
 * reference, after the blob file is durable (journal/blobs.ts).
 */
import { DiskBinary, diskBinariesIn, visitBinaries } from '../disk-binary';
import type { BlobKeeper, Document, EngineStats, JournalOp } from '../types';
import type { Catalog } from './store/catalog';

export const SPILL_BYTES = 16 * 1024;

/** Swaps the document's large Binary values, at any depth, for on-disk ones (in place). */
export function spill(doc: Document | undefined, keeper: BlobKeeper): void {
  if (!doc) return;
  visitBinaries(doc, (b) => (b instanceof DiskBinary || b.position < SPILL_BYTES ? undefined : keeper.keep(b.buffer.subarray(0, b.position), b.sub_type)));
}

/**
 * Spills the documents a write stored, and points its put ops at them, so the journal record holds
 * references. A command's ops replay together, so a put holding the document's final state (when
 * one command wrote it twice) replays to the same end.
 */
export function spillOps(catalog: Catalog, ops: JournalOp[], keeper: BlobKeeper): void {
  for (const op of ops) {
    if (op.op !== 'put') continue;
    const stored = catalog.get(op.db, op.coll)?.getById(op.doc._id);
    if (stored) {
      spill(stored, keeper);
      op.doc = stored;
    } else {
      spill(op.doc, keeper);
    }
  }
}

/** How many Binary bytes stored documents hold in the heap, and how many are on disk. */
export function binaryStats(catalog: Catalog): EngineStats {
  const stats: EngineStats = { binaryBytesInMemory: 0, binariesOnDisk: 0, bytesOnDisk: 0 };
  for (const db of catalog.databases()) {
    for (const coll of catalog.collections(db)) {
      for (const doc of coll.documents()) {
        visitBinaries(doc, (b) => {
          if (b instanceof DiskBinary) {
            stats.binariesOnDisk += 1;
            stats.bytesOnDisk += b.position;
          } else {
            stats.binaryBytesInMemory += b.position;
          }
          return undefined;
        });
      }
    }
  }
  return stats;
}

/** The blob files the given documents refer to. */
export function blobsOf(docs: Iterable<unknown>, into: Set<string>): Set<string> {
  for (const doc of docs) for (const b of diskBinariesIn(doc)) into.add(b.sha);
  return into;
}
