import { ObjectId } from 'bson';
import type { Document, JournalOp } from '../../types';
import { cloneDoc, cloneValue, isPlainObject, keyString } from '../bson-values';
import { CommandError, toCommandError } from '../errors';
import { project } from '../projection';
import { collateFilter, parseCollation } from '../collation';
import { evaluateLet } from '../query';
import { Query, mingoOptions } from '../mingo-options';
import { refuseView } from './collections';
import { selectDocs } from '../query';
import type { Collection } from '../store/collection';
import { applyUpdate, buildUpsert, type UpdateSpec } from '../update';
import { bypassesValidation, type CommandContext, targetName } from './context';

/** Runs each statement of a write batch; ordered batches stop at the first error, as MongoDB does. */
function runBatch<T>(items: T[], ordered: boolean, run: (item: T, index: number) => void): Document[] {
  const writeErrors: Document[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      run(items[i], i);
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withErrors(reply: Document, writeErrors: Document[]): Document {
  return writeErrors.length ? { ...reply, writeErrors, ok: 1 } : { ...reply, ok: 1 };
}

function requireArray(cmd: Document, field: string): Document[] {
  const v = cmd[field];
  if (!Array.isArray(v)) throw new CommandError('FailedToParse', `BSON field '${Object.keys(cmd)[0]}.${field}' is missing but a required field`);
  return v as Document[];
}

export function put(ctx: CommandContext, coll: Collection, doc: Document): void {
  ctx.ops.push({ op: 'put', db: ctx.db, coll: coll.name, doc: cloneDoc(doc) });
}

/** The collection's validator, as MongoDB applies it: level off/strict/moderate, action error/warn. */
const bypassing = new WeakSet<JournalOp[]>(); // the ops list identifies the running command

function checkValid(ctx: CommandContext, coll: Collection, doc: Document, before?: Document): void {
  if (bypassing.has(ctx.ops)) return;
  const { validator, validationLevel, validationAction } = coll.options as { validator?: Document; validationLevel?: string; validationAction?: string };
  if (!validator || validationLevel === 'off' || validationAction === 'warn') return;
  const query = new Query(validator, mingoOptions());
  if (before && validationLevel === 'moderate' && !query.test(before)) return;
  if (!query.test(doc)) {
    throw new CommandError('DocumentValidationFailure', 'Document failed validation', { errInfo: { failingDocumentId: doc._id, details: { operatorName: '$and', schemaRulesNotSatisfied: [] } } });
  }
}

/** An _id may not hold $-prefixed field names at any depth (MongoDB: DollarPrefixedFieldName). */
function checkIdStorable(id: unknown): void {
  if (!isPlainObject(id)) return;
  for (const [key, value] of Object.entries(id)) {
    if (key.startsWith('$')) throw new CommandError('DollarPrefixedFieldName', `_id fields may not contain '$'-prefixed fields: ${key} is not valid for storage.`);
    checkIdStorable(value);
  }
}

/** Inserts a new document built by an upsert or an insert; returns it as stored. */
export function insertOne(ctx: CommandContext, coll: Collection, doc: Document): Document {
  const stored = cloneDoc(doc);
  if (stored._id === undefined) {
    const withId: Document = { _id: new ObjectId(), ...stored };
    checkValid(ctx, coll, withId);
    coll.insert(withId);
    put(ctx, coll, withId);
    return withId;
  }
  if (Array.isArray(stored._id)) throw new CommandError('BadValue', "can't use an array for _id");
  checkIdStorable(stored._id);
  checkValid(ctx, coll, stored);
  // MongoDB stores _id as the first field whatever order the client sent
  const { _id, ...rest } = stored;
  const ordered: Document = { _id, ...rest };
  coll.insert(ordered);
  put(ctx, coll, ordered);
  return ordered;
}

export function insert(ctx: CommandContext, cmd: Document): Document {
  if (bypassesValidation(cmd)) bypassing.add(ctx.ops);
  const docs = requireArray(cmd, 'documents');
  refuseView(ctx.catalog.get(ctx.db, targetName(cmd)));
  const coll = ctx.catalog.ensure(ctx.db, targetName(cmd), ctx.ops);
  let n = 0;
  const writeErrors = runBatch(docs, cmd.ordered !== false, (doc) => {
    if (!isPlainObject(doc)) throw new CommandError('TypeMismatch', 'documents to insert must be objects');
    insertOne(ctx, coll, doc); // top-level $-prefixed fields are allowed since MongoDB 5.0
    n++;
  });
  return withErrors({ n }, writeErrors);
}

/** Updates one stored document; returns the new version (or the old one if nothing changed). */
function updateStored(ctx: CommandContext, coll: Collection, doc: Document, u: UpdateSpec, query: Document, arrayFilters?: Document[], variables?: Document): { doc: Document; modified: boolean } {
  const next = applyUpdate(doc, u, { query, arrayFilters, variables });
  if (keyString(next) === keyString(doc)) return { doc, modified: false };
  checkValid(ctx, coll, next, doc);
  coll.replace(doc, next);
  put(ctx, coll, next);
  return { doc: next, modified: true };
}

interface UpdateStatement {
  q?: Document;
  u?: UpdateSpec;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
  hint?: unknown;
  collation?: Document;
  c?: Document; // MongoDB 5+: constants for a pipeline update
}

export function update(ctx: CommandContext, cmd: Document): Document {
  if (bypassesValidation(cmd)) bypassing.add(ctx.ops);
  const statements = requireArray(cmd, 'updates') as UpdateStatement[];
  const name = targetName(cmd);
  refuseView(ctx.catalog.get(ctx.db, name));
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = runBatch(statements, cmd.ordered !== false, (st, index) => {
    if (st === null || typeof st !== 'object') throw new CommandError('TypeMismatch', "BSON field 'update.updates' must hold objects");
    const q = st.q ?? {};
    if (st.u === undefined || st.u === null || typeof st.u !== 'object') throw new CommandError('FailedToParse', "BSON field 'update.updates.u' is missing but a required field");
    if (st.multi && !Array.isArray(st.u) && !Object.keys(st.u)[0]?.startsWith('$') && Object.keys(st.u).length) {
      throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
    }
    if (st.multi && st.sort) throw new CommandError('FailedToParse', 'Cannot specify sort with multi=true');
    const coll = ctx.catalog.get(ctx.db, name);
    const variables = evaluateLet({ ...((cmd.let as Document | undefined) ?? {}), ...(st.c ?? {}) });
    const collation = parseCollation(st.collation);
    const matched = selectDocs(coll, q, { limit: st.multi ? 0 : 1, sort: st.sort, hint: st.hint, collation, variables });
    if (matched.length === 0) {
      if (!st.upsert) return;
      const doc = buildUpsert(q, st.u, st.arrayFilters);
      insertOne(ctx, ctx.catalog.ensure(ctx.db, name, ctx.ops), doc);
      n++;
      upserted.push({ index, _id: cloneValue(doc._id) });
      return;
    }
    for (const doc of matched) {
      const result = updateStored(ctx, coll as Collection, doc, st.u, collateFilter(q, collation), st.arrayFilters, variables);
      n++;
      if (result.modified) nModified++;
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  return withErrors(reply, writeErrors);
}

export function remove(ctx: CommandContext, cmd: Document): Document {
  const statements = requireArray(cmd, 'deletes') as Array<{ q?: Document; limit?: number; hint?: unknown; collation?: Document }>;
  const coll = ctx.catalog.get(ctx.db, targetName(cmd));
  refuseView(coll);
  let n = 0;
  const writeErrors = runBatch(statements, cmd.ordered !== false, (st) => {
    if (st === null || typeof st !== 'object') throw new CommandError('TypeMismatch', "BSON field 'delete.deletes' must hold objects");
    const matched = selectDocs(coll, st.q ?? {}, {
      limit: Number(st.limit) === 1 ? 1 : 0,
      hint: st.hint,
      collation: parseCollation(st.collation),
      variables: evaluateLet(cmd.let),
    });
    for (const doc of matched) {
      coll?.remove(doc);
      ctx.ops.push({ op: 'del', db: ctx.db, coll: coll?.name ?? '', id: doc._id });
      n++;
    }
  });
  return withErrors({ n }, writeErrors);
}

/** findAndModify: one document found, changed and returned atomically (nothing awaits in between). */
export function findAndModify(ctx: CommandContext, cmd: Document): Document {
  if (bypassesValidation(cmd)) bypassing.add(ctx.ops);
  const name = targetName(cmd);
  const query = (cmd.query ?? {}) as Document;
  const fields = cmd.fields as Document | undefined;
  const u = cmd.update as UpdateSpec | undefined;
  if (!cmd.remove && (u === undefined || u === null)) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (cmd.remove && (cmd.upsert || cmd.new)) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  const coll = ctx.catalog.get(ctx.db, name);
  refuseView(coll);
  const variables = evaluateLet(cmd.let);
  const collation = parseCollation(cmd.collation);
  const [found] = selectDocs(coll, query, { sort: cmd.sort as Document | undefined, limit: 1, variables, hint: cmd.hint, collation });
  const shape = (doc: Document | undefined): Document | null => (doc ? project([doc], fields, query)[0] : null);

  if (cmd.remove) {
    if (!found || !coll) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    const value = shape(found);
    coll.remove(found);
    ctx.ops.push({ op: 'del', db: ctx.db, coll: name, id: found._id });
    return { lastErrorObject: { n: 1 }, value, ok: 1 };
  }
  const arrayFilters = cmd.arrayFilters as Document[] | undefined;
  if (found && coll) {
    const before = shape(found);
    const result = updateStored(ctx, coll, found, u as UpdateSpec, collateFilter(query, collation), arrayFilters, variables);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: cmd.new ? shape(result.doc) : before, ok: 1 };
  }
  if (!cmd.upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const doc = buildUpsert(query, u as UpdateSpec, arrayFilters);
  insertOne(ctx, ctx.catalog.ensure(ctx.db, name, ctx.ops), doc);
  return { lastErrorObject: { n: 1, updatedExisting: false, upserted: cloneValue(doc._id) }, value: cmd.new ? shape(doc) : null, ok: 1 };
}
