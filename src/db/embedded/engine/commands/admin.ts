import type { Document } from '../../types';
import { keyString } from '../bson-values';
import { CommandError } from '../errors';
import type { CommandContext } from './context';

let connectionCounter = 0;

/** A standalone server's handshake; no topologyVersion, compression or $clusterTime, so drivers treat us as one. */
export function hello(_ctx: CommandContext, _cmd: Document): Document {
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ++connectionCounter,
    minWireVersion: 0,
    maxWireVersion: 25, // MongoDB 8.0, as production's mongo:8
    readOnly: false,
    ok: 1,
  };
}

export function ping(): Document {
  return { ok: 1 };
}

export function buildInfo(): Document {
  return {
    version: '8.0.0',
    gitVersion: 'embedded',
    versionArray: [8, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['embedded'],
    javascriptEngine: 'none',
    modules: [],
    ok: 1,
  };
}

export function getParameter(_ctx: CommandContext, cmd: Document): Document {
  const reply: Document = { ok: 1 };
  if ('featureCompatibilityVersion' in cmd) reply.featureCompatibilityVersion = { version: '8.0' };
  return reply;
}

export function getLastError(): Document {
  return { n: 0, err: null, ok: 1 };
}

/** endSessions / refreshSessions: ending a session closes the cursors it opened. */
export function endSessions(ctx: CommandContext, cmd: Document): Document {
  const name = Object.keys(cmd)[0].toLowerCase();
  const sessions = Array.isArray(cmd[Object.keys(cmd)[0]]) ? (cmd[Object.keys(cmd)[0]] as Document[]) : [];
  if (name === 'endsessions') ctx.cursors.endSessions(sessions.map((s) => keyString(s?.id)));
  return { ok: 1 };
}

export function connectionStatus(): Document {
  return { authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 };
}

export function hostInfo(): Document {
  return { system: { currentTime: new Date(), hostname: 'localhost' }, os: { type: process.platform }, extra: {}, ok: 1 };
}

export function getCmdLineOpts(): Document {
  return { argv: ['embedded'], parsed: {}, ok: 1 };
}

export function getLog(): Document {
  return { totalLinesWritten: 0, log: [], ok: 1 };
}

export function whatsmyuri(): Document {
  return { you: '127.0.0.1:0', ok: 1 };
}

export function serverStatus(): Document {
  return { host: 'localhost', version: '8.0.0', process: 'embedded', uptime: process.uptime(), localTime: new Date(), ok: 1 };
}

/** Multi-document transactions are out of scope (see docs): refuse clearly instead of pretending. */
export function transactionsUnsupported(): Document {
  throw new CommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
}
