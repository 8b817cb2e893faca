import type { Document } from '../../types';
import { cloneDoc, isPlainObject, keyString, valuesAtPath } from '../bson-values';
import { CommandError, toCommandError } from '../errors';
import { Aggregator, mingoOptions } from '../mingo-options';
import { project } from '../projection';
import { selectDocs } from '../query';
import { type CommandContext, asNumber, targetName } from './context';

export function find(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  const coll = ctx.catalog.get(ctx.db, name);
  const limit = asNumber(cmd.limit);
  const docs = selectDocs(coll, cmd.filter as Document | undefined, {
    sort: cmd.sort as Document | undefined,
    skip: asNumber(cmd.skip),
    limit,
  });
  const out = project(docs, cmd.projection as Document | undefined, (cmd.filter ?? {}) as Document);
  const batchSize = cmd.batchSize === undefined ? undefined : asNumber(cmd.batchSize);
  const single = cmd.singleBatch === true || limit < 0;
  return { cursor: ctx.cursors.firstBatch(`${ctx.db}.${name}`, out, batchSize, single), ok: 1 };
}

export function getMore(ctx: CommandContext, cmd: Document): Document {
  const ns = `${ctx.db}.${String(cmd.collection)}`;
  const batchSize = cmd.batchSize === undefined ? undefined : asNumber(cmd.batchSize);
  return { cursor: ctx.cursors.getMore(cmd.getMore, ns, batchSize), ok: 1 };
}

export function killCursors(ctx: CommandContext, cmd: Document): Document {
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors : [];
  return { ...ctx.cursors.kill(ids), ok: 1 };
}

export function count(ctx: CommandContext, cmd: Document): Document {
  const coll = ctx.catalog.get(ctx.db, targetName(cmd));
  const docs = selectDocs(coll, cmd.query as Document | undefined, { skip: asNumber(cmd.skip), limit: asNumber(cmd.limit) });
  return { n: docs.length, ok: 1 };
}

export function distinct(ctx: CommandContext, cmd: Document): Document {
  if (typeof cmd.key !== 'string') throw new CommandError('TypeMismatch', "BSON field 'distinct.key' is the wrong type, expected type 'string'");
  const coll = ctx.catalog.get(ctx.db, targetName(cmd));
  const seen = new Map<string, unknown>();
  for (const doc of selectDocs(coll, cmd.query as Document | undefined)) {
    for (const v of valuesAtPath(doc, cmd.key)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item === undefined) continue;
        const k = keyString(item);
        if (!seen.has(k)) seen.set(k, item);
      }
    }
  }
  return { values: [...seen.values()].map(cloneDoc as (v: unknown) => unknown), ok: 1 };
}

/** aggregate with mingo's Aggregator; $lookup and friends read other collections of the same database. */
export function aggregate(ctx: CommandContext, cmd: Document): Document {
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  const stages = pipeline as Document[];
  for (const stage of stages) {
    const op = Object.keys(stage)[0];
    if (op === '$out' || op === '$merge') throw new CommandError('IllegalOperation', `${op} is not supported by the embedded database`);
  }
  if (cmd.explain) return { explainVersion: '1', stages: stages.map((s) => ({ [Object.keys(s)[0]]: {} })), ok: 1 };
  const name = targetName(cmd);
  const coll = cmd.aggregate === 1 ? undefined : ctx.catalog.get(ctx.db, name);
  // a leading $match is the find filter: it can use an index, and only its matches are copied
  const leading = stages[0]?.$match;
  const source = isPlainObject(leading) ? selectDocs(coll, leading) : (coll?.documents() ?? []);
  const rest = isPlainObject(leading) ? stages.slice(1) : stages;
  let results: Document[];
  try {
    const options = mingoOptions({
      collectionResolver: (other: string) => (ctx.catalog.get(ctx.db, other)?.documents() ?? []).map(cloneDoc),
      variables: (cmd.let as Document | undefined) ?? undefined,
    });
    results = new Aggregator(rest, options).run(source.map(cloneDoc)) as Document[];
  } catch (err) {
    throw toCommandError(err);
  }
  const cursorOpts = (cmd.cursor ?? {}) as Document;
  const batchSize = cursorOpts.batchSize === undefined ? undefined : asNumber(cursorOpts.batchSize);
  const ns = `${ctx.db}.${cmd.aggregate === 1 ? '$cmd.aggregate' : name}`;
  // results are built from copies (source and $lookup's resolver), so they share nothing with the store
  return { cursor: ctx.cursors.firstBatch(ns, results, batchSize), ok: 1 };
}
