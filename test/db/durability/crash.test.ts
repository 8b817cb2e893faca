/**
 * THE CRASH TEST: a child process serves a data directory; we write through the driver with
 * acknowledgement from many concurrent workers, SIGKILL the child at an arbitrary moment, restart
 * it, and check that every acknowledged write is there. Repeated, so each round also recovers the
 * previous rounds' data and the stale lock of the killed process; the later rounds compact every
 * 64 KB, so that kills also land mid-compaction. Some workers upload GridFS files, whose chunks go to
 * the blob store: kills land mid-blob-write too, and every file present must read back whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { GridFSBucket, MongoClient, type Collection } from 'mongodb';
import { removeDir, tempDataDir } from './helpers';

const CHILD = path.join(__dirname, 'crash-child.ts');
const ROUNDS = 6;
const WORKERS = 24;
const COUNTERS = 6;
const UPLOADERS = 2; // of the workers, these upload files

interface Child {
  process: ChildProcess;
  uri: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

const running = new Set<ChildProcess>();

function startChild(dir: string, compactBytes?: number): Promise<Child> {
  const args = ['--require', require.resolve('tsx/cjs'), CHILD, dir, ...(compactBytes ? [String(compactBytes)] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child did not start: ${stderr}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ process: child, uri: (JSON.parse(line) as { uri: string }).uri, exited, stderr: () => stderr });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before starting: ${stderr}`));
    });
  });
}

interface Ledger {
  acked: Set<string>;
  files: Set<string>; // uploads acknowledged whole
  counters: Array<{ acked: number; attempted: number }>;
}

async function verify(uri: string, ledger: Ledger): Promise<void> {
  const client = new MongoClient(uri, { retryWrites: false, serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db('crash');
    const present = new Set((await db.collection<{ _id: string }>('docs').find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    const missing = [...ledger.acked].filter((id) => !present.has(id));
    expect(missing).toEqual([]);
    const counters = await db.collection<{ _id: number; n: number }>('counters').find().toArray();
    for (let k = 0; k < COUNTERS; k += 1) {
      const n = counters.find((c) => c._id === k)?.n ?? 0;
      expect(n).toBeGreaterThanOrEqual(ledger.counters[k].acked);
      expect(n).toBeLessThanOrEqual(ledger.counters[k].attempted);
    }
    // A unique index survives the crashes and still holds.
    const docs = db.collection<{ _id: string; email?: string }>('docs');
    await expect(docs.insertOne({ _id: 'u', email: 'dup@example.ac.uk' })).resolves.toBeTruthy();
    await expect(docs.insertOne({ _id: 'u2', email: 'dup@example.ac.uk' })).rejects.toMatchObject({ code: 11000 });
    await docs.deleteOne({ _id: 'u' });
    // every file present (acknowledged or not: its files document is written after its last chunk) reads back whole
    const bucket = new GridFSBucket(db);
    const files = await bucket.find({}).toArray();
    const names = new Set(files.map((f) => f.filename));
    expect([...ledger.files].filter((name) => !names.has(name))).toEqual([]);
    for (const f of files) {
      const hash = createHash('sha256');
      for await (const part of bucket.openDownloadStream(f._id)) hash.update(part as Buffer);
      expect([f.filename, hash.digest('hex')]).toEqual([f.filename, (f.metadata as { sha256: string }).sha256]);
    }
  } finally {
    await client.close(true);
  }
}

async function uploadOne(bucket: GridFSBucket, name: string): Promise<void> {
  const bytes = randomBytes(60 * 1024 + Math.floor(Math.random() * 100 * 1024));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await new Promise<void>((resolve, reject) => {
    const upload = bucket.openUploadStream(name, { chunkSizeBytes: 32 * 1024, metadata: { sha256 } });
    upload.once('finish', () => resolve()).once('error', reject);
    upload.end(bytes);
  });
}

async function worker(id: number, round: number, bucket: GridFSBucket, docs: Collection<{ _id: string }>, counters: Collection<{ _id: number; n?: number }>, ledger: Ledger, stop: () => boolean): Promise<void> {
  for (let i = 0; !stop(); i += 1) {
    const choice = (id + i) % 3;
    try {
      if (id < UPLOADERS) {
        const name = `r${round}-w${id}-${i}.bin`;
        await uploadOne(bucket, name);
        ledger.files.add(name);
      } else if (choice === 0) {
        const _id = `r${round}-w${id}-${i}`;
        await docs.insertOne({ _id }, { writeConcern: { w: 1 } });
        ledger.acked.add(_id);
      } else if (choice === 1) {
        const batch = Array.from({ length: 5 }, (_, j) => ({ _id: `r${round}-w${id}-${i}-${j}` }));
        await docs.insertMany(batch, { writeConcern: { w: 1 }, ordered: true });
        for (const d of batch) ledger.acked.add(d._id);
      } else {
        const k = (id * 7 + i) % COUNTERS;
        ledger.counters[k].attempted += 1;
        await counters.updateOne({ _id: k }, { $inc: { n: 1 } }, { upsert: true, writeConcern: { w: 1 } });
        ledger.counters[k].acked += 1;
      }
    } catch {
      if (stop()) return; // the server was killed under this write: it was never acknowledged
      throw new Error(`write failed while the server was up (worker ${id})`);
    }
  }
}

test('every acknowledged write survives SIGKILL at an arbitrary moment', async () => {
  const dir = tempDataDir('crash');
  const ledger: Ledger = { acked: new Set(), files: new Set(), counters: Array.from({ length: COUNTERS }, () => ({ acked: 0, attempted: 0 })) };
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Later rounds compact every 64 KB, so kills also land inside compactions.
      const child = await startChild(dir, round >= ROUNDS / 2 ? 64 * 1024 : undefined);
      const client = new MongoClient(child.uri, { retryWrites: false, maxPoolSize: WORKERS, serverSelectionTimeoutMS: 2000 });
      await client.connect();
      if (round === 0) await client.db('crash').collection('docs').createIndex({ email: 1 }, { unique: true, sparse: true });
      await verify(child.uri, ledger);
      let killed = false;
      const before = ledger.acked.size;
      const docs = client.db('crash').collection<{ _id: string }>('docs');
      const counters = client.db('crash').collection<{ _id: number; n?: number }>('counters');
      const bucket = new GridFSBucket(client.db('crash'));
      const work = Array.from({ length: WORKERS }, (_, w) => worker(w, round, bucket, docs, counters, ledger, () => killed));
      // Writes are flowing before the kill is timed, however slow the machine is today.
      const flowing = (async () => {
        while (ledger.acked.size - before < 50) await new Promise((r) => setTimeout(r, 10));
      })();
      await Promise.race([flowing, Promise.all(work)]); // a worker failing while the server is up fails the test here
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 900)));
      killed = true;
      child.process.kill('SIGKILL');
      await child.exited;
      await Promise.all(work);
      await client.close(true);
    }
    const last = await startChild(dir);
    await verify(last.uri, ledger);
    last.process.kill('SIGTERM');
    expect(await last.exited).toBe(0); // a clean close compacts and releases the lock
    const reopened = await startChild(dir);
    await verify(reopened.uri, ledger);
    reopened.process.kill('SIGKILL');
    await reopened.exited;
  } finally {
    for (const child of running) child.kill('SIGKILL');
    removeDir(dir);
  }
}, 300_000);
