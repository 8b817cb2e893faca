import type { Document } from '../../types';
import { cloneDoc, isPlainObject, keyString, valuesAtPath } from '../bson-values';
import { CommandError, toCommandError } from '../errors';
import { Aggregator, mingoOptions } from '../mingo-options';
import { project } from '../projection';
import { parseCollation } from '../collation';
import { checkHint, compileFilter, evaluateLet, selectDocs, selectFrom, type SelectOptions } from '../query';
import { writeOut, writesOut } from './aggregate-out';
import { viewDocuments } from './collections';
import { type CommandContext, asNumber, targetName } from './context';

/** selectDocs, or for a view the same over the view's output. */
function select(ctx: CommandContext, name: string, filter: Document | undefined, opts: SelectOptions): Document[] {
  const coll = ctx.catalog.get(ctx.db, name);
  const view = coll && viewDocuments(ctx.catalog, coll);
  if (!view) return selectDocs(coll, filter, opts);
  if (opts.hint !== undefined) throw new CommandError('CommandNotSupportedOnView', 'hint is not allowed on a view');
  return selectFrom(view, compileFilter(filter, opts), opts);
}

export function find(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  const limit = asNumber(cmd.limit);
  const docs = select(ctx, name, cmd.filter as Document | undefined, {
    sort: cmd.sort as Document | undefined,
    skip: asNumber(cmd.skip),
    limit,
    ...queryOptions(cmd),
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
  const docs = select(ctx, targetName(cmd), cmd.query as Document | undefined, { skip: asNumber(cmd.skip), limit: asNumber(cmd.limit), ...queryOptions(cmd) });
  return { n: docs.length, ok: 1 };
}

export function distinct(ctx: CommandContext, cmd: Document): Document {
  if (typeof cmd.key !== 'string') throw new CommandError('TypeMismatch', "BSON field 'distinct.key' is the wrong type, expected type 'string'");
  const seen = new Map<string, unknown>();
  const options = queryOptions(cmd);
  for (const doc of select(ctx, targetName(cmd), cmd.query as Document | undefined, options)) {
    for (const v of valuesAtPath(doc, cmd.key)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item === undefined) continue;
        const k = typeof item === 'string' && options.collation ? `s:${options.collation.fold(item)}` : keyString(item);
        if (!seen.has(k)) seen.set(k, item);
      }
    }
  }
  return { values: [...seen.values()].map(cloneDoc as (v: unknown) => unknown), ok: 1 };
}

/** The options every reading command shares: `let`, `collation` and `hint`. */
export function queryOptions(cmd: Document): Pick<SelectOptions, 'variables' | 'collation' | 'hint'> {
  return { variables: evaluateLet(cmd.let), collation: parseCollation(cmd.collation), hint: cmd.hint };
}

/** aggregate with mingo's Aggregator; $lookup and friends read other collections of the same database. */
export function aggregate(ctx: CommandContext, cmd: Document): Document {
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  const stages = pipeline as Document[];
  const writing = writesOut(stages) ? stages[stages.length - 1] : undefined;
  for (const stage of writing ? stages.slice(0, -1) : stages) {
    const op = Object.keys(stage)[0];
    if (op === '$out' || op === '$merge') throw new CommandError('Location40324', `${op} can only be the final stage in the pipeline`);
  }
  if (cmd.explain) return { explainVersion: '1', stages: stages.map((s) => ({ [Object.keys(s)[0]]: {} })), ok: 1 };
  const name = targetName(cmd);
  const coll = cmd.aggregate === 1 ? undefined : ctx.catalog.get(ctx.db, name);
  // a leading $match is the find filter: it can use an index, and only its matches are copied
  const leading = stages[0]?.$match;
  const options = queryOptions(cmd);
  // $sort follows the collation (mingo's); grouping or comparing strings in later stages would not: refused
  const constant = (v: unknown) => v === null || typeof v === 'number' || (typeof v === 'string' && !v.startsWith('$'));
  if (options.collation && stages.slice(isPlainObject(stages[0]?.$match) ? 1 : 0).some((st) => Object.keys(st).some((k) => !['$sort', '$project', '$addFields', '$set', '$limit', '$skip', '$count', '$unset'].includes(k) && !(k === '$group' && constant((st.$group as Document)._id))))) {
    throw new CommandError('BadValue', 'a collation with these pipeline stages is not supported by the embedded database');
  }
  const view = coll && viewDocuments(ctx.catalog, coll);
  if (!view) checkHint(coll, cmd.hint);
  const source = isPlainObject(leading) ? select(ctx, name, leading, options) : (view ?? coll?.documents() ?? []);
  const rest = (isPlainObject(leading) ? stages.slice(1) : stages).slice(0, writing ? -1 : undefined);
  let results: Document[];
  try {
    const mingo = mingoOptions({
      collectionResolver: (other: string) => {
        const c = ctx.catalog.get(ctx.db, other);
        return c ? (viewDocuments(ctx.catalog, c) ?? c.documents().map(cloneDoc)) : [];
      },
      variables: options.variables,
      ...(options.collation ? { collation: options.collation.spec as never } : {}),
    });
    results = new Aggregator(rest, mingo).run(source.map(cloneDoc)) as Document[];
  } catch (err) {
    throw toCommandError(err);
  }
  if (writing) {
    writeOut(ctx, writing, results);
    results = []; // MongoDB answers an empty cursor: the results are in the target collection
  }
  const cursorOpts = (cmd.cursor ?? {}) as Document;
  const batchSize = cursorOpts.batchSize === undefined ? undefined : asNumber(cursorOpts.batchSize);
  const ns = `${ctx.db}.${cmd.aggregate === 1 ? '$cmd.aggregate' : name}`;
  // results are built from copies (source and $lookup's resolver), so they share nothing with the store
  return { cursor: ctx.cursors.firstBatch(ns, results, batchSize), ok: 1 };
}
