import type { Document } from '../types';
import { cloneDoc, isPlainObject } from './bson-values';
import { CommandError, toCommandError } from './errors';
import { mingoFind } from './mingo-options';
import { compileFilter } from './query';

/**
 * mingo has no positional projection (`"items.$": 1`, which needs the query): we turn it into a
 * per-document `$slice` of the first element that satisfies the filter's conditions on that array.
 */
function positionalProjection(doc: Document, projection: Document, filter: Document): Document {
  const out: Document = {};
  for (const [key, value] of Object.entries(projection)) {
    if (!key.endsWith('.$')) {
      out[key] = value;
      continue;
    }
    const field = key.slice(0, -2);
    const conditions = Object.fromEntries(Object.entries(filter).filter(([k]) => k === field || k.startsWith(`${field}.`)));
    const list = field.split('.').reduce<unknown>((v, part) => (isPlainObject(v) ? v[part] : undefined), doc);
    if (!Array.isArray(list) || Object.keys(conditions).length === 0) throw new CommandError('BadValue', 'Executor error during find command :: caused by :: positional operator \'.$\' couldn\'t find a matching element in the array');
    const test = compileFilter(conditions);
    const at = list.findIndex((el) => test.test(setAt(field, [el])));
    if (at < 0) throw new CommandError('BadValue', "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
    out[field] = { $slice: [at, 1] };
  }
  return out;
}

function setAt(path: string, value: unknown): Document {
  return path.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Document;
}

const isSlice = (v: unknown): boolean => isPlainObject(v) && '$slice' in v;
const isInclusion = (k: string, v: unknown): boolean => k !== '_id' && !isSlice(v) && v !== 0 && v !== false;

/**
 * perf: most projections name top-level fields only (`{ pathway: 1 }`, mongoose's `-__v -_id`), which need no
 * mingo: keep (or drop) those fields in the document's own order, `_id` kept unless excluded, as MongoDB does.
 * Anything else (dotted paths, $slice, expressions, a mix) answers undefined and goes to mingo.
 */
function topLevelProjection(doc: Document, entries: Array<[string, unknown]>): Document | undefined {
  let keepId = true;
  let mode: 'include' | 'exclude' | undefined;
  const fields = new Set<string>();
  for (const [key, value] of entries) {
    if (key.includes('.') || key.startsWith('$')) return undefined;
    const flag = value === 1 || value === true ? 1 : value === 0 || value === false ? 0 : undefined;
    if (flag === undefined) return undefined;
    if (key === '_id') {
      keepId = flag === 1;
      continue;
    }
    const m = flag === 1 ? 'include' : 'exclude';
    if (mode && mode !== m) return undefined; // MongoDB refuses the mix; mingo says so
    mode = m;
    fields.add(key);
  }
  if (!mode) mode = keepId ? 'include' : 'exclude'; // `{ _id: 1 }` alone keeps only _id; `{ _id: 0 }` drops only it
  const out: Document = {};
  for (const key of Object.keys(doc)) {
    const kept = key === '_id' ? keepId : mode === 'include' ? fields.has(key) : !fields.has(key);
    if (kept) out[key] = doc[key];
  }
  return out;
}

/**
 * mingo counts `{items: {$slice: n}}` as an inclusion; in MongoDB it keeps every other field
 * unless something else is included. So without inclusions we project the rest, then copy in
 * each sliced field as mingo computes it alone.
 */
function projectOne(doc: Document, projection: Document): Document {
  const entries = Object.entries(projection);
  const simple = topLevelProjection(doc, entries);
  if (simple) return simple;
  if (!entries.some(([, v]) => isSlice(v)) || entries.some(([k, v]) => isInclusion(k, v))) {
    return mingoFind([doc], {}, projection).all()[0] as Document;
  }
  const rest = Object.fromEntries(entries.filter(([, v]) => !isSlice(v)));
  const base = Object.keys(rest).length ? (mingoFind([doc], {}, rest).all()[0] as Document) : cloneDoc(doc);
  for (const [path, spec] of entries.filter(([, v]) => isSlice(v))) {
    const sliced = mingoFind([doc], {}, { [path]: spec }).all()[0] as Document;
    const parts = path.split('.');
    let from: unknown = sliced;
    let to: Document = base;
    for (const part of parts.slice(0, -1)) {
      from = isPlainObject(from) ? from[part] : undefined;
      if (!isPlainObject(to[part])) break;
      to = to[part] as Document;
    }
    const last = parts[parts.length - 1];
    if (isPlainObject(from) && from[last] !== undefined) to[last] = from[last];
  }
  return base;
}

/** Copies of `docs` with a find-style projection applied (`filter` serves the positional `$`). */
export function project(docs: Document[], projection: Document | undefined, filter: Document = {}): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs.map(cloneDoc);
  try {
    const positional = Object.keys(projection).some((k) => k.endsWith('.$'));
    // the positional `$` is an inclusion, which is how mingo reads the $slice standing in for it
    const one = (d: Document): Document =>
      positional ? (mingoFind([d], {}, positionalProjection(d, projection, filter)).all()[0] as Document) : projectOne(d, projection);
    return docs.map((d) => cloneDoc(one(d)));
  } catch (err) {
    throw toCommandError(err);
  }
}
