/** $out and $merge: the last stage of an aggregate writes its results into a collection. */
import type { Document } from '../../types';
import { cloneDoc, isPlainObject, keyString, valuesAtPath } from '../bson-values';
import { CommandError } from '../errors';
import { duplicateKeyError } from '../store/indexes';
import { applyUpdate } from '../update';
import { refuseView } from './collections';
import type { CommandContext } from './context';
import { insertOne, put } from './write';

export function writesOut(stages: Document[]): boolean {
  const last = stages[stages.length - 1];
  return last !== undefined && ('$out' in last || '$merge' in last);
}

function target(ctx: CommandContext, spec: unknown, stage: string): { db: string; coll: string } {
  if (typeof spec === 'string') return { db: ctx.db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string') return { db: typeof spec.db === 'string' ? spec.db : ctx.db, coll: spec.coll };
  throw new CommandError('FailedToParse', `${stage} needs a collection name or {db, coll}`);
}

/** Runs the writing stage over the pipeline's results. */
export function writeOut(ctx: CommandContext, stage: Document, results: Document[]): void {
  if ('$out' in stage) {
    const ns = target(ctx, stage.$out, '$out');
    refuseView(ctx.catalog.get(ns.db, ns.coll));
    const seen = new Set<string>();
    for (const doc of results) {
      if (doc._id === undefined) continue;
      const k = keyString(doc._id);
      if (seen.has(k)) throw duplicateKeyError(`${ns.db}.${ns.coll}`, '_id_', { _id: 1 }, { _id: doc._id });
      seen.add(k);
    }
    const coll = ctx.catalog.ensure(ns.db, ns.coll, ctx.ops);
    const out = { ...ctx, db: ns.db };
    for (const old of coll.documents()) {
      coll.remove(old);
      ctx.ops.push({ op: 'del', db: ns.db, coll: ns.coll, id: old._id });
    }
    for (const doc of results) insertOne(out, coll, doc);
    return;
  }
  const spec = isPlainObject(stage.$merge) ? stage.$merge : { into: stage.$merge };
  const ns = target(ctx, spec.into, '$merge');
  refuseView(ctx.catalog.get(ns.db, ns.coll));
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on.map(String) : [String(spec.on)];
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  const coll = ctx.catalog.ensure(ns.db, ns.coll, ctx.ops);
  const out = { ...ctx, db: ns.db };
  const onKey = (doc: Document) => keyString(on.map((f) => valuesAtPath(doc, f)[0] ?? null));
  for (const doc of results) {
    const existing = coll.documents().find((d) => onKey(d) === onKey(doc));
    if (!existing) {
      if (whenNotMatched === 'discard') continue;
      if (whenNotMatched === 'fail') throw new CommandError('MergeStageNoMatchingDocument', '$merge could not find a matching document in the target collection for at least one document in the source collection');
      insertOne(out, coll, doc);
      continue;
    }
    let next: Document;
    if (whenMatched === 'keepExisting') continue;
    if (whenMatched === 'fail') throw duplicateKeyError(`${ns.db}.${ns.coll}`, '_id_', { _id: 1 }, { _id: existing._id });
    if (whenMatched === 'replace') next = { ...cloneDoc(doc), _id: existing._id };
    else if (whenMatched === 'merge') next = { ...cloneDoc(existing), ...cloneDoc(doc), _id: existing._id };
    else if (Array.isArray(whenMatched)) next = applyUpdate(existing, whenMatched as Document[], { variables: { ...((spec.let as Document) ?? {}), new: doc } });
    else throw new CommandError('BadValue', `Enumeration value '${String(whenMatched)}' for field '$merge.whenMatched' is not a valid value.`);
    if ('_id' in doc && keyString(doc._id) !== keyString(existing._id)) {
      throw new CommandError('ImmutableField', "$merge failed to update the matching document, did you attempt to modify the _id or the shard key?");
    }
    coll.replace(existing, next);
    put(out, coll, next);
  }
}
