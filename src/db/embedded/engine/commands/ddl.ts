import type { Document, IndexSpec } from '../../types';
import { cloneValue, isPlainObject, keyString } from '../bson-values';
import { parseCollation } from '../collation';
import { CommandError } from '../errors';
import { refuseView } from './collections';
import { Query, mingoOptions } from '../mingo-options';
import type { Collection } from '../store/collection';
import { defaultIndexName } from '../store/indexes';
import { type CommandContext, targetName } from './context';

function existing(ctx: CommandContext, name: string, message = `ns does not exist: ${ctx.db}.${name}`): Collection {
  const coll = ctx.catalog.get(ctx.db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', message);
  return coll;
}

function applyFilter(entries: Document[], filter: unknown): Document[] {
  if (!isPlainObject(filter) || Object.keys(filter).length === 0) return entries;
  const q = new Query(filter, mingoOptions());
  return entries.filter((e) => q.test(e));
}

export function drop(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  const coll = ctx.catalog.get(ctx.db, name);
  if (!coll) return { ok: 1 }; // MongoDB 7+: dropping a collection that does not exist succeeds
  const nIndexesWas = coll.indexSpecs().length;
  ctx.catalog.drop(ctx.db, name);
  ctx.ops.push({ op: 'dropColl', db: ctx.db, coll: name });
  return { ns: coll.ns, nIndexesWas, ok: 1 };
}

export function dropDatabase(ctx: CommandContext): Document {
  if (ctx.catalog.dropDatabase(ctx.db)) ctx.ops.push({ op: 'dropDb', db: ctx.db });
  return { dropped: ctx.db, ok: 1 };
}

export function listCollections(ctx: CommandContext, cmd: Document): Document {
  const entries = ctx.catalog.collections(ctx.db).map((c): Document => {
    const view = typeof c.options.viewOn === 'string';
    return view
      ? { name: c.name, type: 'view', options: cloneValue(c.options), info: { readOnly: true } }
      : { name: c.name, type: 'collection', options: cloneValue(c.options), info: { readOnly: false }, ...(c.options.clusteredIndex ? {} : { idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } }) };
  });
  let out: Document[] = applyFilter(entries, cmd.filter);
  if (cmd.nameOnly) out = out.map((e) => ({ name: e.name, type: e.type }));
  const batchSize = (cmd.cursor as Document | undefined)?.batchSize as number | undefined;
  return { cursor: ctx.cursors.firstBatch(`${ctx.db}.$cmd.listCollections`, out, batchSize), ok: 1 };
}

export function listDatabases(ctx: CommandContext, cmd: Document): Document {
  const entries = ctx.catalog.databases().map((name) => {
    const sizeOnDisk = ctx.catalog.collections(name).reduce((n, c) => n + c.size * 256 + 4096, 0);
    return { name, sizeOnDisk, empty: false };
  });
  let databases: Document[] = applyFilter(entries, cmd.filter);
  if (cmd.nameOnly) databases = databases.map((d) => ({ name: d.name }));
  const totalSize = entries.reduce((n, d) => n + d.sizeOnDisk, 0);
  return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
}

/** Index options the engine honours (2dsphere, text and wildcard indexes are refused by their key types). */
const INDEX_OPTIONS = new Set(['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'hidden', 'background', 'prepareUnique', 'weights', 'default_language', 'language_override', 'textIndexVersion']);
const INDEX_OPTION_KEYS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'weights'];
const optionsKey = (s: Document): string => keyString(INDEX_OPTION_KEYS.map((k) => (k === 'unique' || k === 'sparse' ? Boolean(s[k]) : s[k])));

function validateSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError('FailedToParse', "Error in specification: the 'key' field is required and must be a non-empty object");
  }
  // listIndexes shows v, key and name first, then the options, as MongoDB does
  const { ns: _ns, key: _k, name: _n, v: _v, ...rest } = raw;
  const name = typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key);
  if (rest.collation !== undefined) parseCollation(rest.collation); // an unknown locale is refused
  const special = Object.values(raw.key).find((d) => d !== 'text' /* served by $text: text-search.ts */ && typeof d !== 'number' && !(d && typeof d === 'object' && typeof (d as { valueOf(): unknown }).valueOf() === 'number'));
  if (special !== undefined) throw new CommandError('CannotCreateIndex', `${String(special)} indexes are not supported by the embedded database`);
  const unknown = Object.keys(rest).find((k) => !INDEX_OPTIONS.has(k));
  if (unknown) throw new CommandError('InvalidIndexSpecificationOption', `The field '${unknown}' is not valid for an index specification. Specification: ${JSON.stringify(raw)}`);
  if ('expireAfterSeconds' in rest && typeof rest.expireAfterSeconds !== 'number') {
    throw new CommandError('BadValue', 'TTL index \'expireAfterSeconds\' option must be numeric');
  }
  return cloneValue({ v: 2, key: raw.key as IndexSpec['key'], name, ...rest });
}

export function createIndexes(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  if (!Array.isArray(cmd.indexes)) throw new CommandError('TypeMismatch', "BSON field 'createIndexes.indexes' is the wrong type, expected type 'array'");
  const specs = cmd.indexes.map(validateSpec);
  refuseView(ctx.catalog.get(ctx.db, name));
  const createdCollectionAutomatically = !ctx.catalog.get(ctx.db, name);
  const coll = ctx.catalog.ensure(ctx.db, name, ctx.ops);
  const numIndexesBefore = coll.indexSpecs().length;
  for (const spec of specs) {
    const sameName = coll.indexSpecs().find((s) => s.name === spec.name);
    const sameKey = coll.indexSpecs().find((s) => keyString(s.key) === keyString(spec.key));
    if (sameName && keyString(sameName.key) !== keyString(spec.key)) {
      throw new CommandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`);
    }
    if (sameKey && optionsKey(sameKey) !== optionsKey(spec)) {
      throw new CommandError('IndexOptionsConflict', sameKey.name === spec.name
        ? `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameKey)}`
        : `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameKey)}`);
    }
    if (sameKey && sameKey.name !== spec.name) {
      throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
    }
    if (sameKey) continue;
    coll.addIndex(spec);
    ctx.ops.push({ op: 'createIndex', db: ctx.db, coll: name, spec });
  }
  const numIndexesAfter = coll.indexSpecs().length;
  const reply: Document = { numIndexesBefore, numIndexesAfter, createdCollectionAutomatically };
  if (numIndexesAfter === numIndexesBefore) reply.note = 'all indexes already exist';
  return { ...reply, ok: 1 };
}

export function listIndexes(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  const coll = existing(ctx, name);
  refuseView(coll);
  const batchSize = (cmd.cursor as Document | undefined)?.batchSize as number | undefined;
  return { cursor: ctx.cursors.firstBatch(`${ctx.db}.${name}`, coll.indexSpecs().map((s) => cloneValue(s)), batchSize), ok: 1 };
}

export function dropIndexes(ctx: CommandContext, cmd: Document): Document {
  const name = targetName(cmd);
  const coll = existing(ctx, name, 'ns not found');
  const nIndexesWas = coll.indexSpecs().length;
  const target = cmd.index;
  let names: string[];
  if (target === '*') names = coll.indexes.map((i) => i.name);
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    const found = coll.indexSpecs().find((s) => keyString(s.key) === keyString(target));
    if (!found) throw new CommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    names = [found.name];
  } else throw new CommandError('TypeMismatch', "BSON field 'dropIndexes.index' is the wrong type");
  if (names.includes('_id_')) throw new CommandError('InvalidOptions', 'cannot drop _id index');
  const missing = names.find((n) => !coll.findIndex(n));
  if (missing) throw new CommandError('IndexNotFound', `index not found with name [${missing}]`);
  for (const n of names) {
    coll.dropIndex(n);
    ctx.ops.push({ op: 'dropIndex', db: ctx.db, coll: name, name: n });
  }
  const reply: Document = { nIndexesWas };
  if (target === '*') reply.msg = 'non-_id indexes dropped for collection';
  return { ...reply, ok: 1 };
}

export function collStats(ctx: CommandContext, cmd: Document): Document {
  const coll = existing(ctx, targetName(cmd));
  const specs = coll.indexSpecs();
  return { ns: coll.ns, count: coll.size, size: coll.size * 256, storageSize: coll.size * 256, nindexes: specs.length, indexSizes: Object.fromEntries(specs.map((s) => [s.name, 4096])), ok: 1 };
}

export function dbStats(ctx: CommandContext): Document {
  const colls = ctx.catalog.collections(ctx.db);
  const objects = colls.reduce((n, c) => n + c.size, 0);
  const indexes = colls.reduce((n, c) => n + c.indexSpecs().length, 0);
  return { db: ctx.db, collections: colls.length, views: 0, objects, dataSize: objects * 256, storageSize: objects * 256, indexes, ok: 1 };
}
