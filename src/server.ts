import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { createApp } from './boot';
import { ConfigError, loadConfig, type Config } from './config';
import { chooseDatabase } from './db';
import { createLogger } from './log';

const DRAIN_TIMEOUT_MS = 10_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`CMALT Portfolio cannot start.\n${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Start-up: configuration, logger, database, the app; then a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger({ level: config.logLevel, pretty: config.env === 'development' });
  if (config.ltiKeyGenerated) {
    log.warn({ file: `${config.dataDir}/lti-key` }, 'LTI_KEY is not set: using a generated key kept in DATA_DIR. Set LTI_KEY in production.');
  }
  const db = await chooseDatabase(config, log);
  await mongoose.connect(db.uri, { serverSelectionTimeoutMS: 10_000 });
  const tool = await createApp({ config, log, dbUri: db.uri, gradebookWorker: true, exportWorker: true }); // also posts queued grades, syncs rosters, builds exports
  const server: Server = tool.app.listen(config.port, () => {
    const address = server.address();
    log.info({ port: typeof address === 'object' && address ? address.port : config.port, url: config.publicUrl }, 'CMALT Portfolio is listening');
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new requests, finishing the ones in progress');
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      log.warn('requests still open after the drain timeout: closing them');
      server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    timer.unref();
    await drained;
    clearTimeout(timer);
    await tool.close().catch((err: unknown) => log.error({ err }, 'stopping the workers and ltijs failed'));
    await mongoose.disconnect().catch((err: unknown) => log.error({ err }, 'closing the database connection failed'));
    await db.close().catch((err: unknown) => log.error({ err }, 'stopping the embedded database failed'));
    log.info('stopped');
    log.flush?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('CMALT Portfolio failed to start:', err);
  process.exit(1);
});
