/**
 * A runner for MongoDB's unified-format specification tests (CRUD, collection and index management),
 * through the official Node driver against any server URI. Used by test/db/spec and bench/db.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import { GridFSBucket, MongoClient, type ClientSession, MongoServerError, type CommandFailedEvent, type CommandStartedEvent, type CommandSucceededEvent, type Document } from 'mongodb';
import { skipReason, type SpecFile, type SpecOperation, type SpecTest } from './applicability';
import { match, Mismatch, type Entities } from './matcher';
import { plain, runOperation } from './operations';

export const FIXTURES = path.join(__dirname, 'fixtures');

export interface TestOutcome {
  file: string;
  test: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string; // why skipped, or what failed
}

/** Every fixture file under a folder of FIXTURES, parsed keeping BSON types (Int32, Long, Double). */
export function loadSpecFiles(folders: string[]): Array<{ name: string; spec: SpecFile }> {
  return folders.flatMap((folder) =>
    fs
      .readdirSync(path.join(FIXTURES, folder))
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => ({ name: `${folder}/${n}`, spec: EJSON.parse(fs.readFileSync(path.join(FIXTURES, folder, n), 'utf8'), { relaxed: false }) as SpecFile })),
  );
}

/** Commands the format says a runner never reports (handshakes, authentication). */
const HIDDEN_COMMANDS = new Set(['hello', 'ismaster', 'isMaster', 'saslStart', 'saslContinue', 'getnonce', 'authenticate', 'buildInfo', 'configureFailPoint', 'killCursors']);

interface ClientEntity {
  client: MongoClient;
  events: Array<{ type: string; event: unknown }>;
  listeners: Array<[string, (...args: never[]) => void]>;
  sessions: ClientSession[];
}

/** Clients are shared between tests with the same options (connecting each time made the run slow); events are per test. */
const clientPool = new Map<string, MongoClient>();

async function pooledClient(uri: string, uriOptions: Record<string, unknown>): Promise<MongoClient> {
  const query = new URLSearchParams(Object.entries(uriOptions).map(([k, v]) => [k, String(v)])).toString();
  let client = clientPool.get(query);
  if (!client) {
    client = new MongoClient(`${uri}/${query ? `?${query}` : ''}`, { monitorCommands: true, serverSelectionTimeoutMS: 2000 });
    await client.connect();
    clientPool.set(query, client);
  }
  return client;
}

async function createEntities(uri: string, specs: Array<Record<string, Record<string, unknown>>>, entities: Entities, clients: ClientEntity[]): Promise<void> {
  for (const entry of specs) {
    const [kind] = Object.keys(entry);
    const o = plain(entry[kind], false) as Record<string, unknown>;
    const id = String(o.id);
    if (kind === 'client') {
      const client = await pooledClient(uri, (o.uriOptions ?? {}) as Record<string, unknown>);
      const observe = new Set((o.observeEvents ?? []) as string[]);
      const ignore = new Set([...HIDDEN_COMMANDS, ...((o.ignoreCommandMonitoringEvents ?? []) as string[])]);
      const entity: ClientEntity = { client, events: [], listeners: [], sessions: [] };
      for (const [driverEvent, type] of [['commandStarted', 'commandStartedEvent'], ['commandSucceeded', 'commandSucceededEvent'], ['commandFailed', 'commandFailedEvent']] as const) {
        const listener = (event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent) => {
          if (observe.has(type) && !ignore.has(event.commandName)) entity.events.push({ type, event });
        };
        client.on(driverEvent, listener);
        entity.listeners.push([driverEvent, listener]);
      }
      clients.push(entity);
      entities.set(id, client);
      entities.set(`${id}:events`, entity);
    } else if (kind === 'database') {
      entities.set(id, (entities.get(String(o.client)) as MongoClient).db(String(o.databaseName), (o.databaseOptions ?? {}) as Document));
    } else if (kind === 'collection') {
      const db = entities.get(String(o.database)) as import('mongodb').Db;
      entities.set(id, db.collection(String(o.collectionName), (o.collectionOptions ?? {}) as Document));
    } else if (kind === 'session') {
      const session = (entities.get(String(o.client)) as MongoClient).startSession((o.sessionOptions ?? {}) as Document);
      entities.set(id, session);
      clients.find((c) => c.client === entities.get(String(o.client)))?.sessions.push(session);
    } else if (kind === 'bucket') {
      entities.set(id, new GridFSBucket(entities.get(String(o.database)) as import('mongodb').Db, (o.bucketOptions ?? {}) as Document));
    } else throw new Error(`unknown entity kind ${kind}`);
  }
}

async function seed(internal: MongoClient, file: SpecFile): Promise<void> {
  for (const data of file.initialData ?? []) {
    const db = internal.db(data.databaseName);
    await db.dropCollection(data.collectionName).catch(() => undefined);
    if (data.createOptions || data.documents.length === 0) await db.createCollection(data.collectionName, plain(data.createOptions ?? {}, false) as Document);
    if (data.documents.length) await db.collection(data.collectionName).insertMany(plain(data.documents, true) as Document[]);
  }
}

/** The format's own assertions, run on the internal client. */
async function testRunnerOperation(op: SpecOperation, internal: MongoClient, uri: string, entities: Entities, clients: ClientEntity[]): Promise<void> {
  const a = (op.arguments ?? {}) as Record<string, string>;
  const names = async () => (await internal.db(a.databaseName).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  const indexNames = async () => (await internal.db(a.databaseName).collection(a.collectionName).listIndexes().toArray()).map((i) => i.name);
  switch (op.name) {
    case 'assertCollectionExists':
      if (!(await names()).includes(a.collectionName)) throw new Mismatch(`collection ${a.collectionName} does not exist`);
      return;
    case 'assertCollectionNotExists':
      if ((await names()).includes(a.collectionName)) throw new Mismatch(`collection ${a.collectionName} exists`);
      return;
    case 'assertIndexExists':
      if (!(await indexNames()).includes(a.indexName)) throw new Mismatch(`index ${a.indexName} does not exist`);
      return;
    case 'assertIndexNotExists':
      if ((await indexNames().catch((): string[] => [])).includes(a.indexName)) throw new Mismatch(`index ${a.indexName} exists`);
      return;
    case 'createEntities':
      return createEntities(uri, (op.arguments as { entities: never }).entities, entities, clients);
    default:
      throw new Error(`the runner has no test runner operation ${op.name}`);
  }
}

/** The driver's Maps (client bulk write results and errors) as the format's documents keyed by index. */
function asDocuments(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), asDocuments(v)]));
  if (value && typeof value === 'object' && !Array.isArray(value) && (value as { constructor?: { name?: string } }).constructor?.name?.startsWith('ClientBulkWrite')) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asDocuments(v)]));
  }
  return value;
}

function checkError(expected: Record<string, unknown>, err: unknown, entities: Entities): void {
  const e = err as MongoServerError & { errorResponse?: Document; result?: unknown };
  const server = err instanceof MongoServerError;
  if (expected.isClientError === true && server) throw new Mismatch(`expected a client error, got server error ${e.codeName}: ${e.message}`);
  if (expected.isClientError === false && !server) throw new Mismatch(`expected a server error, got ${e.message}`);
  if (typeof expected.errorContains === 'string' && !String(e.message).toLowerCase().includes(expected.errorContains.toLowerCase())) {
    throw new Mismatch(`error "${e.message}" does not contain "${expected.errorContains}"`);
  }
  if (expected.errorCode !== undefined && Number(expected.errorCode) !== e.code) throw new Mismatch(`error code ${String(e.code)} (${e.message}), expected ${String(expected.errorCode)}`);
  if (expected.errorCodeName !== undefined && expected.errorCodeName !== e.codeName) throw new Mismatch(`error ${String(e.codeName)} (${e.message}), expected ${String(expected.errorCodeName)}`);
  for (const label of (expected.errorLabelsContain ?? []) as string[]) if (!e.hasErrorLabel?.(label)) throw new Mismatch(`error lacks label ${label}`);
  for (const label of (expected.errorLabelsOmit ?? []) as string[]) if (e.hasErrorLabel?.(label)) throw new Mismatch(`error has label ${label}`);
  if (expected.errorResponse !== undefined) match(expected.errorResponse, e.errorResponse, entities);
  const bulk = err as { partialResult?: unknown; writeErrors?: unknown; writeConcernErrors?: unknown };
  if (expected.expectResult !== undefined) match(expected.expectResult, asDocuments(bulk.partialResult ?? e.result), entities);
  if (expected.writeErrors !== undefined) {
    // each write error is a root-level document (the driver adds `message` to the format's fields)
    const actual = (asDocuments(bulk.writeErrors) ?? {}) as Record<string, unknown>;
    const wanted = expected.writeErrors as Record<string, unknown>;
    if (Object.keys(actual).length !== Object.keys(wanted).length) throw new Mismatch(`write errors at ${Object.keys(actual).join(',')}, expected at ${Object.keys(wanted).join(',')}`);
    for (const [index, want] of Object.entries(wanted)) match(want, actual[index], entities, true, `writeErrors.${index}`);
  }
  if (expected.writeConcernErrors !== undefined) match(expected.writeConcernErrors, bulk.writeConcernErrors, entities);
}

async function runOne(op: SpecOperation, internal: MongoClient, uri: string, entities: Entities, clients: ClientEntity[]): Promise<void> {
  if (op.object === 'testRunner') return testRunnerOperation(op, internal, uri, entities, clients);
  const target = entities.get(op.object);
  if (target === undefined) throw new Error(`no entity ${op.object}`);
  let result: unknown;
  try {
    result = await runOperation(op.name, target, op.arguments, entities);
  } catch (err) {
    if (err instanceof Mismatch) throw err;
    if (op.ignoreResultAndError) return;
    if (!op.expectError) throw new Mismatch(`${op.name} failed: ${(err as Error).message}`);
    return checkError(op.expectError, err, entities);
  }
  if (op.ignoreResultAndError) return;
  if (op.expectError) throw new Mismatch(`${op.name} succeeded (${EJSON.stringify(result as never)?.slice(0, 200)}) where an error was expected`);
  if (op.expectResult !== undefined) match(op.expectResult, result, entities, true, op.name);
  if (op.saveResultAsEntity) entities.set(op.saveResultAsEntity, result);
}

function checkEvents(test: SpecTest, entities: Entities): void {
  for (const expected of test.expectEvents ?? []) {
    if (expected.eventType && expected.eventType !== 'command') continue; // only command monitoring is observed
    const actual = (entities.get(`${expected.client}:events`) as ClientEntity).events;
    if (expected.ignoreExtraEvents ? actual.length < expected.events.length : actual.length !== expected.events.length) {
      throw new Mismatch(`expected ${expected.events.length} events, got ${actual.length}: ${actual.map((a) => (a.event as { commandName: string }).commandName).join(', ')}`);
    }
    expected.events.forEach((want, i) => {
      const [type] = Object.keys(want);
      if (actual[i].type !== type) throw new Mismatch(`event ${i}: expected ${type}, got ${actual[i].type}`);
      const { hasServiceId: _s, hasServerConnectionId: _c, ...fields } = want[type] as Record<string, unknown>;
      const ev = actual[i].event as { command?: Document; reply?: Document; commandName: string; databaseName?: string };
      const seen: Record<string, unknown> = { commandName: ev.commandName, databaseName: ev.databaseName, command: ev.command, reply: ev.reply };
      for (const [key, value] of Object.entries(fields)) match(value, seen[key], entities, true, `event ${i}.${key}`);
    });
  }
}

async function checkOutcome(internal: MongoClient, test: SpecTest, entities: Entities): Promise<void> {
  for (const o of test.outcome ?? []) {
    const docs = await internal.db(o.databaseName).collection(o.collectionName).find({}, { sort: { _id: 1 } }).toArray();
    if (docs.length !== o.documents.length) throw new Mismatch(`outcome ${o.collectionName}: expected ${o.documents.length} documents, got ${EJSON.stringify(docs).slice(0, 300)}`);
    o.documents.forEach((d, i) => match(d, docs[i], entities, false, `outcome ${o.collectionName}[${i}]`));
  }
}

/** Runs every test of the files against `uri`; each test gets fresh entities and initial data. */
export async function runSpecFiles(uri: string, files: Array<{ name: string; spec: SpecFile }>): Promise<TestOutcome[]> {
  const internal = new MongoClient(`${uri}/`, { serverSelectionTimeoutMS: 2000 });
  await internal.connect();
  const outcomes: TestOutcome[] = [];
  try {
    for (const { name, spec } of files) {
      for (const test of spec.tests) {
        const skip = skipReason(spec, test);
        if (skip) {
          outcomes.push({ file: name, test: test.description, status: 'skipped', reason: skip });
          continue;
        }
        const entities: Entities = new Map();
        const clients: ClientEntity[] = [];
        try {
          await seed(internal, spec);
          await createEntities(uri, spec.createEntities ?? [], entities, clients);
          for (const op of test.operations) await runOne(op, internal, uri, entities, clients);
          checkEvents(test, entities);
          await checkOutcome(internal, test, entities);
          outcomes.push({ file: name, test: test.description, status: 'passed' });
        } catch (err) {
          outcomes.push({ file: name, test: test.description, status: 'failed', reason: (err as Error).message.slice(0, 400) });
        } finally {
          for (const c of clients) {
            for (const [event, listener] of c.listeners) c.client.off(event as 'commandStarted', listener as never);
            for (const session of c.sessions) await session.endSession().catch(() => undefined);
          }
        }
      }
    }
  } finally {
    await internal.close();
    for (const client of clientPool.values()) await client.close();
    clientPool.clear();
  }
  return outcomes;
}

/** Counts for a report: passed, failed, and skipped by reason. */
export function tally(outcomes: TestOutcome[]): { passed: number; failed: number; skipped: Record<string, number> } {
  const skipped: Record<string, number> = {};
  for (const o of outcomes) if (o.status === 'skipped') skipped[o.reason!] = (skipped[o.reason!] ?? 0) + 1;
  return { passed: outcomes.filter((o) => o.status === 'passed').length, failed: outcomes.filter((o) => o.status === 'failed').length, skipped };
}
