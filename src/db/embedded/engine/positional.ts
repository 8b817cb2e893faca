import type { Document } from '../types';
import { isPlainObject } from './bson-values';
import { CommandError } from './errors';
import { mingoFind } from './mingo-options';

/**
 * Resolves the positional `$` in update paths to the index of the first array element the query
 * matched, as MongoDB does, before mingo sees the update. mingo's own positional handling refuses
 * two paths under one `$` (`notes.$.a` and `notes.$.b`) as a conflict, which mongoose sends on every
 * subdocument update with timestamps.
 */
export function resolvePositional(doc: Document, modifier: Document, query: Document | undefined): Document {
  const resolved: Document = {};
  const indexByArray = new Map<string, number>();
  for (const [op, fields] of Object.entries(modifier)) {
    if (!isPlainObject(fields)) {
      resolved[op] = fields;
      continue;
    }
    const next: Document = {};
    for (const [path, value] of Object.entries(fields)) {
      const at = positionalAt(path);
      if (at < 0) {
        next[path] = value;
        continue;
      }
      const arrayPath = path.slice(0, at);
      let index = indexByArray.get(arrayPath);
      if (index === undefined) {
        index = matchedIndex(doc, arrayPath, query);
        indexByArray.set(arrayPath, index);
      }
      next[`${arrayPath}.${index}${path.slice(at + 2)}`] = value;
    }
    resolved[op] = next;
  }
  return resolved;
}

/** Where `.$` (not `.$[]` or `.$[id]`) starts in a path, or -1. */
function positionalAt(path: string): number {
  const match = /\.\$(?=\.|$)/.exec(path);
  return match ? match.index : -1;
}

function matchedIndex(doc: Document, arrayPath: string, query: Document | undefined): number {
  const array = valueAt(doc, arrayPath);
  if (query && mentionsPath(query, arrayPath) && Array.isArray(array)) {
    for (let i = 0; i < array.length; i += 1) {
      // The query matches this element alone exactly when it matched the document through it.
      if (mingoFind([withValueAt(doc, arrayPath, [array[i]])], query).all().length > 0) return i;
    }
  }
  throw new CommandError('BadValue', 'The positional operator did not find the match needed from the query.');
}

/** Whether the query has a condition on the array (only then can it have matched an element). */
function mentionsPath(query: Document, arrayPath: string): boolean {
  return Object.entries(query).some(([key, cond]) =>
    key === '$and' || key === '$or' || key === '$nor'
      ? Array.isArray(cond) && cond.some((clause) => isPlainObject(clause) && mentionsPath(clause, arrayPath))
      : key === arrayPath || key.startsWith(`${arrayPath}.`),
  );
}

function valueAt(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(value) && !Array.isArray(value)) return undefined;
    value = (value as Document)[part];
  }
  return value;
}

/** A shallow copy of `doc` with `path` replaced, sharing everything else. */
function withValueAt(doc: Document, path: string, value: unknown): Document {
  const [head, ...rest] = path.split('.');
  const copy: Document = Array.isArray(doc) ? ([...doc] as unknown as Document) : { ...doc };
  copy[head] = rest.length === 0 ? value : withValueAt((doc[head] ?? {}) as Document, rest.join('.'), value);
  return copy;
}
