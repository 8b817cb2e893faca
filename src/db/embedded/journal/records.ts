/**
 * The on-disk record: uint32 body length, uint32 CRC-32 of the body, then the body, which is one or
 * more BSON documents back to back. One record is one persist call, so a command's ops replay
 * together or not at all. Snapshots and journals share this format.
 */
import { BSON } from 'bson';
import zlib from 'node:zlib';
import { decodeDocument } from '../bson-decode';
import { holdsDiskBinary, swapDiskBinaries } from '../disk-binary';
import type { Document } from '../types';
import type { BlobStore } from './blobs';

export const RECORD_HEADER_SIZE = 8;

/**
 * An op as records hold it: a put's on-disk binaries become null in the document and are listed
 * beside it in `blobs` (path, SHA-256, length, subtype). Kept outside the document, a reference
 * cannot be confused with, or forged by, a client's own value. `refs` collects the files referred to.
 */
export function recordOp(op: Document, refs?: Set<string>): Document {
  if (op.op !== 'put' || !holdsDiskBinary(op.doc)) return op;
  const blobs: Document[] = [];
  const doc = swapDiskBinaries(op.doc, (b, p) => {
    blobs.push({ p, h: b.sha, n: b.position, t: b.sub_type });
    refs?.add(b.sha);
    return null;
  });
  return { ...op, doc, blobs };
}

/** The op back as the engine applies it: its references become DiskBinary values of `store`. */
export function attachBlobs(op: Document, store: BlobStore): Document {
  if (op.op !== 'put' || !Array.isArray(op.blobs)) return op;
  const { blobs, ...rest } = op;
  for (const { p, h, n, t } of blobs as Array<{ p: string[]; h: string; n: number; t: number }>) {
    let parent = rest.doc as Document;
    for (const key of p.slice(0, -1)) parent = parent[key] as Document;
    parent[p[p.length - 1]] = store.ref(h, n, t);
  }
  return rest;
}

export function encodeRecord(docs: readonly Document[]): Buffer {
  return recordOf(docs.map((doc) => BSON.serialize(doc)));
}

/** A record from documents already serialised (the snapshot sizes its records by real bytes). */
export function recordOf(serialised: readonly Uint8Array[]): Buffer {
  const parts: Uint8Array[] = [Buffer.alloc(RECORD_HEADER_SIZE), ...serialised];
  let length = 0;
  for (const bytes of serialised) length += bytes.length;
  const record = Buffer.concat(parts, RECORD_HEADER_SIZE + length);
  record.writeUInt32LE(length, 0);
  record.writeUInt32LE(zlib.crc32(record.subarray(RECORD_HEADER_SIZE)), 4);
  return record;
}

export function decodeRecordBody(body: Buffer): Document[] {
  const docs: Document[] = [];
  let offset = 0;
  while (offset < body.length) {
    const size = body.length - offset >= 4 ? body.readInt32LE(offset) : 0;
    if (size < 5 || offset + size > body.length) throw new Error(`bad BSON size ${size} at ${offset}`);
    docs.push(decodeDocument(body.subarray(offset, offset + size))); // replay rebuilds exactly what the engine held
    offset += size;
  }
  return docs;
}

export interface ScanResult {
  records: Document[][];
  /** Offset just past the last whole record: anything beyond it is a torn tail to cut away. */
  validLength: number;
  /** Why the tail was dropped, when it was. */
  tornTail?: string;
}

/** The file was damaged somewhere other than its tail: opening it would silently lose writes. */
export class CorruptFileError extends Error {}

/** Whether a whole, checksummed record can be read anywhere in the chain of records starting at `from`. */
function validRecordFollows(file: Buffer, from: number): boolean {
  let offset = from;
  while (file.length - offset >= RECORD_HEADER_SIZE) {
    const length = file.readUInt32LE(offset);
    const end = offset + RECORD_HEADER_SIZE + length;
    if (length === 0 || end > file.length) return false;
    if (zlib.crc32(file.subarray(offset + RECORD_HEADER_SIZE, end)) === file.readUInt32LE(offset + 4)) return true;
    offset = end;
  }
  return false;
}

/**
 * Reads every whole record. A bad record (short, bad length, bad checksum) with no good record
 * after it is what a crash mid-append leaves, and is reported as a torn tail to cut away; a bad
 * record followed by good ones is damage to acknowledged writes, and is refused rather than dropped.
 */
export function scanRecords(file: Buffer, name: string): ScanResult {
  const records: Document[][] = [];
  let offset = 0;
  while (offset < file.length) {
    const remaining = file.length - offset;
    if (remaining < RECORD_HEADER_SIZE) {
      return { records, validLength: offset, tornTail: `${remaining} bytes of a record header at offset ${offset}` };
    }
    const length = file.readUInt32LE(offset);
    const end = offset + RECORD_HEADER_SIZE + length;
    const whole = length > 0 && end <= file.length;
    if (!whole || zlib.crc32(file.subarray(offset + RECORD_HEADER_SIZE, end)) !== file.readUInt32LE(offset + 4)) {
      if (whole && validRecordFollows(file, end)) {
        throw new CorruptFileError(`${name}: checksum mismatch at offset ${offset} with good records after it`);
      }
      const why = whole ? 'checksum mismatch' : `length ${length} with ${remaining} bytes left`;
      return { records, validLength: offset, tornTail: `${why} in the last record at offset ${offset}` };
    }
    const body = file.subarray(offset + RECORD_HEADER_SIZE, end);
    try {
      records.push(decodeRecordBody(body));
    } catch (err) {
      throw new CorruptFileError(`${name}: record at offset ${offset} has a valid checksum but bad BSON (${(err as Error).message})`);
    }
    offset = end;
  }
  return { records, validLength: offset };
}
