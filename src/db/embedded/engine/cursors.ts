import { calculateObjectSize, Long } from 'bson';
import { diskBinariesIn } from '../disk-binary';
import type { Document } from '../types';
import { CommandError } from './errors';

const IDLE_LIMIT_MS = 10 * 60 * 1000; // MongoDB's cursorTimeoutMillis default
/** Open cursors hold copies of their results: past these, the least recently used are closed. */
export const CURSOR_LIMITS = { count: 1000, bytes: 64 * 1024 * 1024 };

interface OpenCursor {
  ns: string;
  rest: Document[]; // documents not yet returned, already copied and projected
  bytes: number; // what `rest` held when the cursor opened (the cap counts it until the cursor closes)
  lastUsed: number;
  session?: string; // the lsid it was opened under: ending the session closes it, as MongoDB does
}

export const DEFAULT_BATCH = 101;
/** As MongoDB: a batch stops before its documents pass 16 MiB, so the reply stays under the BSON size limit. */
export const BATCH_BYTES = 16 * 1024 * 1024;

/** What a held document costs the heap: binaries kept on disk are only a reference there. */
function heapSize(doc: Document): number {
  return calculateObjectSize(doc) - diskBinariesIn(doc).reduce((n, b) => n + b.position, 0);
}

/** How many of `docs` (at most `count`) fit in one batch; always at least one, as MongoDB sends an oversized document alone. */
function fitting(docs: Document[], count: number): number {
  let bytes = 0;
  const end = Math.min(count, docs.length);
  for (let i = 0; i < end; i++) {
    bytes += calculateObjectSize(docs[i]);
    if (bytes > BATCH_BYTES && i > 0) return i;
  }
  return end;
}

/** Open cursors by id. Results are computed whole at the first batch; getMore hands out the rest. */
export class CursorRegistry {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = BigInt(Date.now()) * 1000n;
  private heldBytes = 0;
  /** The session of the command being run (set by the engine around each command). */
  session: string | undefined;

  /** The reply's `cursor` field for a first batch; keeps a cursor open only if documents remain. */
  firstBatch(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const size = batchSize === undefined || batchSize <= 0 ? (batchSize === 0 ? 0 : DEFAULT_BATCH) : batchSize;
    const taken = fitting(docs, size);
    const first = docs.slice(0, taken);
    let id = Long.ZERO;
    if (!singleBatch && docs.length > taken) {
      this.nextId += 1n;
      id = Long.fromBigInt(this.nextId);
      const rest = docs.slice(taken);
      const bytes = rest.reduce((n, d) => n + heapSize(d), 0);
      this.open.set(id.toString(), { ns, rest, bytes, lastUsed: Date.now(), session: this.session });
      this.heldBytes += bytes;
      this.enforceLimits(id.toString());
    }
    return { firstBatch: first, id, ns };
  }

  getMore(id: unknown, ns: string, batchSize: number | undefined): Document {
    const key = String(id);
    const cursor = this.open.get(key);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${key} not found`);
    if (cursor.ns !== ns) throw new CommandError('Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    const size = batchSize && batchSize > 0 ? batchSize : cursor.rest.length;
    const batch = cursor.rest.splice(0, fitting(cursor.rest, size));
    cursor.lastUsed = Date.now();
    // Map order is use order, so cursors used within the same millisecond still close least recent first.
    this.open.delete(key);
    this.open.set(key, cursor);
    let replyId = Long.fromString(key);
    if (cursor.rest.length === 0) {
      this.close(key);
      replyId = Long.ZERO;
    }
    return { nextBatch: batch, id: replyId, ns };
  }

  kill(ids: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const key = String(id);
      const long = Long.fromString(key);
      if (this.close(key)) killed.push(long);
      else notFound.push(long);
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  }

  /** Closes cursors idle for longer than MongoDB's ten minutes. */
  expireIdle(now = Date.now()): void {
    for (const [id, c] of this.open) if (now - c.lastUsed > IDLE_LIMIT_MS) this.close(id);
  }

  /** endSessions: the sessions' cursors close with them. */
  endSessions(sessions: string[]): void {
    const ending = new Set(sessions);
    for (const [id, c] of this.open) if (c.session !== undefined && ending.has(c.session)) this.close(id);
  }

  closeAll(): void {
    this.open.clear();
    this.heldBytes = 0;
  }

  private close(id: string): boolean {
    const cursor = this.open.get(id);
    if (!cursor) return false;
    this.open.delete(id);
    this.heldBytes -= cursor.bytes;
    return true;
  }

  /** Closes the least recently used cursors (never the one just opened) until within the limits. */
  private enforceLimits(keep: string): void {
    if (this.open.size <= CURSOR_LIMITS.count && this.heldBytes <= CURSOR_LIMITS.bytes) return;
    const byAge = [...this.open].filter(([id]) => id !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id] of byAge) {
      if (this.open.size <= CURSOR_LIMITS.count && this.heldBytes <= CURSOR_LIMITS.bytes) break;
      this.close(id);
    }
  }

  /** The documents open cursors still hold (their blob files must stay). */
  *held(): Iterable<Document> {
    for (const cursor of this.open.values()) yield* cursor.rest;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  get size(): number {
    return this.open.size;
  }
}
