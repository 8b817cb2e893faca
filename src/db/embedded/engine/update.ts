import { ObjectId } from 'bson';
import type { Document } from '../types';
import { cloneDoc, cloneValue, formatValue, isPlainObject, keyString, numericValue } from './bson-values';
import { CommandError, toCommandError } from './errors';
import { Aggregator, mingoOptions, updateInPlace } from './mingo-options';
import { resolvePositional } from './positional';

/** The update operators mingo implements, plus $setOnInsert which we handle ourselves. */
const KNOWN_OPERATORS = new Set([
  '$addToSet', '$bit', '$currentDate', '$inc', '$max', '$min', '$mul', '$pop', '$pull', '$pullAll',
  '$push', '$rename', '$set', '$unset', '$setOnInsert',
]);

export type UpdateSpec = Document | Document[];

export interface UpdateOptions {
  arrayFilters?: Document[];
  query?: Document; // the filter that matched, for the positional `$`
  isInsert?: boolean; // building an upsert: $setOnInsert applies
  variables?: Document; // the command's `let`
}

export function isPipeline(u: UpdateSpec): u is Document[] {
  return Array.isArray(u);
}

export function isOperatorUpdate(u: UpdateSpec): boolean {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  return keys.length > 0 && keys[0].startsWith('$');
}

/** Reads a dotted path through plain objects only (arrays make a type check ambiguous: skip them). */
function plainValueAt(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** mingo silently skips $inc/$mul on non-numbers; MongoDB refuses with TypeMismatch. */
function checkArithmetic(doc: Document, op: string, fields: Document): void {
  for (const [path, by] of Object.entries(fields)) {
    if (numericValue(by) === undefined) {
      throw new CommandError('TypeMismatch', `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${formatValue(by)}}`);
    }
    if (path.includes('$')) continue;
    const current = plainValueAt(doc, path);
    if (current !== undefined && current !== null && numericValue(current) === undefined) {
      throw new CommandError(
        'TypeMismatch',
        `Cannot apply ${op} to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${path.split('.').pop()}' of non-numeric type ${Array.isArray(current) ? 'array' : typeof current}`,
      );
    }
  }
}

const PUSH_MODIFIERS = ['$each', '$sort', '$slice', '$position'];

/** True when every parent of `path` is a plain object or absent, so the field can be created. */
function creatable(doc: Document, path: string): boolean {
  let value: unknown = doc;
  for (const part of path.split('.').slice(0, -1)) {
    if (value === undefined) return true;
    if (!isPlainObject(value)) return false;
    value = value[part];
  }
  return value === undefined || isPlainObject(value);
}

/**
 * mingo's $push on a missing field stores $each as given, skipping $sort/$slice/$position;
 * MongoDB starts from an empty array and applies them, so we create the empty array first.
 */
function startMissingArrays(doc: Document, fields: Document): void {
  for (const [path, value] of Object.entries(fields)) {
    if (path.includes('$') || !isPlainObject(value) || !PUSH_MODIFIERS.some((m) => m in value)) continue;
    if (plainValueAt(doc, path) === undefined && creatable(doc, path)) setPath(doc, path, []);
  }
}

function applyOperators(doc: Document, u: Document, opts: UpdateOptions): void {
  const modifier: Document = {};
  for (const [op, fields] of Object.entries(u)) {
    if (!KNOWN_OPERATORS.has(op)) {
      throw new CommandError('FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) {
      throw new CommandError('FailedToParse', `Modifiers operate on fields but we found type ${typeof fields} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(fields)}}`);
    }
    if (op === '$setOnInsert') continue;
    if (op === '$inc' || op === '$mul') checkArithmetic(doc, op, fields);
    if (op === '$push') startMissingArrays(doc, fields);
    modifier[op] = fields;
  }
  if (opts.isInsert && isPlainObject(u.$setOnInsert)) {
    const set = (modifier.$set ?? {}) as Document;
    for (const path of Object.keys(u.$setOnInsert)) {
      if (path in set) throw new CommandError('ConflictingUpdateOperators', `Updating the path '${path}' would create a conflict at '${path}'`);
    }
    modifier.$set = { ...set, ...u.$setOnInsert };
  }
  if (Object.keys(modifier).length === 0) return;
  try {
    // the positional `$` is resolved here; mingo's own condition check would rebuild the query without our operators
    updateInPlace(doc, resolvePositional(doc, modifier, opts.query), opts.arrayFilters ?? [], undefined);
  } catch (err) {
    throw toCommandError(err);
  }
}

function checkReplacement(u: Document): void {
  for (const key of Object.keys(u)) {
    if (key.startsWith('$')) throw new CommandError('BadValue', `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
  }
}

/** Puts `_id` first, as MongoDB stores it. */
function idFirst(doc: Document): Document {
  if (Object.keys(doc)[0] === '_id' || !('_id' in doc)) return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/**
 * Applies an update (operators, replacement or pipeline) to a copy of `doc` and returns the copy;
 * the stored document is never touched, so a failed update changes nothing.
 */
export function applyUpdate(doc: Document, u: UpdateSpec, opts: UpdateOptions = {}): Document {
  let next: Document;
  if (isPipeline(u)) {
    try {
      next = new Aggregator(u, mingoOptions(opts.variables ? { variables: opts.variables } : undefined)).run([cloneDoc(doc)])[0] as Document;
      // $replaceRoot/$replaceWith without _id keep the stored _id, as MongoDB's pipeline updates do
      if (next && !('_id' in next) && '_id' in doc) next = { _id: doc._id, ...next };
    } catch (err) {
      throw toCommandError(err);
    }
  } else if (isOperatorUpdate(u)) {
    next = cloneDoc(doc);
    applyOperators(next, u, opts);
  } else {
    checkReplacement(u);
    next = { _id: doc._id, ...cloneDoc(u) };
    if (!('_id' in u) || u._id === undefined) next._id = doc._id;
  }
  if ('_id' in doc && keyString(next._id) !== keyString(doc._id)) {
    throw new CommandError(
      'ImmutableField',
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(next._id)}`,
    );
  }
  return idFirst(next);
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(target[part])) target[part] = {};
    target = target[part] as Document;
  }
  target[parts[parts.length - 1]] = cloneValue(value);
}

/** The fields an upsert's new document takes from the query: equalities (and $eq), also inside $and. */
export function seedFromQuery(query: Document, seed: Document = {}): Document {
  for (const [key, cond] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(cond)) {
      for (const clause of cond) if (isPlainObject(clause)) seedFromQuery(clause, seed);
      continue;
    }
    if (key.startsWith('$')) continue;
    if (isPlainObject(cond)) {
      const keys = Object.keys(cond);
      if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) {
        if ('$eq' in cond) setPath(seed, key, cond.$eq);
        continue;
      }
    }
    if (cond instanceof RegExp) continue;
    setPath(seed, key, cond);
  }
  return seed;
}

/** The document an upsert inserts: the query's equalities, then the update; a fresh ObjectId if no _id. */
export function buildUpsert(query: Document, u: UpdateSpec, arrayFilters?: Document[]): Document {
  const seed = seedFromQuery(query);
  let doc: Document;
  if (isPipeline(u) || isOperatorUpdate(u)) {
    doc = applyUpdate(seed, u, { arrayFilters, isInsert: true });
  } else {
    checkReplacement(u);
    doc = cloneDoc(u);
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  return idFirst(doc);
}
