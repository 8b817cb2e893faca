import type { Document } from '../types';
import { holdsBsonNumber, isPlainObject, plainNumbers, valuesAtPath } from './bson-values';
import { CommandError, toCommandError } from './errors';
import { Query, mingoFind, mingoOptions } from './mingo-options';
import type { Collection } from './store/collection';
import { splitText } from './text-search';
import { firstSorted } from './sorted-select';

export interface SelectOptions {
  sort?: Document;
  skip?: number;
  limit?: number; // 0 or absent = no limit
}

export function compileFilter(filter: unknown): InstanceType<typeof Query> {
  if (filter !== undefined && filter !== null && !isPlainObject(filter)) {
    throw new CommandError('TypeMismatch', "BSON field 'filter' is the wrong type, expected type 'object'");
  }
  try {
    return new Query((filter ?? {}) as Document, mingoOptions());
  } catch (err) {
    throw toCommandError(err);
  }
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
function sorted(docs: Document[], sort: Record<string, 1 | -1>): Document[] {
  const keys = Object.keys(sort);
  if (!docs.some((d) => keys.some((k) => valuesAtPath(d, k).some(holdsBsonNumber)))) {
    return mingoFind(docs, {}).sort(sort).all() as Document[];
  }
  const original = new Map(docs.map((d) => [plainNumbers(d) as Document, d]));
  return (mingoFind([...original.keys()], {}).sort(sort).all() as Document[]).map((s) => original.get(s) as Document);
}

/** Stored documents matching `filter`, in sort (else natural) order: callers copy before returning them. */
export function selectDocs(coll: Collection | undefined, given: Document | undefined, opts: SelectOptions = {}): Document[] {
  if (!coll && given && '$text' in given) throw new CommandError('IndexNotFound', 'text index required for $text query');
  const { rest: filter, test: textTest } = splitText(given, () => coll?.indexSpecs() ?? []); // $text: text-search.ts
  const query = compileFilter(filter);
  if (!coll) return [];
  const candidates = coll.candidates(filter ?? {});
  try {
    const matches = (d: Document) => query.test(d) && (!textTest || textTest(d));
    const sort = usableSort(opts.sort);
    const skip = Math.max(0, opts.skip ?? 0);
    const limit = Math.abs(opts.limit ?? 0);
    const fast = sort && limit ? firstSorted(candidates, sort, skip + limit, matches) : undefined; // perf: sorted-select.ts
    if (fast) return fast.slice(skip);
    let docs = candidates.filter(matches);
    if (sort) docs = sorted(docs, sort);
    return limit ? docs.slice(skip, skip + limit) : skip ? docs.slice(skip) : docs;
  } catch (err) {
    throw toCommandError(err);
  }
}
