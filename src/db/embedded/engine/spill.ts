/**
 * Large binary values (GridFS chunks above all) kept on disk instead of in the heap: once a write is
 * durable, each large Binary at the top level of the stored document is written to DATA_DIR/blobs
 * (named by its SHA-256) and swapped for a DiskBinary that reads its bytes when they are needed. The
 * journal and snapshots still hold every byte, so the blob directory is only a cache: it is emptied at
 * start-up and refilled by the replay, and a blob lost in a crash is simply written again.
 */
import { Binary } from 'bson';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Document } from '../types';

export const SPILL_BYTES = 16 * 1024;

/** A Binary whose bytes stay in a file; bson serialises it like any Binary (it reads `buffer`). */
export class DiskBinary extends Binary {
  constructor(file: string, length: number, subType: number) {
    super(undefined, subType);
    Object.defineProperty(this, 'buffer', { get: () => fs.readFileSync(file), set: () => undefined, enumerable: true, configurable: true });
    Object.defineProperty(this, 'position', { value: length, writable: true, enumerable: true, configurable: true });
  }
}

export class BlobSpill {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'blobs');
    fs.rmSync(this.dir, { recursive: true, force: true }); // a cache of the journal: rebuilt by the replay
  }

  private made = false;

  /** Swaps the document's large top-level Binary values for on-disk ones (same bytes, same type). */
  spill(doc: Document | undefined): void {
    if (!doc) return;
    for (const [key, value] of Object.entries(doc)) {
      if (!(value instanceof Binary) || value instanceof DiskBinary || value.position < SPILL_BYTES || value.sub_type === 4) continue;
      const bytes = Buffer.from(value.buffer.buffer, value.buffer.byteOffset, value.position);
      if (!this.made) {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 }); // evidence: the tool's user only
        this.made = true;
      }
      const file = path.join(this.dir, createHash('sha256').update(bytes).digest('hex'));
      if (!fs.existsSync(file)) fs.writeFileSync(file, bytes, { mode: 0o600 });
      doc[key] = new DiskBinary(file, bytes.length, value.sub_type);
    }
  }
}
