import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded';
import type { EmbeddedServer } from '../../../src/db/embedded/types';
import { captureLog, crashImage, journalFile, removeDir, tempDataDir } from './helpers';

/** Test documents keyed by number or string, not ObjectId. */
type Doc = { _id: number | string; email?: string; n?: number; body?: string; x?: number };

const dirs: string[] = [];
const servers: EmbeddedServer[] = [];

function dataDir(label: string): string {
  const dir = tempDataDir(label);
  dirs.push(dir);
  return dir;
}

async function open(dir: string, log = captureLog().log): Promise<{ server: EmbeddedServer; client: MongoClient }> {
  const server = await startEmbeddedServer({ dataDir: dir, log });
  servers.push(server);
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000, retryWrites: false });
  await client.connect();
  return { server, client };
}

async function shut(opened: { server: EmbeddedServer; client: MongoClient }): Promise<void> {
  await opened.client.close();
  await opened.server.close();
}

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) removeDir(d);
});

test('writes survive a close and reopen, with their indexes', async () => {
  const dir = dataDir('reopen');
  const first = await open(dir);
  const people = first.client.db('durable').collection<Doc>('people');
  await people.createIndex({ email: 1 }, { unique: true });
  await people.insertMany([{ _id: 1, email: 'a@example.ac.uk', n: 0 }, { _id: 2, email: 'b@example.ac.uk', n: 0 }]);
  await people.updateOne({ _id: 1 }, { $inc: { n: 5 } });
  await people.deleteOne({ _id: 2 });
  await first.client.db('durable').collection<Doc>('dropped').insertOne({ _id: 1, x: 1 });
  await first.client.db('durable').collection<Doc>('dropped').drop();
  await shut(first);

  const second = await open(dir);
  const again = second.client.db('durable').collection<Doc>('people');
  expect(await again.find().toArray()).toEqual([{ _id: 1, email: 'a@example.ac.uk', n: 5 }]);
  const names = (await second.client.db('durable').listCollections().toArray()).map((c) => c.name);
  expect(names).toEqual(['people']);
  await expect(again.insertOne({ _id: 3, email: 'a@example.ac.uk' })).rejects.toMatchObject({ code: 11000 });
  await shut(second);
});

test('a torn last record (the file cut mid-record) is dropped and the database opens', async () => {
  const dir = dataDir('cut');
  const live = await open(dir);
  const coll = live.client.db('durable').collection<Doc>('cut');
  for (let i = 0; i < 10; i += 1) await coll.insertOne({ _id: i, body: 'x'.repeat(100) });
  const image = crashImage(dir, 'cut-image');
  dirs.push(image);
  await shut(live);

  const file = journalFile(image);
  fs.truncateSync(file, fs.statSync(file).size - 20); // the last insert was mid-append when the "crash" came
  const captured = captureLog();
  const reopened = await open(image, captured.log);
  const ids = (await reopened.client.db('durable').collection<Doc>('cut').find().toArray()).map((d) => d._id);
  expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  expect(captured.warnings.some((w) => w.includes('torn'))).toBe(true);
  await shut(reopened);
});

test('garbage appended after the last record is dropped and every record before it is kept', async () => {
  const dir = dataDir('garbage');
  const live = await open(dir);
  const coll = live.client.db('durable').collection<Doc>('garbage');
  for (let i = 0; i < 5; i += 1) await coll.updateOne({ _id: 'counter' }, { $inc: { n: 1 } }, { upsert: true });
  const image = crashImage(dir, 'garbage-image');
  dirs.push(image);
  await shut(live);

  fs.appendFileSync(journalFile(image), Buffer.from('\x10\x00\x00\x00garbage that is not a record'));
  const captured = captureLog();
  const reopened = await open(image, captured.log);
  expect(await reopened.client.db('durable').collection<Doc>('garbage').findOne({ _id: 'counter' })).toEqual({ _id: 'counter', n: 5 });
  expect(captured.warnings.length).toBe(1);
  // The torn bytes are gone from disk: the next open finds a clean file.
  await shut(reopened);
  const clean = captureLog();
  const third = await open(image, clean.log);
  expect(clean.warnings).toEqual([]);
  await shut(third);
});

test('a damaged record with records after it is refused rather than silently dropped', async () => {
  const dir = dataDir('corrupt');
  const live = await open(dir);
  const coll = live.client.db('durable').collection<Doc>('corrupt');
  for (let i = 0; i < 5; i += 1) await coll.insertOne({ _id: i });
  const image = crashImage(dir, 'corrupt-image');
  dirs.push(image);
  await shut(live);

  const file = journalFile(image);
  const bytes = fs.readFileSync(file);
  bytes[12] ^= 0xff; // inside the first record's body
  fs.writeFileSync(file, bytes);
  await expect(startEmbeddedServer({ dataDir: image, log: captureLog().log })).rejects.toThrow(/checksum mismatch/);
  // The refusal released the lock: a repaired directory can be opened by the next attempt.
  bytes[12] ^= 0xff;
  fs.writeFileSync(file, bytes);
  const repaired = await open(image);
  expect(await repaired.client.db('durable').collection<Doc>('corrupt').countDocuments()).toBe(5);
  await shut(repaired);
});

test('a data directory in use by this process is refused with a clear message', async () => {
  const dir = dataDir('lock-self');
  const live = await open(dir);
  await expect(startEmbeddedServer({ dataDir: dir, log: captureLog().log })).rejects.toThrow(/already open in this process/);
  await shut(live);
  const after = await open(dir);
  await shut(after);
});

test('a lock held by another live process is refused; one left by a dead process is taken over', async () => {
  const dir = dataDir('lock-other');
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  try {
    fs.writeFileSync(path.join(dir, 'mongod.lock'), JSON.stringify({ pid: sleeper.pid }));
    await expect(startEmbeddedServer({ dataDir: dir, log: captureLog().log })).rejects.toThrow(
      new RegExp(`in use by process ${sleeper.pid}`),
    );
  } finally {
    sleeper.kill('SIGKILL');
  }
  await new Promise((resolve) => sleeper.once('exit', resolve));
  const taken = await open(dir);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'mongod.lock'), 'utf8')).pid).toBe(process.pid);
  await shut(taken);
  expect(fs.existsSync(path.join(dir, 'mongod.lock'))).toBe(false);
});
