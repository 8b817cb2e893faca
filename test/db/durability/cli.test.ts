import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { removeDir, tempDataDir } from './helpers';

const CLI = path.join(__dirname, '../../../src/db/embedded/cli.ts');

function startCli(args: string[]): { uri: Promise<string>; exited: Promise<number | null>; stderr(): string; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const uri = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    void exited.then((code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
  });
  return { uri, exited, stderr: () => stderr, kill: (signal) => child.kill(signal) };
}

test('the standalone server prints its URI, serves the driver, and closes cleanly on SIGINT', async () => {
  const dir = tempDataDir('cli');
  try {
    const first = startCli(['--port', '0', '--data', dir]);
    const uri = await first.uri;
    expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    await client.db('cli').collection<{ _id: number; name: string }>('people').insertOne({ _id: 1, name: 'Ada' });
    await client.close();

    const second = startCli(['--port', '0', '--data', dir]);
    await expect(second.uri).rejects.toThrow(/in use by process/);
    expect(await second.exited).toBe(1);

    first.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['journal.1.bson', 'snapshot.1.bson']);

    const third = startCli(['--port', '0', '--data', dir]);
    const again = new MongoClient(await third.uri, { serverSelectionTimeoutMS: 10_000 });
    expect(await again.db('cli').collection<{ _id: number; name: string }>('people').findOne({ _id: 1 })).toEqual({ _id: 1, name: 'Ada' });
    await again.close();
    third.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  } finally {
    removeDir(dir);
  }
}, 120_000);

test('by default the standalone server listens on a private Unix socket in its data directory; TCP only when asked, with a warning', async () => {
  const dir = tempDataDir('cli-socket');
  try {
    const onSocket = startCli(['--data', dir]);
    const uri = await onSocket.uri;
    const socket = path.join(dir, 'mongodb.sock');
    expect(uri).toBe(`mongodb://${encodeURIComponent(socket)}`);
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const client = new MongoClient(`${uri}/cli`, { serverSelectionTimeoutMS: 10_000 });
    await client.db().collection('people').insertOne({ _id: 1 as never, name: 'Grace' });
    await client.close();
    expect(onSocket.stderr()).not.toMatch(/TCP/);
    onSocket.kill('SIGINT');
    expect(await onSocket.exited).toBe(0);
    expect(fs.existsSync(socket)).toBe(false);

    const onTcp = startCli(['--port', '0', '--data', dir]);
    expect(await onTcp.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
    expect(onTcp.stderr()).toMatch(/listening on TCP: the embedded database has no password/);
    onTcp.kill('SIGINT');
    expect(await onTcp.exited).toBe(0);
  } finally {
    removeDir(dir);
  }
}, 120_000);
