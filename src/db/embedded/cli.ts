/**
 * The embedded database on its own, for mongosh, Compass, benchmarks or a second tool instance:
 *   node dist/src/db/embedded/cli.js --port 27017 --data ./data   (no --data: in memory)
 */
import { startEmbeddedServer } from './index';

const USAGE = 'usage: cli [--host 127.0.0.1] [--port 27017] [--data DIR]';

function parseArgs(argv: string[]): { host?: string; port: number; dataDir?: string } {
  const out: { host?: string; port: number; dataDir?: string } = { port: 27017 };
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
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return out;
}

const log = {
  warn: (obj: unknown, msg?: string) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...(obj as object) })}\n`),
  info: (obj: unknown, msg?: string) => process.stderr.write(`${JSON.stringify({ level: 'info', msg, ...(obj as object) })}\n`),
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await startEmbeddedServer({ host: args.host, port: args.port, dataDir: args.dataDir ?? null, log });
  process.stdout.write(`${server.uri}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'closing the embedded database');
    server.close().then(
      () => process.exit(0),
      (err: Error) => {
        log.warn({ err: err.message }, 'embedded database did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
