/**
 * Durability for the embedded engine in a data directory:
 *   snapshot.<gen>.bson  the whole state as ops (written to a temp file, fsynced, renamed)
 *   journal.<gen>.bson   every acknowledged change since that snapshot, appended and fsynced
 *   mongod.lock          the owning process
 * Concurrent persist calls share one write + fdatasync (group commit). Generations make compaction
 * crash-safe: a snapshot that exists is complete and already holds every older journal's changes.
 */
import { BSON } from 'bson';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CommandEngine, Document, EngineOptions, JournalOp, PersistHook } from '../types';
import { acquireLock, type DataDirLock } from './lock';
import { makePrivate, PRIVATE_FILE } from './permissions';
import { encodeRecord, recordOf, scanRecords } from './records';

type Log = NonNullable<EngineOptions['log']>;
type Engine = Pick<CommandEngine, 'applyOp' | 'snapshotOps'>;

export const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;
const SNAPSHOT_RECORD_BYTES = 4 * 1024 * 1024;
const SNAPSHOT_FORMAT = 'cmalt-embedded-snapshot';

const snapshotName = (gen: number): string => `snapshot.${gen}.bson`;
const journalName = (gen: number): string => `journal.${gen}.bson`;

export interface JournalOptions {
  dataDir: string;
  log: Log;
  compactBytes?: number;
}

interface Pending {
  record: Buffer;
  resolve(): void;
  reject(err: Error): void;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeFully(handle: fsp.FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}

export class Journal {
  private gen = 0;
  private handle: fsp.FileHandle | undefined;
  private size = 0;
  private pending: Pending[] = [];
  private writing: Promise<void> | undefined;
  private engine: Engine | undefined;
  private failure: Error | undefined;
  private closed = false;
  private readonly compactBytes: number;
  private compactAt: number;

  private constructor(
    private readonly dir: string,
    private readonly log: Log,
    private readonly lock: DataDirLock,
    compactBytes: number | undefined,
  ) {
    this.compactBytes = compactBytes ?? DEFAULT_COMPACT_BYTES;
    this.compactAt = this.compactBytes;
  }

  /** Takes the directory's lock; call recover() before any write. */
  static open(options: JournalOptions): Journal {
    const dir = path.resolve(options.dataDir);
    makePrivate(dir);
    return new Journal(dir, options.log, acquireLock(dir), options.compactBytes);
  }

  /** The engine's persist hook: resolves once the ops are on disk. */
  readonly persist: PersistHook = (ops: JournalOp[]) => {
    if (ops.length === 0) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed || !this.handle) return Promise.reject(new Error('the embedded database journal is closed'));
    let record: Buffer;
    try {
      record = encodeRecord(ops as unknown as Document[]);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ record, resolve, reject });
      this.kick();
    });
  };

  /** Replays the newest snapshot and its journal into the engine, then compacts if the journal had anything. */
  async recover(engine: Engine): Promise<void> {
    this.engine = engine;
    const names = await fsp.readdir(this.dir);
    const gens = names.flatMap((n) => /^snapshot\.(\d+)\.bson$/.exec(n)?.[1] ?? []).map(Number);
    this.gen = gens.length ? Math.max(...gens) : 0;
    let replayed = 0;
    if (gens.length) replayed += await this.replaySnapshot(engine);
    const journalFile = path.join(this.dir, journalName(this.gen));
    let journalBytes = 0;
    if (fs.existsSync(journalFile)) {
      const bytes = await fsp.readFile(journalFile);
      const scan = scanRecords(bytes, journalFile);
      if (scan.tornTail !== undefined) {
        this.log.warn({ file: journalFile, dropped: bytes.length - scan.validLength, reason: scan.tornTail }, 'journal: dropping a torn last record (a write that was never acknowledged)');
        await fsp.truncate(journalFile, scan.validLength);
      }
      for (const ops of scan.records) for (const op of ops) engine.applyOp(op as unknown as JournalOp);
      replayed += scan.records.length;
      journalBytes = scan.validLength;
    }
    await this.removeOtherGenerations(names);
    this.log.info({ dataDir: this.dir, generation: this.gen, records: replayed }, 'embedded database recovered');
    this.handle = await fsp.open(journalFile, 'a', PRIVATE_FILE);
    this.size = journalBytes;
    if (journalBytes > 0) await this.compactSafely();
    else await fsyncDir(this.dir);
  }

  private async replaySnapshot(engine: Engine): Promise<number> {
    const file = path.join(this.dir, snapshotName(this.gen));
    const scan = scanRecords(await fsp.readFile(file), file);
    const [head, ...rest] = scan.records;
    const tail = rest.pop();
    if (scan.tornTail !== undefined || head?.[0]?.format !== SNAPSHOT_FORMAT || tail?.[0]?.end !== true) {
      throw new Error(`${file} is incomplete or not a snapshot; the data directory cannot be opened safely`);
    }
    for (const ops of rest) for (const op of ops) engine.applyOp(op as unknown as JournalOp);
    return rest.length;
  }

  private async removeOtherGenerations(names: string[]): Promise<void> {
    const keep = new Set([snapshotName(this.gen), journalName(this.gen)]);
    for (const name of names) {
      const stale = /^(snapshot|journal)\.\d+\.bson(\.tmp)?$/.test(name) && !keep.has(name);
      if (stale) await fsp.rm(path.join(this.dir, name), { force: true });
    }
  }

  private kick(): void {
    if (!this.writing) this.writing = this.drain().finally(() => (this.writing = undefined));
  }

  /** The single writer: each pass writes everything queued so far with one fdatasync. */
  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        if (this.failure) throw this.failure;
        const data = batch.length === 1 ? batch[0].record : Buffer.concat(batch.map((p) => p.record));
        await writeFully(this.handle!, data);
        await this.handle!.datasync();
        this.size += data.length;
        for (const p of batch) p.resolve();
      } catch (err) {
        // A half-written batch must not be followed by more records: stop taking writes.
        this.failure ??= new Error(`the embedded database journal failed: ${(err as Error).message}`);
        this.log.warn({ err: (err as Error).message }, 'journal write failed; refusing further writes');
        for (const p of batch) p.reject(this.failure);
      }
      if (this.size >= this.compactAt && !this.failure) await this.compactSafely();
    }
  }

  private async compactSafely(): Promise<void> {
    try {
      await this.compact();
    } catch (err) {
      // Not retried after every batch (each try rewrites the whole state): only after another threshold's worth.
      this.compactAt = this.size + this.compactBytes;
      const outcome = this.failure ? 'refusing further writes' : 'carrying on with the current journal';
      this.log.warn({ err: (err as Error).message }, `journal compaction failed; ${outcome}`);
    }
  }

  /**
   * Writes the engine's whole state as snapshot gen+1, then switches to an empty journal gen+1.
   * Runs only while nothing is being appended; writes arriving meanwhile wait for the new journal.
   */
  private async compact(): Promise<void> {
    const engine = this.engine!;
    const next = this.gen + 1;
    // Captured in one synchronous pass, so the snapshot is one consistent state.
    const records: Buffer[] = [encodeRecord([{ format: SNAPSHOT_FORMAT, version: 1, generation: next }])];
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    let count = 0;
    for (const op of engine.snapshotOps()) {
      const bytes = BSON.serialize(op);
      batch.push(bytes);
      batchBytes += bytes.length;
      count += 1;
      if (batchBytes >= SNAPSHOT_RECORD_BYTES) {
        records.push(recordOf(batch));
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length) records.push(recordOf(batch));
    records.push(encodeRecord([{ end: true, ops: count }]));

    const finalPath = path.join(this.dir, snapshotName(next));
    const tmpPath = `${finalPath}.tmp`;
    const tmp = await fsp.open(tmpPath, 'w', PRIVATE_FILE);
    try {
      for (const record of records) await writeFully(tmp, record);
      await tmp.sync();
    } catch (err) {
      await fsp.rm(tmpPath, { force: true }).catch(() => undefined);
      throw err;
    } finally {
      await tmp.close();
    }
    await fsp.rename(tmpPath, finalPath);
    try {
      // From here the new snapshot is the truth: appending to the old journal would write where the
      // next start-up no longer reads, so a failure from here on stops all writes.
      await fsyncDir(this.dir);
      const journal = await fsp.open(path.join(this.dir, journalName(next)), 'w', PRIVATE_FILE);
      await fsyncDir(this.dir); // the new journal's entry is durable before anything acknowledged goes in
      const old = this.gen;
      await this.handle?.close();
      this.handle = journal;
      this.gen = next;
      this.size = 0;
      this.compactAt = this.compactBytes;
      await fsp.rm(path.join(this.dir, journalName(old)), { force: true });
      await fsp.rm(path.join(this.dir, snapshotName(old)), { force: true });
    } catch (err) {
      this.failure ??= new Error(`the embedded database could not switch to its new journal: ${(err as Error).message}`);
      throw err;
    }
    this.log.info({ generation: next, ops: count }, 'embedded database compacted');
  }

  /** Waits for queued writes, compacts, and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await this.writing;
    try {
      if (this.engine && this.handle && this.size > 0 && !this.failure) await this.compact();
    } finally {
      await this.handle?.close();
      this.handle = undefined;
      this.lock.release();
    }
  }
}
