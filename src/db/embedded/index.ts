/**
 * The embedded MongoDB-compatible server: the command engine, made durable by the journal when a
 * data directory is given, served by the wire server on a Unix socket (the tool) or a loopback port.
 */
import { createEngine } from './engine';
import { Journal } from './journal';
import type { EmbeddedServer, EmbeddedServerOptions, EngineOptions } from './types';
import { startWireServer } from './wire/server';
import { prepareSocketPath, socketUri } from './wire/socket-path';

type Log = NonNullable<EngineOptions['log']>;

/** Without a logger of the caller's, warnings still reach stderr as one JSON line each. */
const stderrLog: Log = {
  warn(obj, msg) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...(obj as object) })}\n`);
  },
  info() {},
};

export interface StartOptions extends EmbeddedServerOptions {
  /** Journal size that triggers compaction (default 64 MB); small values let tests crash mid-compaction. */
  compactBytes?: number;
}

/** The servers open in this process, so readiness can ask whether any of them refuses writes. */
const openServers = new Set<EmbeddedServer>();

/** Why an embedded database of this process refuses writes just now, or undefined. */
export function embeddedWritesRefused(): string | undefined {
  for (const server of openServers) {
    const why = server.refusingWrites();
    if (why) return why;
  }
  return undefined;
}

export async function startEmbeddedServer(options: StartOptions = {}): Promise<EmbeddedServer> {
  const log = options.log ?? stderrLog;
  const host = options.host ?? '127.0.0.1';
  const journal = options.dataDir ? Journal.open({ dataDir: options.dataDir, log, compactBytes: options.compactBytes }) : undefined;
  const engine = createEngine({ persist: journal?.persist, log, blobs: journal?.blobs });
  try {
    await journal?.recover(engine);
  } catch (err) {
    engine.close();
    await journal?.close().catch(() => undefined);
    throw err;
  }
  let wire;
  try {
    if (options.socketPath) await prepareSocketPath(options.socketPath);
    wire = await startWireServer(engine, { host, port: options.port ?? 0, socketPath: options.socketPath, log });
  } catch (err) {
    engine.close();
    await journal?.close();
    throw err;
  }
  const server = wire;
  let closing: Promise<void> | undefined;
  const embedded: EmbeddedServer = {
    uri: options.socketPath ? socketUri(options.socketPath) : `mongodb://${host}:${server.port}`,
    port: server.port,
    refusingWrites: () => journal?.refusingWrites,
    stats() {
      const blobs = journal?.blobs.stats() ?? { files: 0, bytes: 0, pendingBytes: 0 };
      return { ...engine.stats(), blobFiles: blobs.files, blobFileBytes: blobs.bytes, pendingBlobBytes: blobs.pendingBytes };
    },
    close() {
      closing ??= (async () => {
        openServers.delete(embedded);
        await server.close();
        engine.close();
        await journal?.close();
      })();
      return closing;
    },
  };
  openServers.add(embedded);
  return embedded;
}

export type { EmbeddedServer, EmbeddedServerOptions } from './types';
