import { diskBinariesIn, loadDiskBinaries, type DiskBinary } from '../disk-binary';
import type { CommandEngine, Document, EngineOptions, JournalOp } from '../types';
import * as admin from './commands/admin';
import type { CommandContext, CommandHandler } from './commands/context';
import { bulkWrite } from './commands/bulk-write';
import { writesOut } from './commands/aggregate-out';
import * as collections from './commands/collections';
import * as ddl from './commands/ddl';
import { explain } from './commands/explain';
import * as read from './commands/read';
import * as write from './commands/write';
import { CursorRegistry } from './cursors';
import { DurabilityGate } from './durability-gate';
import { keyString } from './bson-values';
import { CommandError, toCommandError } from './errors';
import { applyOp, snapshotOps } from './journal-ops';
import { Catalog } from './store/catalog';
import { binaryStats, blobsOf, spill, spillOps } from './spill';
import { sweepExpired } from './ttl';

/** Command names as MongoDB spells them, looked up case-insensitively (isMaster/ismaster, findandmodify). */
const HANDLERS: Record<string, CommandHandler> = {
  hello: admin.hello,
  ismaster: admin.hello,
  ping: admin.ping,
  buildinfo: admin.buildInfo,
  getparameter: admin.getParameter,
  getlasterror: admin.getLastError,
  endsessions: admin.endSessions,
  refreshsessions: admin.endSessions,
  connectionstatus: admin.connectionStatus,
  hostinfo: admin.hostInfo,
  getcmdlineopts: admin.getCmdLineOpts,
  getlog: admin.getLog,
  whatsmyuri: admin.whatsmyuri,
  serverstatus: admin.serverStatus,
  committransaction: admin.transactionsUnsupported,
  aborttransaction: admin.transactionsUnsupported,
  bulkwrite: bulkWrite,
  insert: write.insert,
  update: write.update,
  delete: write.remove,
  findandmodify: write.findAndModify,
  find: read.find,
  getmore: read.getMore,
  killcursors: read.killCursors,
  count: read.count,
  distinct: read.distinct,
  aggregate: read.aggregate,
  create: collections.create,
  collmod: collections.collMod,
  drop: ddl.drop,
  dropdatabase: ddl.dropDatabase,
  listcollections: ddl.listCollections,
  listdatabases: ddl.listDatabases,
  createindexes: ddl.createIndexes,
  listindexes: ddl.listIndexes,
  dropindexes: ddl.dropIndexes,
  deleteindexes: ddl.dropIndexes,
  collstats: ddl.collStats,
  dbstats: ddl.dbStats,
  explain,
};

/** Commands that change data: they run through the durability gate as writes. */
const WRITES = new Set(['bulkwrite', 'insert', 'update', 'delete', 'findandmodify', 'create', 'drop', 'dropdatabase', 'createindexes', 'dropindexes', 'deleteindexes', 'collmod']);
/** Commands that read data: they wait until no write is in flight. The rest (hello, getMore...) see no data that could be undone. */
const READS = new Set(['find', 'count', 'distinct', 'aggregate', 'listcollections', 'listindexes', 'listdatabases', 'collstats', 'dbstats', 'explain']);

/** The journal's refusal as MongoDB words it: a full disk is OutOfDiskSpace, any other failure a file error. */
function journalRefusal(err: unknown): CommandError {
  const code = (err as { code?: unknown }).code;
  const message = (err as Error).message;
  return code === 'ENOSPC' || code === 'EDQUOT'
    ? new CommandError('OutOfDiskSpace', message)
    : new CommandError('FileStreamFailed', message);
}

export function createEngine(options: EngineOptions = {}): CommandEngine {
  const catalog = new Catalog();
  const cursors = new CursorRegistry();
  const persist = options.persist;
  const gate = new DurabilityGate();
  const blobs = options.blobs;
  /** Binaries of the replies being read from disk just now: garbage collection keeps their files. */
  const loading = new Set<DiskBinary[]>();

  /** A reply with its on-disk binaries read in (asynchronously, so a large batch does not stall the loop). */
  async function withBytes(reply: Document): Promise<Document> {
    if (!blobs) return reply;
    const found = diskBinariesIn(reply);
    if (found.length === 0) return reply;
    loading.add(found);
    try {
      return await loadDiskBinaries(reply, found);
    } catch (err) {
      options.log?.warn({ err: (err as Error).message }, 'embedded database could not read a stored binary value');
      return new CommandError('InternalError', (err as Error).message).toReply();
    } finally {
      loading.delete(found);
    }
  }

  /** Runs one write's in-memory changes, then holds its reply until they are durable or undone. */
  async function write(run: (ops: JournalOp[]) => Document): Promise<Document> {
    const { undo, earlier, entry } = gate.begin();
    const ops: JournalOp[] = [];
    catalog.undo.current = undo;
    let reply: Document;
    try {
      reply = run(ops);
    } finally {
      catalog.undo.current = undefined;
    }
    // large binaries go to the blob store before the journal sees the ops: its record holds references
    if (blobs && persist) spillOps(catalog, ops, blobs);
    try {
      if (ops.length && persist) await persist(ops);
      else if (earlier.length && !(await Promise.all(earlier)).every(Boolean)) {
        throw new Error('an earlier write this one depended on was not saved');
      }
    } catch (err) {
      gate.refused(entry);
      return journalRefusal(err).toReply();
    }
    if (!gate.durable(entry)) return new CommandError('FileStreamFailed', 'an earlier write this one depended on was not saved').toReply();
    return reply;
  }

  function run(handler: CommandHandler, db: string, command: Document, ops: JournalOp[]): Document {
    try {
      // Synchronous on purpose: the whole read-modify-write happens before anything can interleave.
      const lsid = command.lsid as Document | undefined;
      cursors.session = lsid?.id === undefined ? undefined : keyString(lsid.id);
      return handler({ db, catalog, cursors, ops } satisfies CommandContext, command);
    } catch (err) {
      const error = toCommandError(err);
      if (error.codeName === 'InternalError') options.log?.warn({ err, command: Object.keys(command)[0] }, 'embedded command failed');
      return error.toReply();
    }
  }

  const sweep = async (): Promise<void> => {
    cursors.expireIdle();
    const admitted = gate.enter('write');
    if (admitted) await admitted;
    await write((ops) => {
      ops.push(...sweepExpired(catalog));
      return { ok: 1 };
    });
  };
  const timer = setInterval(() => void sweep(), options.ttlSweepMs ?? 60_000);
  timer.unref();

  return {
    async execute(db: string, command: Document): Promise<Document> {
      const name = Object.keys(command)[0];
      const key = name?.toLowerCase() ?? '';
      const handler = HANDLERS[key];
      if (!handler) return new CommandError('CommandNotFound', `no such command: '${name ?? ''}'`).toReply();
      // A standalone refuses transactions at their first command; accepting them would apply writes an abort cannot undo.
      if (command.txnNumber !== undefined || command.startTransaction !== undefined || command.autocommit !== undefined) {
        return new CommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos').toReply();
      }
      const writesAggregate = key === 'aggregate' && Array.isArray(command.pipeline) && writesOut(command.pipeline as Document[]);
      const kind = WRITES.has(key) || writesAggregate ? 'write' : READS.has(key) ? 'read' : undefined;
      const admitted = kind && gate.enter(kind);
      if (admitted) await admitted; // only when waiting: an admitted read runs before anything else can start
      if (kind === 'write') return withBytes(await write((ops) => run(handler, db, command, ops)));
      return withBytes(run(handler, db, command, []));
    },
    applyOp(op: JournalOp): void {
      applyOp(catalog, op);
      // a journal written before the blob store holds the bytes themselves: they move to disk now
      if (blobs && op.op === 'put') spill(catalog.get(op.db, op.coll)?.getById(op.doc._id), blobs);
    },
    blobsInUse(): Iterable<string> {
      const inUse = blobsOf(cursors.held(), new Set());
      for (const found of loading) for (const b of found) inUse.add(b.sha);
      return inUse;
    },
    stats() {
      return binaryStats(catalog);
    },
    snapshotOps(): Iterable<JournalOp> {
      return snapshotOps(catalog);
    },
    close(): void {
      clearInterval(timer);
      cursors.closeAll();
    },
  };
}
