/**
 * create and collMod: collection options are honoured (views, clustered _id, validators, collation)
 * or refused with MongoDB's error; none is kept and ignored.
 */
import type { Document } from '../../types';
import { cloneDoc, isPlainObject } from '../bson-values';
import { parseCollation } from '../collation';
import { CommandError } from '../errors';
import { Aggregator, Query, mingoOptions } from '../mingo-options';
import type { Catalog } from '../store/catalog';
import type { Collection } from '../store/collection';
import { type CommandContext, targetName } from './context';

/** Fields any command may carry that say nothing about the collection. */
const GENERIC = new Set(['lsid', '$db', 'writeConcern', 'comment', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'maxTimeMS', '$clusterTime']);
const KEPT = new Set(['viewOn', 'pipeline', 'collation', 'clusteredIndex', 'validator', 'validationLevel', 'validationAction', 'changeStreamPreAndPostImages', 'expireAfterSeconds', 'storageEngine', 'indexOptionDefaults']);
const REFUSED: Record<string, string> = {
  capped: 'capped collections are not supported by the embedded database',
  size: 'capped collections are not supported by the embedded database',
  max: 'capped collections are not supported by the embedded database',
  timeseries: 'time series collections are not supported by the embedded database',
  encryptedFields: 'queryable encryption is not supported by the embedded database',
};

function validateOptions(options: Document): void {
  if (options.viewOn !== undefined) {
    if (typeof options.viewOn !== 'string' || !options.viewOn) throw new CommandError('TypeMismatch', "BSON field 'create.viewOn' is the wrong type, expected type 'string'");
    const pipeline = options.pipeline ?? [];
    if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "BSON field 'create.pipeline' is the wrong type, expected type 'array'");
    options.pipeline = pipeline;
  } else if (options.pipeline !== undefined) throw new CommandError('BadValue', "'pipeline' requires 'viewOn' to also be specified");
  if (options.collation !== undefined) parseCollation(options.collation);
  if (options.clusteredIndex !== undefined) {
    const c = options.clusteredIndex as Document;
    if (!isPlainObject(c) || !isPlainObject(c.key) || JSON.stringify(Object.keys(c.key)) !== '["_id"]' || Number(c.key._id) !== 1 || c.unique !== true) {
      throw new CommandError('InvalidIndexSpecificationOption', "The clusteredIndex option must be { key: { _id: 1 }, unique: true }");
    }
    options.clusteredIndex = { v: 2, key: c.key, name: typeof c.name === 'string' ? c.name : '_id_', unique: true }; // as MongoDB stores it
  }
  if (options.validator !== undefined) {
    if (!isPlainObject(options.validator)) throw new CommandError('TypeMismatch', "BSON field 'validator' is the wrong type, expected type 'object'");
    if ('$jsonSchema' in options.validator) throw new CommandError('BadValue', '$jsonSchema validators are not supported by the embedded database');
    new Query(options.validator, mingoOptions()); // a bad validator is refused now, not at the first write
  }
  if (options.validationLevel !== undefined && !['off', 'strict', 'moderate'].includes(String(options.validationLevel))) {
    throw new CommandError('BadValue', `Enumeration value '${String(options.validationLevel)}' for field 'validationLevel' is not a valid value.`);
  }
  if (options.validationAction !== undefined && !['error', 'warn'].includes(String(options.validationAction))) {
    throw new CommandError('BadValue', `Enumeration value '${String(options.validationAction)}' for field 'validationAction' is not a valid value.`);
  }
}

export function create(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  const options: Document = {};
  for (const [key, value] of Object.entries(cmd).slice(1)) {
    if (GENERIC.has(key)) continue;
    if (REFUSED[key]) throw new CommandError('InvalidOptions', REFUSED[key]);
    if (!KEPT.has(key)) throw new CommandError('Location40415', `BSON field 'create.${key}' is an unknown field.`);
    options[key] = value;
  }
  validateOptions(options);
  if (ctx.catalog.get(ctx.db, name)) throw new CommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  if (typeof options.viewOn === 'string') ctx.catalog.ensure(ctx.db, 'system.views', ctx.ops); // as MongoDB lists it
  ctx.catalog.ensure(ctx.db, name, ctx.ops, options);
  return { ok: 1 };
}

/** collMod: validator, validation level/action, pre- and post-images, and an index's expireAfterSeconds or hidden flag. */
export function collMod(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  const coll = ctx.catalog.get(ctx.db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const changes: Document = {};
  let index: Document | undefined;
  for (const [key, value] of Object.entries(cmd).slice(1)) {
    if (GENERIC.has(key)) continue;
    if (key === 'index') index = value as Document;
    else if (['validator', 'validationLevel', 'validationAction', 'changeStreamPreAndPostImages', 'viewOn', 'pipeline'].includes(key)) changes[key] = value;
    else throw new CommandError('InvalidOptions', `collMod option '${key}' is not supported by the embedded database`);
  }
  const isView = typeof coll.options.viewOn === 'string';
  if (('viewOn' in changes || 'pipeline' in changes) !== isView && Object.keys(changes).some((k) => k === 'viewOn' || k === 'pipeline')) {
    throw new CommandError('InvalidOptions', 'only a view can change viewOn or pipeline');
  }
  validateOptions({ ...coll.options, ...changes });
  const reply: Document = { ok: 1 };
  if (index) {
    if (!isPlainObject(index)) throw new CommandError('TypeMismatch', "BSON field 'collMod.index' is the wrong type, expected type 'object'");
    const target = coll.indexes.find((i) => (typeof index!.name === 'string' ? i.name === index!.name : JSON.stringify(i.spec.key) === JSON.stringify(index!.keyPattern)));
    if (!target) throw new CommandError('IndexNotFound', `cannot find index ${JSON.stringify(index.name ?? index.keyPattern)} for ns ${ctx.db}.${name}`);
    const allowed = ['name', 'keyPattern', 'expireAfterSeconds', 'hidden'];
    const other = Object.keys(index).find((k) => !allowed.includes(k));
    if (other) throw new CommandError('InvalidOptions', `collMod index option '${other}' is not supported by the embedded database`);
    const spec = { ...target.spec };
    if (index.expireAfterSeconds !== undefined) {
      reply.expireAfterSeconds_old = spec.expireAfterSeconds;
      reply.expireAfterSeconds_new = index.expireAfterSeconds;
      spec.expireAfterSeconds = Number(index.expireAfterSeconds);
    }
    if (index.hidden !== undefined) {
      reply.hidden_old = spec.hidden === true;
      reply.hidden_new = index.hidden === true;
      spec.hidden = index.hidden === true;
    }
    coll.dropIndex(spec.name);
    ctx.ops.push({ op: 'dropIndex', db: ctx.db, coll: name, name: spec.name });
    coll.addIndex(spec);
    ctx.ops.push({ op: 'createIndex', db: ctx.db, coll: name, spec });
  }
  if (Object.keys(changes).length) {
    ctx.catalog.setOptions(ctx.db, name, { ...coll.options, ...changes });
    ctx.ops.push({ op: 'collOptions', db: ctx.db, coll: name, options: { ...coll.options } });
  }
  return reply;
}

/** The documents a view shows: its pipeline over its source (itself possibly a view). */
export function viewDocuments(catalog: Catalog, coll: Collection, depth = 0): Document[] | undefined {
  if (typeof coll.options.viewOn !== 'string') return undefined;
  if (depth > 20) throw new CommandError('ViewDepthLimitExceeded', 'View depth too deep or view cycle detected. Maximum depth is 20');
  const source = catalog.get(coll.db, coll.options.viewOn);
  const docs = source ? (viewDocuments(catalog, source, depth + 1) ?? source.documents().map(cloneDoc)) : [];
  const resolver = (other: string) => {
    const c = catalog.get(coll.db, other);
    return c ? (viewDocuments(catalog, c, depth + 1) ?? c.documents().map(cloneDoc)) : [];
  };
  return new Aggregator(coll.options.pipeline as Document[], mingoOptions({ collectionResolver: resolver })).run(docs) as Document[];
}

/** Writes to a view are refused, as MongoDB refuses them. */
export function refuseView(coll: Collection | undefined): void {
  if (coll && typeof coll.options.viewOn === 'string') {
    throw new CommandError('CommandNotSupportedOnView', `Namespace ${coll.ns} is a view, not a collection`);
  }
}
