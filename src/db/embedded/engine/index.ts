import type { CommandEngine, Document, EngineOptions, JournalOp } from '../types';
import * as admin from './commands/admin';
import type { CommandContext, CommandHandler } from './commands/context';
import * as ddl from './commands/ddl';
import { explain } from './commands/explain';
import * as read from './commands/read';
import * as write from './commands/write';
import { CursorRegistry } from './cursors';
import { CommandError, toCommandError } from './errors';
import { applyOp, snapshotOps } from './journal-ops';
import { Catalog } from './store/catalog';
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
  create: ddl.create,
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

export function createEngine(options: EngineOptions = {}): CommandEngine {
  const catalog = new Catalog();
  const cursors = new CursorRegistry();
  const persist = options.persist;

  const sweep = (): void => {
    cursors.expireIdle();
    const ops = sweepExpired(catalog);
    if (ops.length && persist) persist(ops).catch((err) => options.log?.warn({ err }, 'TTL deletions could not be journaled'));
  };
  const timer = setInterval(sweep, options.ttlSweepMs ?? 60_000);
  timer.unref();

  return {
    async execute(db: string, command: Document): Promise<Document> {
      const ops: JournalOp[] = [];
      let reply: Document;
      try {
        const name = Object.keys(command)[0];
        const handler = name === undefined ? undefined : HANDLERS[name.toLowerCase()];
        if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name ?? ''}'`);
        // Synchronous on purpose: the whole read-modify-write happens before anything can interleave.
        reply = handler({ db, catalog, cursors, ops } satisfies CommandContext, command);
      } catch (err) {
        const error = toCommandError(err);
        if (error.codeName === 'InternalError') options.log?.warn({ err, command: Object.keys(command)[0] }, 'embedded command failed');
        reply = error.toReply();
      }
      if (ops.length && persist) {
        try {
          await persist(ops);
        } catch (err) {
          options.log?.warn({ err }, 'journal write failed');
          return new CommandError('InternalError', `journal write failed: ${(err as Error).message}`).toReply();
        }
      }
      return reply;
    },
    applyOp(op: JournalOp): void {
      applyOp(catalog, op);
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
