/**
 * The embedded database through the official driver: throughput in memory and with a data
 * directory (every write fsynced), and the cost of a unique-key find at 100,000 documents over
 * 1,000, which stays near 1 only if finds use the index (a collection scan would be ~100); resident
 * memory with GridFS files loaded against none, the longest stall during a compaction, and the
 * MongoDB spec tests' pass count.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { GridFSBucket, MongoClient, type Collection } from 'mongodb';
import { startEmbeddedServer } from '../src/db/embedded';
import { runIfMain } from './support/main';

const OPS = 5_000;
const ROUNDS = 3;
const CONCURRENCY = 32;
const LOOKUPS = 3_000;
const silent = { warn: () => undefined, info: () => undefined };

interface Item {
  _id: number;
  key: string;
  n: number;
  body: string;
}

const keyOf = (i: number): string => `k${String(i).padStart(7, '0')}`;

async function timed(ops: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) await op(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ops / seconds;
}

interface Target {
  label: string;
  coll: Collection<Item>;
  close(): Promise<void>;
}

async function openTarget(label: string, dataDir: string | null): Promise<Target> {
  const server = await startEmbeddedServer({ dataDir, log: silent });
  const client = new MongoClient(server.uri, { maxPoolSize: CONCURRENCY });
  const coll = client.db('bench').collection<Item>('items');
  await coll.createIndex({ key: 1 }, { unique: true });
  return {
    label,
    coll,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/**
 * Each kind of operation is measured in alternating rounds on both targets and the best round is
 * kept, so that a busy machine disturbs the data-dir/in-memory ratio as little as possible.
 */
async function throughput(targets: Target[]): Promise<Map<string, Record<string, number>>> {
  const best = new Map(targets.map((t) => [t.label, { insert: 0, find: 0, update: 0 } as Record<string, number>]));
  const kinds: Array<[string, (coll: Collection<Item>, round: number) => (i: number) => Promise<unknown>]> = [
    ['insert', (coll, round) => (i) => coll.insertOne({ _id: round * OPS + i, key: keyOf(round * OPS + i), n: 0, body: 'x'.repeat(100) })],
    ['find', (coll) => (i) => coll.findOne({ key: keyOf((i * 7919) % OPS) })],
    ['update', (coll) => (i) => coll.updateOne({ key: keyOf((i * 104729) % OPS) }, { $inc: { n: 1 } })],
  ];
  for (const [kind, op] of kinds) {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of targets) {
        const rate = await timed(OPS, CONCURRENCY, op(target.coll, round));
        const record = best.get(target.label)!;
        record[kind] = Math.max(record[kind], rate);
      }
    }
  }
  for (const [label, rates] of best) {
    for (const [kind, rate] of Object.entries(rates)) {
      console.log(`db ${label.padEnd(9)} ${kind.padEnd(7)} ${Math.round(rate).toString().padStart(8)} ops/s  (${CONCURRENCY} concurrent, best of ${ROUNDS})`);
    }
  }
  return best;
}

async function fill(coll: Collection<Item>, count: number): Promise<void> {
  for (let from = 0; from < count; from += 10_000) {
    const docs = Array.from({ length: Math.min(10_000, count - from) }, (_, j) => ({ _id: from + j, key: keyOf(from + j), n: 0, body: 'x'.repeat(100) }));
    await coll.insertMany(docs, { ordered: false });
  }
}

/**
 * Mean latency (microseconds) of sequential finds on two collections, alternating one lookup on
 * each, so that warm-up and a busy machine weigh on both alike.
 */
async function findLatencies(pair: Array<[Collection<Item>, number]>, lookups: number, field: 'key' | 'missing'): Promise<number[]> {
  const totals = pair.map(() => 0n);
  for (let i = 0; i < lookups; i += 1) {
    for (const [j, [coll, count]] of pair.entries()) {
      const k = keyOf((i * 7919) % count);
      const start = process.hrtime.bigint();
      await coll.findOne(field === 'key' ? { key: k } : { missing: k });
      totals[j] += process.hrtime.bigint() - start;
    }
  }
  return totals.map((t) => Number(t) / 1e3 / lookups);
}

async function scaling(): Promise<number> {
  const server = await startEmbeddedServer({ log: silent });
  const client = new MongoClient(server.uri);
  try {
    const db = client.db('bench_scaling');
    const small = db.collection<Item>('small');
    const large = db.collection<Item>('large');
    for (const coll of [small, large]) await coll.createIndex({ key: 1 }, { unique: true });
    await fill(small, 1_000);
    await fill(large, 100_000);
    const pair: Array<[Collection<Item>, number]> = [[small, 1_000], [large, 100_000]];
    await findLatencies(pair, 500, 'key'); // warm-up
    const [at1k, at100k] = await findLatencies(pair, LOOKUPS, 'key');
    const ratio = at100k / at1k;
    console.log(`db find by unique key: ${at1k.toFixed(0)} us at 1,000 docs, ${at100k.toFixed(0)} us at 100,000 docs`);
    console.log(`db find-by-unique-key latency ratio 100k/1k: ${ratio.toFixed(2)} (must stay below 2)`);
    // For contrast, a find on a field with no index (a collection scan), on a few lookups only.
    const [scan1k, scan100k] = await findLatencies(pair, 30, 'missing');
    console.log(`db unindexed find latency ratio 100k/1k: ${(scan100k / scan1k).toFixed(1)} (a collection scan, for contrast)`);
    return ratio;
  } finally {
    await client.close();
    await server.close();
  }
}

/**
 * The longest event-loop stall while a compaction runs over `mb` megabytes of documents, with writes
 * going on meanwhile (goal: under 50 ms). The fill crosses the compaction threshold near its end.
 */
export async function compactionStall(mb: number): Promise<{ stallMs: number; writesDuring: number; seconds: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmalt-bench-compact-'));
  let started = 0;
  let finished = 0;
  const log = {
    warn: () => undefined,
    info: (_obj: unknown, msg?: string) => {
      if (msg === 'embedded database compaction started' && !started) started = performance.now();
      if (msg === 'embedded database compacted' && started && !finished) finished = performance.now();
    },
  };
  const bytes = mb * 1024 * 1024;
  const server = await startEmbeddedServer({ dataDir: dir, log, compactBytes: Math.floor(bytes * 0.97) });
  const client = new MongoClient(server.uri);
  const coll = client.db('bench_compact').collection<Item>('items');
  const body = 'x'.repeat(1000);
  try {
    const perBatch = 1000;
    let id = 0;
    while (!started) {
      await coll.insertMany(Array.from({ length: perBatch }, () => ({ _id: id, key: keyOf(id++), n: 0, body })), { ordered: false });
    }
    // From here: measure the loop's longest gap while writes keep going, until the snapshot is in place.
    let last = performance.now();
    let stall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      stall = Math.max(stall, now - last - 1);
      last = now;
    }, 1);
    let writesDuring = 0;
    while (!finished) {
      await coll.updateOne({ _id: writesDuring % id }, { $inc: { n: 1 } });
      writesDuring += 1;
    }
    clearInterval(ticker);
    return { stallMs: stall, writesDuring, seconds: (finished - started) / 1000 };
  } finally {
    await client.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MB = 2 ** 20;

const collectGarbage = (): void => {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
};

interface MemoryFigures {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  binaryBytesInMemory: number;
  blobFileBytes: number;
}

/**
 * One measurement, in a child process of its own: the embedded database with a data directory and
 * 5,000 ordinary documents, plus `mb` megabytes of GridFS files. Server and client share the process,
 * as in the tool. Resident memory is read after a full garbage collection, once it has settled.
 */
async function memoryChild(mb: number): Promise<MemoryFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmalt-bench-gridfs-'));
  const server = await startEmbeddedServer({ dataDir: dir, log: silent });
  const client = new MongoClient(server.uri);
  try {
    const db = client.db('bench_gridfs');
    await fill(db.collection<Item>('text'), 5_000); // some ordinary documents, as the tool has
    const bucket = new GridFSBucket(db);
    for (let i = 0; i < mb / 8; i += 1) {
      // 8 MB files streamed in 64 KiB pieces, as an upload reaches the tool (file-store's upload sink);
      // random bytes, so no two chunks share a blob file
      const upload = bucket.openUploadStream(`evidence-${i}.bin`);
      const done = new Promise<void>((resolve, reject) => upload.once('finish', () => resolve()).once('error', reject));
      for (let sent = 0; sent < 8 * MB; sent += 64 * 1024) {
        if (!upload.write(randomFillSync(Buffer.alloc(64 * 1024)))) await new Promise((resolve) => upload.once('drain', resolve));
      }
      upload.end();
      await done;
    }
    // settle: a few collections apart, until resident memory stops falling
    let rss = Infinity;
    for (let i = 0; i < 10; i += 1) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = process.memoryUsage().rss;
      if (now >= rss * 0.99) break;
      rss = now;
    }
    const usage = process.memoryUsage();
    const stats = server.stats();
    return { rss: usage.rss, heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external, binaryBytesInMemory: stats.binaryBytesInMemory, blobFileBytes: stats.blobFileBytes };
  } finally {
    await client.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs memoryChild in a fresh process, so that the two figures share nothing. */
function measureInChild(mb: number): Promise<MemoryFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, 'memory-child', String(mb)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`memory child (${mb} MB) exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as MemoryFigures);
    });
  });
}

/**
 * Resident memory with `mb` megabytes of GridFS files loaded (their chunks kept on disk), against the
 * same tool with none (goal: under 1.2x), each measured in its own child process.
 */
export async function gridfsMemory(mb: number): Promise<{ without: MemoryFigures; fifth: MemoryFigures; withFiles: MemoryFigures }> {
  const without = await measureInChild(0);
  const fifth = await measureInChild(Math.max(8, Math.round(mb / 5 / 8) * 8));
  const withFiles = await measureInChild(mb);
  return { without, fifth, withFiles };
}

/** The spec tests' pass count, as `npm test` runs them (jest on test/db/spec). */
function specTestCounts(): string {
  const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--maxWorkers=1', 'test/db/spec'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = `${run.stdout}\n${run.stderr}`.split('\n').find((l) => l.includes('MongoDB spec tests:'));
  return line ? line.trim() : `not found (jest exited with ${run.status})`;
}

export async function run(): Promise<void> {
  const mb = Number(process.env.BENCH_GRIDFS_MB ?? 500);
  const { without, fifth, withFiles } = await gridfsMemory(mb);
  const mbOf = (bytes: number) => (bytes / MB).toFixed(0);
  console.log(`db resident memory with ${mb} MB of GridFS files: ${mbOf(withFiles.rss)} MB against ${mbOf(without.rss)} MB without: ${(withFiles.rss / without.rss).toFixed(2)}x (goal < 1.2)`);
  console.log(`db   V8 heap used ${mbOf(withFiles.heapUsed)} MB against ${mbOf(without.heapUsed)} MB (reserved ${mbOf(withFiles.heapTotal)} against ${mbOf(without.heapTotal)}), external ${mbOf(withFiles.external)} MB against ${mbOf(without.external)} MB; binary bytes in stored documents ${(withFiles.binaryBytesInMemory / MB).toFixed(2)} MB, in blob files ${mbOf(withFiles.blobFileBytes)} MB`);
  const files = withFiles.blobFileBytes - fifth.blobFileBytes;
  console.log(`db   from ${mbOf(fifth.blobFileBytes)} to ${mbOf(withFiles.blobFileBytes)} MB of files, resident memory ${mbOf(fifth.rss)} -> ${mbOf(withFiles.rss)} MB: ${((withFiles.rss - fifth.rss) / files).toFixed(3)} bytes per byte of file`);
  for (const mb of [50, 150]) {
    const { stallMs, writesDuring, seconds } = await compactionStall(mb);
    console.log(`db compaction at ${mb} MB: longest event-loop stall ${stallMs.toFixed(0)} ms (goal < 50), ${writesDuring} writes acknowledged during its ${seconds.toFixed(1)} s`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmalt-bench-db-'));
  const targets = [await openTarget('in-memory', null), await openTarget('data-dir', dir)];
  try {
    const rates = await throughput(targets);
    const memory = rates.get('in-memory')!;
    const durable = rates.get('data-dir')!;
    for (const kind of Object.keys(memory)) {
      console.log(`db ${kind} throughput data-dir/in-memory: ${(durable[kind] / memory[kind]).toFixed(2)}`);
    }
  } finally {
    for (const target of targets) await target.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const ratio = await scaling();
  if (ratio >= 2) console.log('db WARNING: unique-key finds slow down with collection size: an index is not being used');
  if (process.env.BENCH_SKIP_SPEC !== '1') console.log(`db ${specTestCounts()}`);
}

if (require.main === module && process.argv[2] === 'memory-child') {
  memoryChild(Number(process.argv[3])).then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  runIfMain(module, run);
}
