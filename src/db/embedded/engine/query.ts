import type { Document } from '../types';
import { holdsBsonNumber, isPlainObject, plainNumbers, valuesAtPath } from './bson-values';
import { CommandError, toCommandError } from './errors';
import { collateFilter, parseCollation, type Collation } from './collation';
import { Aggregator, Query, mingoFind, mingoOptions } from './mingo-options';
import type { Collection } from './store/collection';
import { splitText } from './text-search';
import { firstSorted } from './sorted-select';

export interface SelectOptions {
  sort?: Document;
  skip?: number;
  limit?: number; // 0 or absent = no limit
  variables?: Document; // the command's `let`
  collation?: Collation;
  hint?: unknown;
}

export function compileFilter(filter: unknown, opts: Pick<SelectOptions, 'variables' | 'collation'> = {}): InstanceType<typeof Query> {
  if (filter !== undefined && filter !== null && !isPlainObject(filter)) {
    throw new CommandError('TypeMismatch', "BSON field 'filter' is the wrong type, expected type 'object'");
  }
  if (opts.variables !== undefined && !isPlainObject(opts.variables)) throw new CommandError('TypeMismatch', "BSON field 'let' is the wrong type, expected type 'object'");
  try {
    const options = opts.variables ? mingoOptions({ variables: opts.variables }) : mingoOptions();
    return new Query(collateFilter((filter ?? {}) as Document, opts.collation), options);
  } catch (err) {
    throw toCommandError(err);
  }
}

/** `let` values are expressions, evaluated once before the command runs (as MongoDB does). */
export function evaluateLet(raw: unknown): Document | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new CommandError('TypeMismatch', "BSON field 'let' is the wrong type, expected type 'object'");
  if (Object.keys(raw).length === 0) return undefined;
  try {
    return new Aggregator([{ $replaceWith: raw }], mingoOptions()).run([{}])[0] as Document;
  } catch (err) {
    throw toCommandError(err);
  }
}

/** A hint must name an existing index (by name or key pattern) or be $natural; MongoDB refuses anything else. */
export function checkHint(coll: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || !coll) return;
  if (typeof hint === 'string') {
    if (coll.indexSpecs().some((s) => s.name === hint)) return;
  } else if (isPlainObject(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0) return; // an empty hint means none
    if (keys.length === 1 && keys[0] === '$natural') return;
    const wanted = JSON.stringify(plainNumbers(hint));
    if (coll.indexSpecs().some((s) => JSON.stringify(plainNumbers(s.key)) === wanted)) return;
  } else throw new CommandError('FailedToParse', 'hint must be a string or an object');
  throw new CommandError('BadValue', 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
}

/** Sort keys mingo can follow; $natural and {$meta: ...} are MongoDB-only hints we ignore. */
function usableSort(sort: Document | undefined): Record<string, 1 | -1> | undefined {
  if (!sort) return undefined;
  const out: Record<string, 1 | -1> = {};
  for (const [k, v] of Object.entries(sort)) {
    if (k === '$natural' || isPlainObject(v)) continue;
    out[k] = Number(v) < 0 ? -1 : 1;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * mingo's sort; mingo orders two Longs by their decimal strings, so when a sort key holds bson
 * numbers we sort stand-ins with plain numbers and map them back to the stored documents.
 */
function sorted(docs: Document[], sort: Record<string, 1 | -1>, collation?: Collation): Document[] {
  const keys = Object.keys(sort);
  const cursor = (items: Document[]) => {
    const c = mingoFind(items, {});
    return collation ? c.collation(collation.spec as never) : c;
  };
  if (!docs.some((d) => keys.some((k) => valuesAtPath(d, k).some(holdsBsonNumber)))) {
    return cursor(docs).sort(sort).all() as Document[];
  }
  const original = new Map(docs.map((d) => [plainNumbers(d) as Document, d]));
  return (cursor([...original.keys()]).sort(sort).all() as Document[]).map((s) => original.get(s) as Document);
}

/** Stored documents matching `filter`, in sort (else natural) order: callers copy before returning them. */
export function selectDocs(coll: Collection | undefined, given: Document | undefined, opts: SelectOptions = {}): Document[] {
  if (!coll && given && '$text' in given) throw new CommandError('IndexNotFound', 'text index required for $text query');
  const { rest: filter, test: textTest } = splitText(given, () => coll?.indexSpecs() ?? []); // $text: text-search.ts
  if (!coll) {
    compileFilter(filter, opts);
    return [];
  }
  if (opts.collation === undefined && coll.options.collation) opts = { ...opts, collation: parseCollation(coll.options.collation) }; // the collection's default
  const query = compileFilter(filter, opts);
  checkHint(coll, opts.hint);
  // string equalities under a collation cannot use the binary index keys
  const candidates = opts.collation ? coll.documents() : coll.candidates(filter ?? {});
  return selectFrom(candidates, query, opts, textTest);
}

/** Filters, sorts and pages documents already gathered (a view's output, or a collection's candidates). */
export function selectFrom(candidates: Document[], query: InstanceType<typeof Query>, opts: SelectOptions = {}, textTest?: (d: Document) => boolean): Document[] {
  try {
    const matches = (d: Document) => query.test(d) && (!textTest || textTest(d));
    const sort = usableSort(opts.sort);
    const skip = Math.max(0, opts.skip ?? 0);
    const limit = Math.abs(opts.limit ?? 0);
    const fast = sort && limit && !opts.collation ? firstSorted(candidates, sort, skip + limit, matches) : undefined; // perf: sorted-select.ts
    if (fast) return fast.slice(skip);
    let docs = candidates.filter(matches);
    if (sort) docs = sorted(docs, sort, opts.collation);
    return limit ? docs.slice(skip, skip + limit) : skip ? docs.slice(skip) : docs;
  } catch (err) {
    throw toCommandError(err);
  }
}
