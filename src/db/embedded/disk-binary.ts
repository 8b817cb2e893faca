/**
 * A BSON Binary whose bytes are kept in a file of the data directory's blob store, not in the heap
 * (GridFS chunks above all). Shared by both halves: the engine keeps large binaries this way and
 * reads them back when a reply or an operator needs the bytes; the journal writes only a reference
 * to them, and turns references back into DiskBinary values when it replays.
 */
import { Binary } from 'bson';
import type { Document } from './types';

/** Where a DiskBinary's bytes are: the blob store (journal/blobs.ts). */
export interface BlobSource {
  /** The bytes, read synchronously (an operator or the encoder touching `buffer`). */
  bytesOf(sha: string, length: number): Buffer;
  /** The bytes, read without blocking the event loop (replies). */
  load(sha: string, length: number): Promise<Buffer>;
}

const EMPTY = new Uint8Array(0);

export class DiskBinary extends Binary {
  declare readonly source: BlobSource;
  declare readonly sha: string;

  constructor(source: BlobSource, sha: string, length: number, subType: number) {
    super(EMPTY, subType);
    // Its own fields are hidden, so it has a Binary's keys, and hashes and compares by its bytes.
    Object.defineProperty(this, 'source', { value: source, enumerable: false });
    Object.defineProperty(this, 'sha', { value: sha, enumerable: false });
    this.position = length;
  }

  /** An ordinary Binary holding the bytes, read asynchronously. */
  async loaded(): Promise<Binary> {
    return new Binary(await this.source.load(this.sha, this.position), this.sub_type);
  }
}

// bson, mingo and the rest read `buffer`: the bytes come from disk only then. On the prototype, so each
// value costs the heap a few fields, not a closure; Binary's constructor assigns `buffer`, which is ignored.
Object.defineProperty(DiskBinary.prototype, 'buffer', {
  get(this: DiskBinary): Uint8Array {
    return this.sha === undefined ? EMPTY : this.source.bytesOf(this.sha, this.position);
  },
  set() {},
  enumerable: true,
  configurable: true,
});

const isContainer = (v: unknown): v is Document | unknown[] => {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const isBinary = (v: unknown): v is Binary => v !== null && typeof v === 'object' && (v as { _bsontype?: unknown })._bsontype === 'Binary';

/**
 * Calls `visit` on every Binary inside plain objects and arrays, with its path (array indexes as
 * strings). A returned value replaces the Binary in place.
 */
export function visitBinaries(value: unknown, visit: (binary: Binary, path: string[]) => unknown, path: string[] = []): void {
  if (!isContainer(value)) return;
  const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
  for (const key of keys) {
    const child = (value as Document)[key];
    if (isBinary(child)) {
      const replacement = visit(child, [...path, key]);
      if (replacement !== undefined) (value as Document)[key] = replacement;
    } else if (isContainer(child)) {
      visitBinaries(child, visit, [...path, key]);
    }
  }
}

/** True when the value holds a DiskBinary somewhere inside. */
export function holdsDiskBinary(value: unknown): boolean {
  if (value instanceof DiskBinary) return true;
  if (!isContainer(value)) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(holdsDiskBinary);
}

/**
 * A copy of `value` with every DiskBinary replaced by what `swap` returns; containers are copied only
 * along the paths that lead to one, so stored documents are never changed.
 */
export function swapDiskBinaries(value: unknown, swap: (binary: DiskBinary, path: string[]) => unknown, path: string[] = []): unknown {
  if (value instanceof DiskBinary) return swap(value, path);
  if (!isContainer(value) || !holdsDiskBinary(value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => swapDiskBinaries(v, swap, [...path, String(i)]));
  const out: Document = {};
  for (const key of Object.keys(value)) out[key] = swapDiskBinaries(value[key], swap, [...path, key]);
  return out;
}

/** Every DiskBinary inside `value` (documents, replies, cursors' held batches). */
export function diskBinariesIn(value: unknown, out: DiskBinary[] = []): DiskBinary[] {
  if (value instanceof DiskBinary) out.push(value);
  else if (isContainer(value)) for (const v of Array.isArray(value) ? value : Object.values(value)) diskBinariesIn(v, out);
  return out;
}

/** A copy of a reply with every DiskBinary (those `found` in it) read into an ordinary Binary; reads run in parallel. */
export async function loadDiskBinaries<T>(value: T, found = diskBinariesIn(value)): Promise<T> {
  if (found.length === 0) return value;
  const loaded = new Map<DiskBinary, Binary>();
  await Promise.all(found.map(async (b) => void loaded.set(b, await b.loaded())));
  return swapDiskBinaries(value, (b) => loaded.get(b)) as T;
}
