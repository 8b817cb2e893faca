/** The unified format's operations, as the official Node driver spells them. */
import { Double, Int32 } from 'bson';
import type { AnyBulkWriteOperation, ClientSession, Collection, Db, Document, MongoClient } from 'mongodb';
import { isPlain, type Entities } from './matcher';

/** Arguments that are data sent as written; everything else is a driver option, given as plain JS numbers. */
const DATA_ARGS = new Set(['filter', 'update', 'replacement', 'document', 'documents', 'pipeline', 'let', 'command', 'requests', 'models', 'arrayFilters', 'validator']);

/** Int32 wrappers become numbers (they serialise the same); Double wrappers too where they are options. */
export function plain(value: unknown, keepDoubles: boolean): unknown {
  if (value instanceof Int32) return value.value;
  if (value instanceof Double && !keepDoubles) return value.value;
  if (Array.isArray(value)) return value.map((v) => plain(v, keepDoubles));
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, keepDoubles)]));
  return value;
}

function argumentsOf(raw: Record<string, unknown> | undefined, entities: Entities): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (key === 'session') args.session = entities.get(String(value));
    else args[key] = plain(value, DATA_ARGS.has(key));
  }
  return args;
}

function writeResult(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['insertedId', 'insertedIds', 'insertedCount', 'matchedCount', 'modifiedCount', 'deletedCount', 'upsertedCount', 'upsertedId', 'upsertedIds']) {
    const v = r[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out;
}

function returnDocument(args: Record<string, unknown>): Record<string, unknown> {
  const { returnDocument: rd, ...rest } = args;
  return rd === undefined ? rest : { ...rest, returnDocument: String(rd).toLowerCase() };
}

type Handler = (target: unknown, args: Record<string, unknown>, entities: Entities) => Promise<unknown>;

const collectionOps: Record<string, (c: Collection, a: Record<string, unknown>) => Promise<unknown>> = {
  insertOne: async (c, { document, ...o }) => writeResult((await c.insertOne(document as Document, o)) as never),
  insertMany: async (c, { documents, ...o }) => writeResult((await c.insertMany(documents as Document[], o)) as never),
  updateOne: async (c, { filter, update, ...o }) => writeResult((await c.updateOne(filter as Document, update as Document, o)) as never),
  updateMany: async (c, { filter, update, ...o }) => writeResult((await c.updateMany(filter as Document, update as Document, o)) as never),
  replaceOne: async (c, { filter, replacement, ...o }) => writeResult((await c.replaceOne(filter as Document, replacement as Document, o)) as never),
  deleteOne: async (c, { filter, ...o }) => writeResult((await c.deleteOne(filter as Document, o)) as never),
  deleteMany: async (c, { filter, ...o }) => writeResult((await c.deleteMany(filter as Document, o)) as never),
  bulkWrite: async (c, { requests, ...o }) => writeResult((await c.bulkWrite(requests as AnyBulkWriteOperation[], o)) as never),
  find: (c, { filter, ...o }) => c.find(filter as Document, o).toArray(),
  findOne: (c, { filter, ...o }) => c.findOne(filter as Document, o),
  findOneAndUpdate: (c, { filter, update, ...o }) => c.findOneAndUpdate(filter as Document, update as Document, returnDocument(o)),
  findOneAndReplace: (c, { filter, replacement, ...o }) => c.findOneAndReplace(filter as Document, replacement as Document, returnDocument(o)),
  findOneAndDelete: (c, { filter, ...o }) => c.findOneAndDelete(filter as Document, o),
  countDocuments: (c, { filter, ...o }) => c.countDocuments(filter as Document, o),
  estimatedDocumentCount: (c, o) => c.estimatedDocumentCount(o),
  count: (c, { filter, ...o }) => c.count(filter as Document, o),
  distinct: (c, { fieldName, filter, ...o }) => c.distinct(String(fieldName), (filter ?? {}) as Document, o),
  aggregate: (c, { pipeline, ...o }) => c.aggregate(pipeline as Document[], o).toArray(),
  createIndex: (c, { keys, ...o }) => c.createIndex(keys as Document, o),
  dropIndex: (c, { name, ...o }) => c.dropIndex(String(name), o),
  dropIndexes: (c, o) => c.dropIndexes(o),
  listIndexes: (c, o) => c.listIndexes(o).toArray(),
  drop: (c, o) => c.drop(o),
};

const databaseOps: Record<string, (d: Db, a: Record<string, unknown>) => Promise<unknown>> = {
  aggregate: (d, { pipeline, ...o }) => d.aggregate(pipeline as Document[], o).toArray(),
  createCollection: async (d, { collection, ...o }) => void (await d.createCollection(String(collection), o)),
  dropCollection: (d, { collection, ...o }) => d.dropCollection(String(collection), o),
  listCollections: (d, { filter, ...o }) => d.listCollections((filter ?? {}) as Document, o).toArray(),
  listCollectionNames: async (d, { filter, ...o }) => (await d.listCollections((filter ?? {}) as Document, { ...o, nameOnly: true }).toArray()).map((c) => c.name),
  runCommand: (d, { command, commandName: _n, ...o }) => d.command(command as Document, o),
  modifyCollection: (d, { collection, ...o }) => d.command({ collMod: collection, ...o }),
};

const clientOps: Record<string, (c: MongoClient, a: Record<string, unknown>) => Promise<unknown>> = {
  listDatabases: async (c, { filter, ...o }) => (await c.db('admin').admin().listDatabases({ ...o, filter } as never)).databases,
  listDatabaseNames: async (c, { filter, ...o }) => (await c.db('admin').admin().listDatabases({ ...o, filter, nameOnly: true } as never)).databases.map((d) => d.name),
  clientBulkWrite: (c, { models, ...o }) => {
    const named = (models as Array<Record<string, Record<string, unknown>>>).map((m) => {
      const [name] = Object.keys(m);
      return { name, ...m[name] };
    });
    return c.bulkWrite(named as never, o).then((r) => clientBulkResult(r as never));
  },
};

/** The driver's client bulk write result, with its Maps as the format's documents keyed by index. */
function clientBulkResult(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // the driver adds didUpsert to each update result, a field the format does not have
  const entry = (v: unknown) => {
    if (!v || typeof v !== 'object') return v;
    const { didUpsert: _d, ...rest } = v as Record<string, unknown>;
    return rest;
  };
  for (const [key, value] of Object.entries(r)) out[key] = value instanceof Map ? Object.fromEntries([...value].map(([k, v]) => [String(k), entry(v)])) : value;
  return out;
}

const sessionOps: Record<string, (s: ClientSession, a: Record<string, unknown>) => Promise<unknown>> = {
  startTransaction: async (s, o) => s.startTransaction(o),
  commitTransaction: (s) => s.commitTransaction(),
  abortTransaction: (s) => s.abortTransaction(),
  endSession: (s) => s.endSession(),
};

export class UnsupportedOperation extends Error {}

/** Runs one operation on its entity; returns what the format compares with expectResult. */
export async function runOperation(name: string, target: unknown, rawArgs: Record<string, unknown> | undefined, entities: Entities): Promise<unknown> {
  const args = argumentsOf(rawArgs, entities);
  const kind = (target as { constructor?: { name?: string } }).constructor?.name;
  const tables: Record<string, Record<string, Handler>> = {
    Collection: collectionOps as unknown as Record<string, Handler>,
    Db: databaseOps as unknown as Record<string, Handler>,
    MongoClient: clientOps as unknown as Record<string, Handler>,
    ClientSession: sessionOps as unknown as Record<string, Handler>,
  };
  const table = kind ? tables[kind] : undefined;
  const handler = table?.[name];
  if (!handler) throw new UnsupportedOperation(`the runner has no ${name} on ${kind ?? 'this entity'}`);
  return handler(target, args, entities);
}
