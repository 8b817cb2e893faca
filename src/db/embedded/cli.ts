/**
 * The embedded database on its own, for mongosh, Compass, benchmarks or a second tool instance:
 *   node dist/src/db/embedded/cli.js --data ./data/db          (a Unix socket: ./data/db/mongodb.sock)
 *   node dist/src/db/embedded/cli.js --port 27017              (TCP, only when asked: no password!)
 * No --data: in memory. The socket is the default because it is private to this user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedServer } from './index';

const USAGE = [
  'usage: cli [--data DIR] [--socket PATH] | [--port 27017 [--host 127.0.0.1]]',
  '  default: a Unix socket only this user can open (DIR/mongodb.sock, or a private temporary one)',
  '  --port:  listen on TCP instead; the database has no password, so anyone who can reach the port can read and change everything',
].join('\n');

interface Args {
  host?: string;
  port?: number;
  socketPath?: string;
  dataDir?: string;
}

function parseArgs(argv: string[]): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--port') {
      out.port = Number(value());
      if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`--port must be 0-65535\n${USAGE}`);
    } else if (flag === '--data' || flag === '--dbpath') out.dataDir = value();
    else if (flag === '--host' || flag === '--bind_ip') out.host = value();
    else if (flag === '--socket') out.socketPath = path.resolve(value());
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (out.socketPath && (out.port !== undefined || out.host)) throw new Error(`--socket and --port/--host cannot be used together\n${USAGE}`);
  return out;
}

const log = {
  warn: (obj: unknown, msg?: string) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...(obj as object) })}\n`),
  info: (obj: unknown, msg?: string) => process.stderr.write(`${JSON.stringify({ level: 'info', msg, ...(obj as object) })}\n`),
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const tcp = args.port !== undefined || args.host !== undefined;
  let scratch: string | undefined;
  let socketPath: string | undefined;
  if (tcp) {
    log.warn({ host: args.host ?? '127.0.0.1', port: args.port ?? 27017 }, 'listening on TCP: the embedded database has no password, so any process or user that can reach this port can read and change every portfolio. Use the default Unix socket unless you need TCP.');
  } else if (args.socketPath) {
    socketPath = args.socketPath;
  } else if (args.dataDir) {
    socketPath = path.join(path.resolve(args.dataDir), 'mongodb.sock');
  } else {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'cmalt-db-')); // created 0700
    socketPath = path.join(scratch, 'mongodb.sock');
  }
  const server = await startEmbeddedServer({
    host: args.host,
    port: tcp ? (args.port ?? 27017) : undefined,
    socketPath,
    dataDir: args.dataDir ?? null,
    log,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'closing the embedded database');
    server.close().then(
      () => {
        if (scratch) rmSync(scratch, { recursive: true, force: true });
        process.exit(0);
      },
      (err: Error) => {
        log.warn({ err: err.message }, 'embedded database did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write(`${server.uri}\n`); // last: whoever reads it may signal us at once
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
