/**
 * The blob store: large binary values (GridFS chunks) in DATA_DIR/db/blobs, one file per distinct
 * value, named by the SHA-256 of its bytes. The journal and snapshots hold only a reference, so the
 * heap holds a value only from the write that brings it until the file is durable.
 *
 * Order of durability: a value is written to `<sha>.tmp`, fdatasynced, renamed to `<sha>`, and the
 * directory fsynced, all before the journal record (or snapshot) that refers to it is written. A
 * file under its final name is therefore always whole; a crash mid-write leaves only a `.tmp`, which
 * no record refers to and which the next start removes. Files no longer referenced are removed after
 * a compaction (see Journal.collectGarbage).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Binary } from 'bson';
import { DiskBinary, type BlobSource } from '../disk-binary';
import type { BlobKeeper } from '../types';
import { fsyncDir, writeFully } from './files';
import { makePrivate, PRIVATE_DIR, PRIVATE_FILE } from './permissions';

const NAME = /^[0-9a-f]{64}$/;
const GC_SLICE = 64; // files removed between two yields to the event loop

/** Test seam: a fault to inject into blob writes ('write': after half the bytes, a torn write; 'sync': after all). */
export const blobFaults: { next?: (stage: 'write' | 'sync') => NodeJS.ErrnoException | undefined } = {};

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface BlobStats {
  /** Blob files on disk, and their bytes. */
  files: number;
  bytes: number;
  /** Values kept but not yet durable: the only blob bytes in the heap. */
  pendingBytes: number;
}

export class BlobStore implements BlobSource, BlobKeeper {
  readonly dir: string;
  private readonly onDisk = new Map<string, number>(); // durable files: sha -> length
  private readonly pending = new Map<string, Buffer>(); // kept, not yet durable
  /** Files found at start-up and not yet checked: an earlier version wrote its blobs without fsync. */
  private readonly unchecked = new Set<string>();
  private tail: Promise<void> = Promise.resolve();
  /** References replayed from the journal whose file is missing (damage from outside: reads of them fail). */
  readonly missing = new Set<string>();
  private made: boolean;

  constructor(private readonly dataDir: string) {
    this.dir = path.join(dataDir, 'blobs');
    this.made = fs.existsSync(this.dir); // made with the first value, so a database of text alone has none
    if (!this.made) return;
    makePrivate(this.dir);
    for (const name of fs.readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      if (NAME.test(name)) {
        this.onDisk.set(name, fs.statSync(file).size);
        this.unchecked.add(name);
      }
      else fs.rmSync(file, { force: true, recursive: true }); // a write torn by a crash: nothing refers to it
    }
  }

  /** A DiskBinary for these bytes; they stay in the heap only until the next flush makes them durable. */
  keep(bytes: Uint8Array, subType: number): Binary {
    const sha = sha256(bytes);
    if (this.unchecked.delete(sha) && !this.holds(sha, bytes.byteLength)) this.onDisk.delete(sha); // written again below
    if (!this.onDisk.has(sha) && !this.pending.has(sha)) this.pending.set(sha, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return new DiskBinary(this, sha, bytes.byteLength, subType);
  }

  /** Whether the file on disk holds exactly the bytes its name promises (checked once, with the bytes at hand to rewrite it). */
  private holds(sha: string, length: number): boolean {
    try {
      this.checked(sha, length, fs.readFileSync(path.join(this.dir, sha)));
      return true;
    } catch {
      return false;
    }
  }

  /** A reference read back from the journal. */
  ref(sha: string, length: number, subType: number): DiskBinary {
    if (!this.onDisk.has(sha) && !this.pending.has(sha)) this.missing.add(sha);
    return new DiskBinary(this, sha, length, subType);
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  stats(): BlobStats {
    let bytes = 0;
    for (const n of this.onDisk.values()) bytes += n;
    let pendingBytes = 0;
    for (const b of this.pending.values()) pendingBytes += b.length;
    return { files: this.onDisk.size, bytes, pendingBytes };
  }

  private checked(sha: string, length: number, bytes: Buffer): Buffer {
    if (bytes.length !== length || sha256(bytes) !== sha) {
      throw Object.assign(new Error(`a stored binary value is damaged on disk (${path.join(this.dir, sha)})`), { code: 'EBADBLOB' });
    }
    return bytes;
  }

  private missingError(sha: string): Error {
    return new Error(`a stored binary value is missing from the data directory (${path.join(this.dir, sha)})`);
  }

  bytesOf(sha: string, length: number): Buffer {
    const held = this.pending.get(sha);
    if (held) return held;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(this.dir, sha));
    } catch {
      throw this.missingError(sha);
    }
    return this.checked(sha, length, bytes);
  }

  async load(sha: string, length: number): Promise<Buffer> {
    const held = this.pending.get(sha);
    if (held) return held;
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(path.join(this.dir, sha));
    } catch {
      throw this.missingError(sha);
    }
    return this.checked(sha, length, bytes);
  }

  /**
   * Makes every value kept so far durable (files, then one directory fsync). Flushes run one after
   * another, so a flush called after keep() covers that value. On failure nothing is marked durable
   * and the values stay pending, to be written by the next flush.
   */
  flush(): Promise<void> {
    const run = this.tail.then(() => this.writePending());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    if (!this.made) {
      fs.mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
      await fsyncDir(this.dataDir); // the directory itself is durable before any record refers into it
      this.made = true;
    }
    const batch = [...this.pending];
    await Promise.all(batch.map(([sha, bytes]) => this.writeOne(sha, bytes)));
    await fsyncDir(this.dir);
    for (const [sha, bytes] of batch) {
      this.onDisk.set(sha, bytes.length);
      if (this.pending.get(sha) === bytes) this.pending.delete(sha);
    }
  }

  private async writeOne(sha: string, bytes: Buffer): Promise<void> {
    const tmp = path.join(this.dir, `${sha}.tmp`);
    const handle = await fsp.open(tmp, 'w', PRIVATE_FILE);
    try {
      const writeFault = blobFaults.next?.('write');
      if (writeFault) {
        await writeFully(handle, bytes.subarray(0, bytes.length >> 1));
        throw writeFault;
      }
      await writeFully(handle, bytes);
      const syncFault = blobFaults.next?.('sync');
      if (syncFault) throw syncFault;
      await handle.datasync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
    await handle.close();
    await fsp.rename(tmp, path.join(this.dir, sha));
  }

  /**
   * Removes the files `live` says nothing durable or open refers to. `live` is asked again just
   * before each removal, in the same tick, so a value referenced meanwhile is kept.
   */
  async collectGarbage(live: (sha: string) => boolean): Promise<{ files: number; bytes: number }> {
    const removed = { files: 0, bytes: 0 };
    const candidates = [...this.onDisk.keys()].filter((sha) => !live(sha));
    for (let i = 0; i < candidates.length; i += GC_SLICE) {
      for (const sha of candidates.slice(i, i + GC_SLICE)) {
        if (live(sha) || this.pending.has(sha) || !this.onDisk.has(sha)) continue;
        fs.rmSync(path.join(this.dir, sha), { force: true }); // synchronous: keep() cannot slip in between the check and the removal
        removed.bytes += this.onDisk.get(sha) ?? 0;
        removed.files += 1;
        this.onDisk.delete(sha);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return removed;
  }
}
