/**
 * mingo, configured for bson values. mingo's default entry points merge a caller's operators
 * *under* its own (Context.from keeps the first definition), so overriding $type and the
 * comparisons takes the base classes with a context we assemble; they are only published as
 * package `exports`, which TypeScript's "node" resolution cannot see, hence the typed requires.
 */
import { Binary } from 'bson';
import { Context, ProcessingMode } from 'mingo';
import { holdsDiskBinary, swapDiskBinaries } from '../disk-binary';
import { bsonTypeOf, holdsBsonNumber, keyString, plainNumbers, valuesAtPath } from './bson-values';
import { collatedEqual, parseCollation } from './collation';
import { CommandError } from './errors';
import type { Document } from '../types';

const { Query } = require('mingo/query') as typeof import('mingo/types/query');
const { Aggregator } = require('mingo/aggregator') as typeof import('mingo/types/aggregator');
const { update: baseUpdate } = require('mingo/updater') as typeof import('mingo/types/updater');
const { resolve } = require('mingo/util') as typeof import('mingo/types/util');
const queryOps = require('mingo/operators/query') as Record<string, QueryOperator>;
/* eslint-enable @typescript-eslint/no-require-imports */

export { Aggregator, Query };
export type MingoOptions = NonNullable<ConstructorParameters<typeof Query>[1]>;
type QueryOperator = (selector: string, value: unknown, options: MingoOptions) => (obj: Document) => boolean;

/** MongoDB's $type numbers and aliases (the query operator accepts either). */
const TYPE_ALIASES: Record<string, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 6: 'undefined', 7: 'objectId',
  8: 'bool', 9: 'date', 10: 'null', 11: 'regex', 13: 'javascript', 16: 'int', 17: 'timestamp',
  18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};

const BSON_TYPE_NAMES: Record<string, string> = {
  ObjectId: 'objectId', Binary: 'binData', Long: 'long', Int32: 'int', Double: 'double',
  Decimal128: 'decimal', Timestamp: 'timestamp', MinKey: 'minKey', MaxKey: 'maxKey',
  BSONRegExp: 'regex', Code: 'javascript', BSONSymbol: 'symbol', DBRef: 'object',
};

/** The $type names one value answers to (a JS number may have been an int or a double on the wire). */
function typeNames(v: unknown): string[] {
  if (v === null) return ['null'];
  if (v === undefined) return [];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool'];
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return ['double', 'number'];
    return Math.abs(v) <= 0x7fffffff ? ['double', 'int', 'number'] : ['double', 'long', 'number'];
  }
  if (Array.isArray(v)) return ['array'];
  if (v instanceof Date) return ['date'];
  if (v instanceof RegExp) return ['regex'];
  const bt = bsonTypeOf(v);
  if (bt !== undefined) {
    const name = BSON_TYPE_NAMES[bt] ?? bt;
    return ['long', 'int', 'double', 'decimal'].includes(name) ? [name, 'number'] : [name];
  }
  return ['object'];
}

/** mingo's own $type knows no ObjectId, Binary or Long; this one knows every type bson deserialises. */
const $type: QueryOperator = (selector, spec) => {
  const types = (Array.isArray(spec) ? spec : [spec]).map((t) => TYPE_ALIASES[String(t)] ?? String(t));
  const matches = (v: unknown): boolean => typeNames(v).some((n) => types.includes(n));
  return (obj) => valuesAtPath(obj, selector).some((v) => matches(v) || (Array.isArray(v) && v.some(matches)));
};

/** Binaries kept on disk read in, for an operator that compares their bytes (mingo compares Binary to Binary only). */
const withBytes = (v: unknown): unknown => (holdsDiskBinary(v) ? swapDiskBinaries(v, (b) => new Binary(b.buffer, b.sub_type)) : v);

/**
 * Wraps a comparison so that bson numbers (as values in the query or in the document) compare
 * numerically with plain numbers, and binaries kept on disk by their bytes; documents without
 * either take mingo's path unchanged.
 */
function numericAware(base: QueryOperator): QueryOperator {
  return (selector, value, options) => {
    const direct = base(selector, plainNumbers(value), options);
    const viaCopy = base('v', plainNumbers(value), options);
    return (obj) => {
      const values = valuesAtPath(obj, selector);
      if (!values.some(holdsBsonNumber) && !values.some(holdsDiskBinary)) return direct(obj);
      return viaCopy({ v: plainNumbers(withBytes(resolve(obj, selector, { unwrapArray: true }))) });
    };
  };
}

/**
 * $in by canonical key: mingo's hashes the whole list for every document (an $in of 200 ObjectIds
 * over a few thousand documents took a second). Here the list becomes a Set once; a document
 * matches when a value at the path (or an element of an array there) is in it, a regex in the
 * list matches one of its strings, or null in the list meets a missing field, as in MongoDB.
 */
const $in: QueryOperator = (selector, list) => {
  if (!Array.isArray(list)) throw new CommandError('BadValue', '$in needs an array');
  const keys = new Set(list.filter((v) => !(v instanceof RegExp)).map(keyString));
  const patterns = list.filter((v): v is RegExp => v instanceof RegExp);
  const hit = (v: unknown): boolean =>
    keys.has(keyString(v)) || (typeof v === 'string' && patterns.some((re) => re.test(v)));
  return (obj) => valuesAtPath(obj, selector).some((v) => hit(v) || (Array.isArray(v) && v.some(hit)));
};
const $nin: QueryOperator = (selector, list, options) => {
  const inList = $in(selector, list, options);
  return (obj) => !inList(obj);
};

/** String equality under a collation; filters are rewritten to it by collateFilter (collation.ts). */
const $collated: QueryOperator = (selector, spec) => {
  const { op, value, collation } = spec as { op: string; value: unknown; collation: Document };
  const c = parseCollation(collation)!;
  const list = op === '$in' || op === '$nin' ? (value as unknown[]) : [value];
  const hit = (v: unknown): boolean => list.some((w) => collatedEqual(v, w, c, (x, y) => keyString(x) === keyString(y)));
  const matches = (obj: Document): boolean => valuesAtPath(obj, selector).some((v) => hit(v) || (Array.isArray(v) && v.some(hit)));
  return op === '$ne' || op === '$nin' ? (obj) => !matches(obj) : matches;
};

const overrides: Record<string, QueryOperator> = { $type, $in, $nin, $collated };
for (const op of ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']) overrides[op] = numericAware(queryOps[op]);

const engineContext = Context.init({
  accumulator: require('mingo/operators/accumulator'),
  expression: require('mingo/operators/expression'),
  pipeline: require('mingo/operators/pipeline'),
  projection: require('mingo/operators/projection'),
  query: { ...queryOps, ...overrides } as never,
  window: require('mingo/operators/window'),
});
/* eslint-enable @typescript-eslint/no-require-imports */

const baseOptions = {
  context: engineContext,
  processingMode: ProcessingMode.CLONE_OFF,
  useStrictMode: true,
  idKey: '_id',
  scriptEnabled: false, // no $where/$function: a database reachable by clients must not run their code
  failOnError: true,
} as MingoOptions;

/**
 * mingo copies every operator table (hundreds of entries) whenever it is handed plain options,
 * which dominated the cost of a one-document update. Handed its own internal options object,
 * it reuses it; mingo does not export that class, so we capture one instance through a
 * throwaway query operator at start-up.
 */
const prepared: MingoOptions = (() => {
  let captured: MingoOptions | undefined;
  const capture = Context.init({ query: { $captureOptions: ((_s: string, _v: unknown, o: MingoOptions) => ((captured = o), () => true)) as never } });
  new Query({ x: { $captureOptions: 1 } }, { ...baseOptions, context: Context.from(engineContext, capture) } as MingoOptions);
  if (!captured) throw new Error('mingo options could not be prepared');
  return captured;
})();

/** Options for every mingo call: our operator context, and whatever the caller adds (resolver, let). */
export function mingoOptions(extra?: Partial<MingoOptions>): MingoOptions {
  return extra && Object.keys(extra).length ? ({ ...baseOptions, ...extra } as MingoOptions) : prepared;
}

/** mingo's updater with our context (for the positional `$`, which re-runs the query). */
export function updateInPlace(doc: Document, modifier: Document, arrayFilters: Document[], condition: Document | undefined): string[] {
  return baseUpdate(doc, modifier as never, arrayFilters, condition, { cloneMode: 'deep', queryOptions: prepared });
}

/** find-style selection with an optional projection: `find(docs, filter, projection)` on the base Query. */
export function mingoFind(docs: Document[], filter: Document, projection?: Document) {
  return new Query(filter, prepared).find(docs, projection);
}
