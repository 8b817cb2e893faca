import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { embeddedWritesRefused, startEmbeddedServer } from './embedded';

export interface DatabaseChoice {
  uri: string;
  embedded: boolean;
  /** Stops the embedded engine (nothing to do for an external MongoDB). */
  close(): Promise<void>;
}

/** The embedded database's socket: only the tool's own user can open it (DATA_DIR/db is 0700, the socket 0600). */
export const socketPathFor = (dataDir: string) => path.join(dataDir, 'db', 'mongodb.sock');

/**
 * MONGODB_URI when set; otherwise the embedded engine, journaled under DATA_DIR/db and reachable only
 * through a Unix socket there: no TCP port is opened, so no other local user or process can connect.
 */
export async function chooseDatabase(config: Config, log: Logger): Promise<DatabaseChoice> {
  if (config.mongodbUri) return { uri: config.mongodbUri, embedded: false, close: async () => undefined };
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const dataDir = path.join(config.dataDir, 'db');
  const server = await startEmbeddedServer({ dataDir, socketPath: socketPathFor(config.dataDir), log });
  log.info({ dataDir }, 'using the embedded database on a private socket (set MONGODB_URI for production)');
  const [base, query] = server.uri.split('?');
  return { uri: `${base.replace(/\/$/, '')}/cmalt${query ? `?${query}` : ''}`, embedded: true, close: () => server.close() };
}

/** MongoDB's codes for a database that cannot write to its disk (out of space, or a failing file). */
const WRITE_REFUSAL_CODES = new Set([14031, 39]);

/** Whether an error is the database refusing a write because its disk is full or failing. */
export function isWriteRefusal(err: unknown): boolean {
  return typeof err === 'object' && err !== null && WRITE_REFUSAL_CODES.has((err as { code?: unknown }).code as number);
}

/** Why the database refuses writes just now (the embedded engine knows; MongoDB stops answering instead). */
export function databaseRefusingWrites(): string | undefined {
  return embeddedWritesRefused();
}
