/** The server the crash test kills: runs the embedded database on argv[2] (compacting every argv[3] bytes) and prints its URI. */
import { startEmbeddedServer } from '../../../src/db/embedded';

const log = {
  warn: (obj: unknown, msg?: string) => process.stderr.write(`${msg ?? ''} ${JSON.stringify(obj)}\n`),
  info: () => undefined,
};

const compactBytes = process.argv[3] ? Number(process.argv[3]) : undefined;

startEmbeddedServer({ dataDir: process.argv[2], log, compactBytes }).then(
  (server) => {
    process.stdout.write(`${JSON.stringify({ uri: server.uri })}\n`);
    process.on('SIGTERM', () => {
      server.close().then(() => process.exit(0), () => process.exit(1));
    });
  },
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  },
);
