/**
 * The unified test format's matching rules: root-level documents may carry extra fields, nested ones may
 * not (unless $$matchAsRoot); arrays match element by element and in length; numbers of any BSON numeric
 * type match by value; the special operators ($$exists, $$type, $$unsetOrMatches, $$sessionLsid, ...).
 */
import { Binary, Decimal128, Double, EJSON, Int32, Long, ObjectId, Timestamp } from 'bson';

export type Entities = Map<string, unknown>;

export class Mismatch extends Error {}

const isNumeric = (v: unknown): boolean =>
  typeof v === 'number' || v instanceof Int32 || v instanceof Double || v instanceof Long || typeof v === 'bigint';
const numberOf = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number((v as { valueOf(): unknown }).valueOf()));

export const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const show = (v: unknown): string => {
  try {
    return EJSON.stringify(v as never, { relaxed: true }).slice(0, 300);
  } catch {
    return String(v);
  }
};

/** The BSON type names $$type accepts, for a value as the driver returned it (promoted numbers included). */
function typeNames(v: unknown): string[] {
  if (v === null) return ['null'];
  if (v === undefined) return ['undefined'];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool'];
  if (v instanceof Int32) return ['int', 'number'];
  if (v instanceof Long || typeof v === 'bigint') return ['long', 'number'];
  if (v instanceof Double) return ['double', 'number'];
  if (typeof v === 'number') {
    // the driver promotes int32, int64 and double alike to a JS number: an integer may have been any of them
    return Number.isInteger(v) ? ['int', 'long', 'double', 'number'] : ['double', 'number'];
  }
  if (v instanceof Decimal128) return ['decimal', 'number'];
  if (v instanceof ObjectId) return ['objectId'];
  if (v instanceof Date) return ['date'];
  if (v instanceof Binary) return ['binData'];
  if (v instanceof Timestamp) return ['timestamp'];
  if (v instanceof RegExp || (v as { _bsontype?: string })._bsontype === 'BSONRegExp') return ['regex'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'object') return ['object'];
  return [typeof v];
}

function special(expected: Record<string, unknown>): string | undefined {
  const keys = Object.keys(expected);
  return keys.length === 1 && keys[0].startsWith('$$') ? keys[0] : undefined;
}

/** Throws a Mismatch naming the path when `actual` does not match `expected`. */
export function match(expected: unknown, actualValue: unknown, entities: Entities, root = true, path = '$'): void {
  // the driver builds some command fields (sort, index keys) as Maps: they are documents too
  const actual = actualValue instanceof Map ? Object.fromEntries(actualValue) : actualValue;
  if (isPlain(expected)) {
    const op = special(expected);
    if (op) return matchOperator(op, expected[op], actual, entities, root, path);
    if (!isPlain(actual) && !(typeof actual === 'object' && actual !== null && !Array.isArray(actual) && !(actual as { _bsontype?: string })._bsontype)) {
      throw new Mismatch(`${path}: expected a document, got ${show(actual)}`);
    }
    const a = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      if (isPlain(value) && special(value) === '$$exists') {
        if ((key in a && a[key] !== undefined) !== value.$$exists) throw new Mismatch(`${path}.${key}: expected ${value.$$exists ? 'present' : 'absent'}`);
        continue;
      }
      if (isPlain(value) && special(value) === '$$unsetOrMatches' && !(key in a && a[key] !== undefined)) continue;
      if (!(key in a)) throw new Mismatch(`${path}.${key}: missing (actual ${show(actual)})`);
      match(value, a[key], entities, false, `${path}.${key}`);
    }
    if (!root) {
      const extra = Object.keys(a).filter((k) => !(k in expected) && a[k] !== undefined);
      if (extra.length) throw new Mismatch(`${path}: unexpected fields ${extra.join(', ')} in ${show(actual)}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new Mismatch(`${path}: expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length) throw new Mismatch(`${path}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`);
    expected.forEach((e, i) => match(e, actual[i], entities, root && isPlain(e), `${path}[${i}]`));
    return;
  }
  if (isNumeric(expected)) {
    if (!isNumeric(actual) || numberOf(expected) !== numberOf(actual)) throw new Mismatch(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (!sameScalar(expected, actual)) throw new Mismatch(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

function sameScalar(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined ? expected === actual || expected === null : false;
  if (typeof expected !== 'object') return expected === actual;
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  if (actual === null || typeof actual !== 'object') return false;
  return EJSON.stringify(expected as never, { relaxed: false }) === EJSON.stringify(actual as never, { relaxed: false });
}

function matchOperator(op: string, arg: unknown, actual: unknown, entities: Entities, root: boolean, path: string): void {
  switch (op) {
    case '$$exists':
      if ((actual !== undefined) !== arg) throw new Mismatch(`${path}: expected ${arg ? 'present' : 'absent'}`);
      return;
    case '$$type': {
      const wanted = Array.isArray(arg) ? arg.map(String) : [String(arg)];
      if (!typeNames(actual).some((t) => wanted.includes(t))) throw new Mismatch(`${path}: expected type ${wanted.join('|')}, got ${show(actual)}`);
      return;
    }
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      return match(arg, actual, entities, root, path);
    case '$$matchesEntity':
      return match(entities.get(String(arg)), actual, entities, root, path);
    case '$$matchesHexBytes': {
      const hex = actual instanceof Binary ? Buffer.from(actual.buffer).toString('hex') : Buffer.isBuffer(actual) ? actual.toString('hex') : '';
      if (hex !== String(arg).toLowerCase()) throw new Mismatch(`${path}: bytes differ`);
      return;
    }
    case '$$sessionLsid': {
      const session = entities.get(String(arg)) as { id?: unknown } | undefined;
      if (!session?.id) throw new Mismatch(`${path}: no session ${String(arg)}`);
      return match(session.id, actual, entities, false, path);
    }
    case '$$lte':
      if (!isNumeric(actual) || numberOf(actual) > numberOf(arg)) throw new Mismatch(`${path}: expected <= ${show(arg)}, got ${show(actual)}`);
      return;
    case '$$matchAsDocument': {
      if (typeof actual !== 'string') throw new Mismatch(`${path}: expected a JSON string, got ${show(actual)}`);
      return match(arg, EJSON.parse(actual, { relaxed: false }), entities, false, path);
    }
    case '$$matchAsRoot':
      return match(arg, actual, entities, true, path);
    default:
      throw new Mismatch(`${path}: unsupported operator ${op}`);
  }
}
