import { Binary, ObjectId, UUID } from 'bson';
import { DiskBinary } from '../disk-binary';
import type { Document } from '../types';

/**
 * Helpers for values as `bson` deserialises them. Types are recognised by `_bsontype` rather than
 * `instanceof`, because a test or a client library may hold its own copy of the bson package.
 */
export function bsonTypeOf(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const t = (v as { _bsontype?: unknown })._bsontype;
  return typeof t === 'string' ? t : undefined;
}

export function isPlainObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Long, Int32, Double and Decimal128 as a JS number (for ordering and numeric $type checks). */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  switch (bsonTypeOf(v)) {
    case 'Long':
      return (v as { toNumber(): number }).toNumber();
    case 'Int32':
    case 'Double':
      return Number((v as { value: number }).value);
    case 'Decimal128':
      return Number(String(v));
    default:
      return undefined;
  }
}

function copyBinary(v: Binary): Binary {
  const bytes = Buffer.from(v.buffer.subarray(0, v.position));
  return v.sub_type === 4 && (v as unknown) instanceof UUID ? new UUID(bytes) : new Binary(bytes, v.sub_type);
}

/**
 * Deep copy for documents going into or out of the store, so that no caller shares an object
 * with stored state. Immutable bson values (ObjectId, Long, ...) are shared; Binary is copied
 * because its bytes are a mutable Buffer.
 */
export function cloneValue<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue) as unknown as T;
  if (v instanceof Date) return new Date(v.getTime()) as unknown as T;
  if (v instanceof RegExp) return new RegExp(v.source, v.flags) as unknown as T;
  if (Buffer.isBuffer(v)) return Buffer.from(v) as unknown as T;
  const bt = bsonTypeOf(v);
  if (bt === 'Binary' && v instanceof Binary) return (v instanceof DiskBinary ? v : copyBinary(v)) as unknown as T; // on-disk bytes are never changed: shared
  if (bt !== undefined) return v;
  const out: Document = {};
  for (const k of Object.keys(v as object)) out[k] = cloneValue((v as Document)[k]);
  return out as T;
}

export function cloneDoc(doc: Document): Document {
  return cloneValue(doc);
}

/**
 * A canonical string for a value, equal for values MongoDB considers equal in an index
 * (1, 1.0 and Long(1) alike; null and missing alike). Used as the key of index maps.
 */
export function keyString(v: unknown): string {
  if (v === undefined || v === null) return 'z';
  const num = numericValue(v);
  if (num !== undefined) return `n${Object.is(num, -0) ? 0 : num}`;
  switch (typeof v) {
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'boolean':
      return v ? 'bt' : 'bf';
    case 'bigint':
      return `n${v}`;
    default:
      break;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r/${v.source}/${v.flags}`;
  if (Array.isArray(v)) return `[${v.map(keyString).join(',')}]`;
  const bt = bsonTypeOf(v);
  if (bt === 'ObjectId') return `o${(v as ObjectId).toHexString()}`;
  if (bt === 'Binary') {
    const b = v as Binary;
    return `x${b.sub_type}:${Buffer.from(b.buffer.subarray(0, b.position)).toString('hex')}`;
  }
  if (bt !== undefined) return `${bt}:${String(v)}`;
  const obj = v as Document;
  return `{${Object.keys(obj)
    .map((k) => `${JSON.stringify(k)}:${keyString(obj[k])}`)
    .join(',')}}`;
}

/** A value as MongoDB prints it in an E11000 message: `{ email: "a@b.c" }`. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  const bt = bsonTypeOf(v);
  if (bt === 'ObjectId') return `ObjectId('${(v as ObjectId).toHexString()}')`;
  if (bt === 'Binary') {
    const b = v as Binary;
    if (b.sub_type === 4) return `UUID("${new UUID(Buffer.from(b.buffer.subarray(0, b.position))).toHexString(true)}")`;
    return `BinData(${b.sub_type}, ${Buffer.from(b.buffer.subarray(0, b.position)).toString('hex').toUpperCase()})`;
  }
  if (bt === 'Long' || bt === 'Int32' || bt === 'Double') return String(numericValue(v));
  if (bt !== undefined) return `${bt}("${String(v)}")`;
  if (typeof v === 'object') return formatDoc(v as Document);
  return String(v);
}

export function formatDoc(doc: Document): string {
  const keys = Object.keys(doc);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((k) => `${k}: ${formatValue(doc[k])}`).join(', ')} }`;
}

/** Reads a dotted path the way an index key does; arrays along the path yield every element's value. */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, i: number): void => {
    if (i === parts.length) {
      out.push(value);
      return;
    }
    if (Array.isArray(value)) {
      if (/^\d+$/.test(parts[i])) walk(value[Number(parts[i])], i + 1);
      else for (const el of value) walk(el, i);
      return;
    }
    if (value === null || typeof value !== 'object' || bsonTypeOf(value) !== undefined || value instanceof Date) {
      out.push(undefined);
      return;
    }
    walk((value as Document)[parts[i]], i + 1);
  };
  walk(doc, 0);
  return out;
}

/** True when the dotted path leads to a value (not undefined) somewhere in the document. */
export function hasPath(doc: unknown, path: string): boolean {
  return valuesAtPath(doc, path).some((v) => v !== undefined);
}

const isBsonNumber = (v: unknown): boolean => typeof v === 'object' && v !== null && numericValue(v) !== undefined;

/** True for a Long/Int32/Double/Decimal128, or an array holding one. */
export const holdsBsonNumber = (v: unknown): boolean => isBsonNumber(v) || (Array.isArray(v) && v.some(holdsBsonNumber));

/** A copy with Long, Int32, Double and Decimal128 as JS numbers, so mingo orders them among plain numbers. */
export function plainNumbers(v: unknown): unknown {
  if (isBsonNumber(v)) return numericValue(v);
  if (Array.isArray(v)) return v.map(plainNumbers);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainNumbers(x)]));
  return v;
}
