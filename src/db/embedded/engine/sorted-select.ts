/**
 * A fast path for "sort, then take the first few": when every candidate holds, at each sort key, one value
 * of a single simple type (all Dates, all ObjectIds or all plain numbers), the candidates are ordered by
 * native comparison of those values and the filter is tested only until `limit` documents match. Listing the
 * newest 20 of 5,000 posts then tests a few dozen documents instead of 5,000 and skips mingo's sort. Any other
 * shape (arrays, missing fields, mixed or other types) returns undefined and takes the general path.
 */
import type { Document } from '../types';
import { bsonTypeOf } from './bson-values';

type Key = number | string;

function simpleKey(v: unknown): { type: string; key: Key } | undefined {
  if (v instanceof Date) return { type: 'date', key: v.getTime() };
  if (typeof v === 'number' && Number.isFinite(v)) return { type: 'number', key: v };
  if (bsonTypeOf(v) === 'ObjectId') return { type: 'oid', key: (v as { toHexString(): string }).toHexString() };
  return undefined;
}

export function firstSorted(docs: Document[], sort: Record<string, 1 | -1>, limit: number, test: (d: Document) => boolean): Document[] | undefined {
  const fields = Object.keys(sort);
  // top-level fields only: dotted paths may cross arrays, which MongoDB orders by their smallest/largest element
  if (!limit || docs.length < 64 || fields.some((f) => f.includes('.'))) return undefined;
  const types: string[] = [];
  const rows: Array<{ keys: Key[]; doc: Document }> = [];
  for (const doc of docs) {
    const keys: Key[] = [];
    for (let i = 0; i < fields.length; i += 1) {
      const k = simpleKey(doc[fields[i]]);
      if (!k || (types[i] !== undefined && types[i] !== k.type)) return undefined;
      types[i] = k.type;
      keys.push(k.key);
    }
    rows.push({ keys, doc });
  }
  const dirs = fields.map((f) => sort[f]);
  rows.sort((a, b) => {
    for (let i = 0; i < dirs.length; i += 1) {
      if (a.keys[i] !== b.keys[i]) return (a.keys[i] < b.keys[i] ? -1 : 1) * dirs[i];
    }
    return 0; // a stable sort keeps natural order among equals
  });
  const out: Document[] = [];
  for (const row of rows) {
    if (test(row.doc)) out.push(row.doc);
    if (out.length === limit) break;
  }
  return out;
}
