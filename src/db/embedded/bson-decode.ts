/**
 * How both the wire and the journal decode BSON: Long and Double stay typed (so `{$type: 'long'}`
 * finds a Long and a double 2.0 comes back a double), while int32 becomes a plain number, which
 * bson writes back as int32. Shared so that a value reads back the same after a restart.
 */
import { BSON, Int32 } from 'bson';
import type { Document } from './types';

const TYPED = { promoteLongs: false, promoteValues: false, promoteBuffers: false } as const;

function unwrap(value: unknown): unknown {
  if (value instanceof Int32) return value.value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unwrap(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const doc = value as Document;
    for (const key of Object.keys(doc)) doc[key] = unwrap(doc[key]);
  }
  return value;
}

export function decodeDocument(bytes: Uint8Array): Document {
  return unwrap(BSON.deserialize(bytes, TYPED)) as Document;
}
