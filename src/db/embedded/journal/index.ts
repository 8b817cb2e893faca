/**
 * Durability for the embedded engine in a data directory:
 *   snapshot.<gen>.bson  the whole state as ops (written to a temp file, fsynced, renamed)
 *   journal.<gen>.bson   every acknowledged change since that snapshot, appended and fsynced
 *   mongod.lock          the owning process
 * Concurrent persist calls share one write + fdatasync (group commit). Generations make compaction
 * crash-safe: a snapshot that exists is complete and already holds every older journal's changes.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CommandEngine, Document, EngineOptions, JournalOp, PersistHook } from '../types';
import { diskBinariesIn } from '../disk-binary';
import { BlobStore } from './blobs';
import { fsyncDir, writeFully } from './files';
import { acquireLock, type DataDirLock } from './lock';
import { makePrivate, PRIVATE_FILE } from './permissions';
import { attachBlobs, encodeRecord, recordOp, scanRecords } from './records';
import { SNAPSHOT_FORMAT, writeSnapshot } from './snapshot';

type Log = NonNullable<EngineOptions['log']>;
type Engine = Pick<CommandEngine, 'applyOp' | 'snapshotOps' | 'blobsInUse'>;

export const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;

const snapshotName = (gen: number): string => `snapshot.${gen}.bson`;
const journalName = (gen: number): string => `journal.${gen}.bson`;

export interface JournalOptions {
  dataDir: string;
  log: Log;
  compactBytes?: number;
}

interface Pending {
  record: Buffer;
  refs: Set<string>; // blob files the record refers to
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Test seam: a fault to inject into the journal's appends, as a full or failing disk would raise it.
 * 'write' faults land after half the bytes are written (a torn append); 'sync' faults after all of them.
 */
export const journalFaults: { next?: (stage: 'write' | 'sync') => NodeJS.ErrnoException | undefined } = {};

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;
const PROBE_BYTES = 256 * 1024; // room enough for a few saves before the journal is trusted again

/** Appends and flushes one batch of records (the only place the journal's appends reach the disk). */
async function appendDurably(handle: fsp.FileHandle, data: Buffer): Promise<void> {
  const writeFault = journalFaults.next?.('write');
  if (writeFault) {
    await writeFully(handle, data.subarray(0, data.length >> 1));
    throw writeFault;
  }
  await writeFully(handle, data);
  const syncFault = journalFaults.next?.('sync');
  if (syncFault) throw syncFault;
  await handle.datasync();
}

/** A journal failure as the engine reports it: the cause's errno code kept (ENOSPC, EIO). */
function refusal(err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : `the disk failed (${code ?? (err as Error).message})`;
  return Object.assign(new Error(`The embedded database cannot save changes: ${why}. Writes resume by themselves once it can write again.`), { code });
}

export class Journal {
  private gen = 0;
  private handle: fsp.FileHandle | undefined;
  private size = 0;
  private pending: Pending[] = [];
  private writing: Promise<void> | undefined;
  private engine: Engine | undefined;
  private failure: Error | undefined; // writes are refused while set; cleared when the disk takes writes again
  private compacting: Promise<void> | undefined;
  private failures = 0; // journal failures so far: a snapshot built across one is discarded
  private enqueued = 0; // records queued so far
  private settled = 0; // records written or refused so far
  private settleWaiters: Array<{ target: number; resolve(): void }> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private refusedSince = 0;
  private closed = false;
  private readonly compactBytes: number;
  private compactAt: number;
  /** Blob files referred to by records of the current generation's journal (queued or written). */
  private refsSinceSwitch = new Set<string>();
  /** Large binary values, written durably before any record that refers to them. */
  readonly blobs: BlobStore;

  private constructor(
    private readonly dir: string,
    private readonly log: Log,
    private readonly lock: DataDirLock,
    compactBytes: number | undefined,
  ) {
    this.compactBytes = compactBytes ?? DEFAULT_COMPACT_BYTES;
    this.compactAt = this.compactBytes;
    this.blobs = new BlobStore(dir);
  }

  /** Takes the directory's lock; call recover() before any write. */
  static open(options: JournalOptions): Journal {
    const dir = path.resolve(options.dataDir);
    makePrivate(dir);
    return new Journal(dir, options.log, acquireLock(dir), options.compactBytes);
  }

  /** Why writes are refused just now (for readiness checks), or undefined while they are accepted. */
  get refusingWrites(): string | undefined {
    return this.failure?.message;
  }

  /** The engine's persist hook: resolves once the ops are on disk. */
  readonly persist: PersistHook = (ops: JournalOp[]) => {
    if (ops.length === 0) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed || !this.handle) return Promise.reject(new Error('the embedded database journal is closed'));
    let record: Buffer;
    const refs = new Set<string>();
    try {
      record = encodeRecord(ops.map((op) => recordOp(op, refs)));
    } catch (err) {
      return Promise.reject(err);
    }
    for (const sha of refs) this.refsSinceSwitch.add(sha);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ record, refs, resolve, reject });
      this.enqueued += 1;
      this.kick();
    });
  };

  /**
   * Replays the newest complete snapshot, then every journal of that generation or later, in order
   * (a compaction interrupted by a crash leaves the old snapshot and two journals), then compacts if
   * any journal had anything.
   */
  async recover(engine: Engine): Promise<void> {
    this.engine = engine;
    const names = await fsp.readdir(this.dir);
    const gensOf = (kind: string) => names.flatMap((n) => new RegExp(`^${kind}\\.(\\d+)\\.bson$`).exec(n)?.[1] ?? []).map(Number);
    const snapshots = gensOf('snapshot');
    const base = snapshots.length ? Math.max(...snapshots) : 0;
    const journals = gensOf('journal').filter((g) => g >= base).sort((x, y) => x - y);
    this.gen = Math.max(base, ...journals);
    let replayed = 0;
    if (snapshots.length) replayed += await this.replaySnapshot(engine, base);
    let journalBytes = 0;
    for (const gen of journals) {
      const journalFile = path.join(this.dir, journalName(gen));
      const bytes = await fsp.readFile(journalFile);
      const scan = scanRecords(bytes, journalFile);
      if (scan.tornTail !== undefined) {
        this.log.warn({ file: journalFile, dropped: bytes.length - scan.validLength, reason: scan.tornTail }, 'journal: dropping a torn last record (a write that was never acknowledged)');
        await fsp.truncate(journalFile, scan.validLength);
      }
      for (const ops of scan.records) for (const op of ops) this.replay(engine, op);
      replayed += scan.records.length;
      journalBytes += scan.validLength;
    }
    await this.removeOtherGenerations(names, base);
    this.log.info({ dataDir: this.dir, generation: this.gen, records: replayed }, 'embedded database recovered');
    if (this.blobs.missing.size) {
      this.log.warn({ dir: this.blobs.dir, missing: this.blobs.missing.size }, 'embedded database: stored binary values are missing from the blob directory; reading them will fail');
    }
    this.handle = await fsp.open(path.join(this.dir, journalName(this.gen)), 'a', PRIVATE_FILE);
    this.size = (await this.handle.stat()).size;
    // binaries a journal of an earlier version held inline were kept while replaying: a snapshot now holds references
    if (journalBytes > 0 || this.blobs.hasPending) {
      await this.compactSafely();
    } else {
      await fsyncDir(this.dir);
      const live = new Set<string>();
      for (const op of engine.snapshotOps()) if (op.op === 'put') for (const b of diskBinariesIn(op.doc)) live.add(b.sha);
      await this.collectGarbage(live);
    }
  }

  private replay(engine: Engine, op: Document): void {
    engine.applyOp(attachBlobs(op, this.blobs) as unknown as JournalOp);
  }

  /**
   * Removes blob files that nothing durable or open refers to: not the snapshot just written (`durable`),
   * not a record of the current journal, not an open cursor or a reply being sent.
   */
  private async collectGarbage(durable: Set<string>): Promise<void> {
    const inUse = new Set(this.engine?.blobsInUse() ?? []);
    const removed = await this.blobs.collectGarbage((sha) => durable.has(sha) || this.refsSinceSwitch.has(sha) || inUse.has(sha));
    if (removed.files) this.log.info({ files: removed.files, bytes: removed.bytes }, 'embedded database removed unreferenced blob files');
  }

  private async replaySnapshot(engine: Engine, gen: number): Promise<number> {
    const file = path.join(this.dir, snapshotName(gen));
    const scan = scanRecords(await fsp.readFile(file), file);
    const [head, ...rest] = scan.records;
    const tail = rest.pop();
    if (scan.tornTail !== undefined || head?.[0]?.format !== SNAPSHOT_FORMAT || tail?.[0]?.end !== true) {
      throw new Error(`${file} is incomplete or not a snapshot; the data directory cannot be opened safely`);
    }
    for (const ops of rest) for (const op of ops) this.replay(engine, op);
    return rest.length;
  }

  /** Removes unfinished snapshots and anything older than the snapshot replayed. */
  private async removeOtherGenerations(names: string[], base: number): Promise<void> {
    for (const name of names) {
      const m = /^(snapshot|journal)\.(\d+)\.bson(\.tmp)?$/.exec(name);
      const stale = m !== null && (m[3] !== undefined || Number(m[2]) < base || (m[1] === 'snapshot' && Number(m[2]) !== base));
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
        await this.blobs.flush(); // a record never refers to a blob file that is not durable
        await appendDurably(this.handle!, data);
        this.size += data.length;
        for (const p of batch) p.resolve();
        this.noteSettled(batch.length);
      } catch (err) {
        // A half-written batch must not be followed by more records: refuse every write queued behind
        // it too (the engine undoes them all), until the torn bytes are cut away and the disk takes writes.
        if (!this.failure) this.startRefusing(err);
        for (const p of batch) p.reject(this.failure!);
        this.noteSettled(batch.length);
      }
      // Only the switch to a new journal happens here, between two batches; the snapshot is built beside the appends.
      if (this.size >= this.compactAt && !this.failure && !this.compacting) await this.startCompaction();
    }
  }

  private startRefusing(err: unknown): void {
    this.failure = refusal(err);
    this.refusedSince = Date.now();
    this.log.warn({ code: (err as NodeJS.ErrnoException).code, err: (err as Error).message }, 'journal write failed: refusing writes until the disk takes them again');
    this.failures += 1;
    this.scheduleRetry(RETRY_FIRST_MS);
  }

  private scheduleRetry(delay: number): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => void this.retry(delay), delay);
    this.retryTimer.unref();
  }

  /** Cuts what a failed append left after the last acknowledged record, proves the disk takes a write, then accepts writes again. */
  private async retry(delay: number): Promise<void> {
    try {
      while (this.writing) await this.writing;
      if (this.closed) return;
      await this.handle!.truncate(this.size);
      await this.handle!.datasync();
      const probe = await fsp.open(path.join(this.dir, 'probe.tmp'), 'w', PRIVATE_FILE);
      try {
        await appendDurably(probe, Buffer.alloc(PROBE_BYTES));
      } finally {
        await probe.close();
        await fsp.rm(path.join(this.dir, 'probe.tmp'), { force: true });
      }
    } catch {
      this.scheduleRetry(Math.min(delay * 2, RETRY_MAX_MS));
      return;
    }
    this.failure = undefined;
    this.log.info({ refusedForMs: Date.now() - this.refusedSince }, 'journal writable again: accepting writes');
    this.kick();
  }

  private async compactSafely(): Promise<void> {
    await this.startCompaction();
    await this.compacting;
  }

  /**
   * Switches appends to an empty journal gen+1 (called by the single writer between batches), then
   * builds snapshot gen+1 in the background. Recovery replays journals from the newest complete
   * snapshot on, so a crash at any point loses nothing: before the snapshot is renamed into place the
   * old snapshot and both journals are replayed; after, the new snapshot and the new journal.
   */
  private async startCompaction(): Promise<void> {
    const next = this.gen + 1;
    let journal: fsp.FileHandle;
    try {
      journal = await fsp.open(path.join(this.dir, journalName(next)), 'w', PRIVATE_FILE);
      await fsyncDir(this.dir); // the new journal's entry is durable before anything acknowledged goes in
    } catch (err) {
      this.compactAt = this.size + this.compactBytes;
      this.log.warn({ err: (err as Error).message }, 'journal compaction could not start; carrying on with the current journal');
      return;
    }
    const old = this.handle!;
    this.handle = journal;
    this.gen = next;
    // the records still queued will land in the new journal
    this.refsSinceSwitch = new Set(this.pending.flatMap((p) => [...p.refs]));
    this.size = 0;
    this.compactAt = this.compactBytes;
    await old.close().catch(() => undefined);
    const failuresBefore = this.failures;
    this.log.info({ generation: next }, 'embedded database compaction started');
    this.compacting = this.buildSnapshot(next, failuresBefore)
      .catch((err: unknown) => {
        this.compactAt = this.size + this.compactBytes; // not retried after every batch: each try rewrites the whole state
        this.log.warn({ err: (err as Error).message }, 'journal compaction failed; carrying on with the current journal');
      })
      .finally(() => (this.compacting = undefined));
  }

  private async buildSnapshot(next: number, failuresBefore: number): Promise<void> {
    const finalPath = path.join(this.dir, snapshotName(next));
    const tmpPath = `${finalPath}.tmp`;
    const tmp = await fsp.open(tmpPath, 'w', PRIVATE_FILE);
    let count: number;
    let settledTarget: number;
    const refs = new Set<string>();
    try {
      count = await writeSnapshot(tmp, next, this.engine!.snapshotOps(), refs);
      // Every write the snapshot may hold was queued by now: wait until they are all on disk, and give
      // up if any failed (the snapshot could hold a write the engine then undid).
      settledTarget = this.enqueued;
      await tmp.sync();
    } catch (err) {
      await tmp.close().catch(() => undefined);
      await fsp.rm(tmpPath, { force: true }).catch(() => undefined);
      throw err;
    }
    await tmp.close();
    await this.settledUpTo(settledTarget);
    // binaries kept while replaying have no record that flushed them
    await this.blobs.flush().catch(async (err: unknown) => {
      await fsp.rm(tmpPath, { force: true }).catch(() => undefined);
      throw err;
    });
    if (this.failures !== failuresBefore) {
      await fsp.rm(tmpPath, { force: true }).catch(() => undefined);
      throw new Error('a write failed while the snapshot was built');
    }
    await fsp.rename(tmpPath, finalPath);
    await fsyncDir(this.dir);
    for (const name of await fsp.readdir(this.dir)) {
      const m = /^(snapshot|journal)\.(\d+)\.bson$/.exec(name);
      if (m && Number(m[2]) < next) await fsp.rm(path.join(this.dir, name), { force: true });
    }
    this.log.info({ generation: next, ops: count }, 'embedded database compacted');
    await this.collectGarbage(refs);
  }

  /** Resolves once the first `target` queued records have been written or refused. */
  private settledUpTo(target: number): Promise<void> {
    if (this.settled >= target) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ target, resolve }));
  }

  private noteSettled(n: number): void {
    this.settled += n;
    this.settleWaiters = this.settleWaiters.filter((w) => (this.settled >= w.target ? (w.resolve(), false) : true));
  }

  /** Waits for queued writes, compacts, and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    while (this.writing) await this.writing;
    await this.compacting;
    try {
      if (this.engine && this.handle && this.size > 0 && !this.failure) await this.compactSafely();
    } finally {
      await this.handle?.close();
      this.handle = undefined;
      this.lock.release();
    }
  }
}
