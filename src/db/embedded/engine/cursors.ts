import { calculateObjectSize, Long } from 'bson';
import type { Document } from '../types';
import { CommandError } from './errors';

const IDLE_LIMIT_MS = 10 * 60 * 1000; // MongoDB's cursorTimeoutMillis default

interface OpenCursor {
  ns: string;
  rest: Document[]; // documents not yet returned, already copied and projected
  lastUsed: number;
}

export const DEFAULT_BATCH = 101;
/** As MongoDB: a batch stops before its documents pass 16 MiB, so the reply stays under the BSON size limit. */
export const BATCH_BYTES = 16 * 1024 * 1024;

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

  /** The reply's `cursor` field for a first batch; keeps a cursor open only if documents remain. */
  firstBatch(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const size = batchSize === undefined || batchSize <= 0 ? (batchSize === 0 ? 0 : DEFAULT_BATCH) : batchSize;
    const taken = fitting(docs, size);
    const first = docs.slice(0, taken);
    let id = Long.ZERO;
    if (!singleBatch && docs.length > taken) {
      this.nextId += 1n;
      id = Long.fromBigInt(this.nextId);
      this.open.set(id.toString(), { ns, rest: docs.slice(taken), lastUsed: Date.now() });
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
    let replyId = Long.fromString(key);
    if (cursor.rest.length === 0) {
      this.open.delete(key);
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
      if (this.open.delete(key)) killed.push(long);
      else notFound.push(long);
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  }

  /** Closes cursors idle for longer than MongoDB's ten minutes. */
  expireIdle(now = Date.now()): void {
    for (const [id, c] of this.open) if (now - c.lastUsed > IDLE_LIMIT_MS) this.open.delete(id);
  }

  closeAll(): void {
    this.open.clear();
  }

  get size(): number {
    return this.open.size;
  }
}
