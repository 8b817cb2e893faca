/**
 * Large binary values (GridFS chunks) are kept in the data directory's blob store, not in the heap:
 * written durably before the journal record that refers to them, read back on demand, removed once
 * nothing refers to them, and never left half-written by a crash.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Binary, GridFSBucket, MongoClient } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded';
import { blobFaults } from '../../../src/db/embedded/journal/blobs';
import { CURSOR_LIMITS } from '../../../src/db/embedded/engine/cursors';
import { SPILL_BYTES } from '../../../src/db/embedded/engine/spill';
import { encodeRecord } from '../../../src/db/embedded/journal/records';
import type { EmbeddedServer } from '../../../src/db/embedded/types';
import { captureLog, crashImage, journalFile, removeDir, tempDataDir } from './helpers';

const dirs: string[] = [];
const newDir = (label: string): string => {
  const dir = tempDataDir(label);
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach(removeDir));
afterEach(() => {
  blobFaults.next = undefined;
});

const MB = 1024 * 1024;

async function upload(bucket: GridFSBucket, name: string, bytes: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const stream = bucket.openUploadStream(name);
    stream.once('finish', () => resolve()).once('error', reject);
    stream.end(bytes);
  });
}

async function download(bucket: GridFSBucket, name: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of bucket.openDownloadStreamByName(name)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const blobDir = (dir: string) => path.join(dir, 'blobs');
const blobNames = (dir: string): string[] => (fs.existsSync(blobDir(dir)) ? fs.readdirSync(blobDir(dir)).sort() : []);
const blobBytes = (dir: string): number => blobNames(dir).reduce((n, f) => n + fs.statSync(path.join(blobDir(dir), f)).size, 0);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function open(dir: string, compactBytes?: number): Promise<{ server: EmbeddedServer; client: MongoClient; bucket: GridFSBucket }> {
  const server = await startEmbeddedServer({ dataDir: dir, log: captureLog().log, compactBytes });
  const client = new MongoClient(server.uri, { retryWrites: false });
  return { server, client, bucket: new GridFSBucket(client.db('evidence')) };
}

async function shut(db: { server: EmbeddedServer; client: MongoClient }): Promise<void> {
  await db.client.close();
  await db.server.close();
}

test('a 40 MB GridFS file round-trips byte for byte, is on disk rather than in the heap, and survives a restart', async () => {
  const dir = newDir('blobs-40mb');
  const file = randomBytes(40 * MB);
  let db = await open(dir);
  await upload(db.bucket, 'portfolio.pdf', file);
  // the heap holds references only: no binary bytes in stored documents, none waiting to be written
  const stats = db.server.stats();
  expect(stats.binaryBytesInMemory).toBeLessThan(SPILL_BYTES);
  expect(stats.pendingBlobBytes).toBe(0);
  expect(stats.bytesOnDisk).toBe(file.length);
  expect(stats.blobFileBytes).toBe(file.length);
  expect(blobBytes(dir)).toBe(file.length);
  // the journal holds references, not the bytes
  expect(fs.statSync(journalFile(dir)).size).toBeLessThan(MB);
  expect((await download(db.bucket, 'portfolio.pdf')).equals(file)).toBe(true);
  await shut(db);

  db = await open(dir);
  expect(db.server.stats()).toMatchObject({ binaryBytesInMemory: 0, bytesOnDisk: file.length, pendingBlobBytes: 0 });
  expect((await download(db.bucket, 'portfolio.pdf')).equals(file)).toBe(true);
  // every blob file is named by the SHA-256 of its bytes and holds exactly them
  for (const name of blobNames(dir)) expect(sha256(fs.readFileSync(path.join(blobDir(dir), name)))).toBe(name);
  await shut(db);
}, 120_000);

test('binaries at any depth go to disk, compare and read back as the same values, and small ones stay in the document', async () => {
  const dir = newDir('blobs-nested');
  const big = randomBytes(100 * 1024);
  const other = randomBytes(SPILL_BYTES);
  const small = randomBytes(SPILL_BYTES - 1);
  let db = await open(dir);
  const things = db.client.db('app').collection<{ _id: number; [k: string]: unknown }>('things');
  await things.insertOne({ _id: 1, top: new Binary(big), nested: { list: [new Binary(other), new Binary(small, 5)] } });
  expect(blobNames(dir)).toEqual([sha256(big), sha256(other)].sort());
  expect(db.server.stats()).toMatchObject({ binaryBytesInMemory: small.length, binariesOnDisk: 2 });
  // an update that leaves the binaries alone keeps the references; an operator that compares the bytes reads them
  await things.updateOne({ _id: 1 }, { $set: { note: 'kept' } });
  expect(await things.countDocuments({ top: new Binary(big) })).toBe(1);
  expect(await things.countDocuments({ top: new Binary(other) })).toBe(0);
  await shut(db);

  db = await open(dir);
  const doc = await db.client.db('app').collection<{ _id: number; [k: string]: unknown }>('things').findOne({ _id: 1 });
  expect(Buffer.from((doc!.top as Binary).buffer).equals(big)).toBe(true);
  const list = (doc!.nested as { list: Binary[] }).list;
  expect(Buffer.from(list[0].buffer).equals(other)).toBe(true);
  expect(Buffer.from(list[1].buffer).equals(small)).toBe(true);
  expect(list[1].sub_type).toBe(5);
  expect(doc!.note).toBe('kept');
  await shut(db);
});

test('deleting a file and compacting removes its blobs from disk; the files still referred to stay', async () => {
  const dir = newDir('blobs-gc');
  const kept = randomBytes(600 * 1024);
  const dropped = randomBytes(900 * 1024);
  let db = await open(dir);
  await upload(db.bucket, 'kept.bin', kept);
  const keptBlobs = blobNames(dir);
  await upload(db.bucket, 'dropped.bin', dropped);
  expect(blobBytes(dir)).toBe(kept.length + dropped.length);
  await db.bucket.delete((await db.bucket.find({ filename: 'dropped.bin' }).toArray())[0]._id);
  expect(blobBytes(dir)).toBe(kept.length + dropped.length); // a crash now would replay the upload before the delete
  await shut(db); // closing compacts: the snapshot no longer refers to the deleted file's chunks
  expect(blobNames(dir)).toEqual(keptBlobs);

  db = await open(dir);
  expect((await download(db.bucket, 'kept.bin')).equals(kept)).toBe(true);
  await shut(db);
});

test('a compaction while the tool runs removes the blobs of deleted files, and writes go on', async () => {
  const dir = newDir('blobs-gc-live');
  const compacted: string[] = [];
  const log = { warn: () => undefined, info: (_o: unknown, msg?: string) => void (msg && compacted.push(msg)) };
  const server = await startEmbeddedServer({ dataDir: dir, log, compactBytes: 32 * 1024 });
  const client = new MongoClient(server.uri);
  const bucket = new GridFSBucket(client.db('evidence'));
  try {
    const files = Array.from({ length: 4 }, () => randomBytes(300 * 1024));
    for (const [i, bytes] of files.entries()) await upload(bucket, `f${i}`, bytes);
    for (const i of [0, 2]) await bucket.delete((await bucket.find({ filename: `f${i}` }).toArray())[0]._id);
    // ordinary writes fill the journal until a compaction has run and collected the deleted files' blobs
    const notes = client.db('app').collection('notes');
    for (let n = 0; blobBytes(dir) > 2 * 300 * 1024; n += 1) {
      await notes.insertOne({ text: 'x'.repeat(2000), n });
      if (n > 5000) throw new Error(`no compaction collected the blobs: ${compacted.join('; ')}`);
    }
    expect(blobBytes(dir)).toBe(2 * 300 * 1024);
    for (const i of [1, 3]) expect((await download(bucket, `f${i}`)).equals(files[i])).toBe(true);
  } finally {
    await client.close();
    await server.close();
  }
});

test('a blob write torn by a crash leaves the database consistent: the file is absent, never corrupt', async () => {
  const dir = newDir('blobs-torn');
  const kept = randomBytes(500 * 1024);
  const db = await open(dir);
  let image: string;
  try {
    await upload(db.bucket, 'kept.bin', kept);
    // the next blob write stops half-way, as a crash or a full disk would leave it
    blobFaults.next = (stage) => (stage === 'write' ? Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }) : undefined);
    await expect(upload(db.bucket, 'torn.bin', randomBytes(500 * 1024))).rejects.toMatchObject({ code: 14031 });
    blobFaults.next = undefined;
    image = crashImage(dir, 'blobs-torn-image');
    dirs.push(image);
  } finally {
    await shut(db);
  }
  // what a kill mid-write leaves besides: a half-written temporary file, and a whole blob no record refers to
  const orphan = randomBytes(64 * 1024);
  fs.writeFileSync(path.join(blobDir(image), `${sha256(orphan)}.tmp`), orphan.subarray(0, 1000));
  fs.writeFileSync(path.join(blobDir(image), sha256(orphan)), orphan);

  const reopened = await open(image);
  try {
    expect(await reopened.bucket.find({ filename: 'torn.bin' }).toArray()).toEqual([]);
    expect((await download(reopened.bucket, 'kept.bin')).equals(kept)).toBe(true);
    // nothing half-written or unreferenced is left, and every blob still referred to is whole
    const names = blobNames(image);
    expect(names.some((n) => n.endsWith('.tmp'))).toBe(false);
    expect(names).not.toContain(sha256(orphan));
    for (const name of names) expect(sha256(fs.readFileSync(path.join(blobDir(image), name)))).toBe(name);
    // and it takes the same file again
    const again = randomBytes(500 * 1024);
    await upload(reopened.bucket, 'torn.bin', again);
    expect((await download(reopened.bucket, 'torn.bin')).equals(again)).toBe(true);
  } finally {
    await shut(reopened);
  }
});

test('a blob damaged on disk is refused with an error rather than returned', async () => {
  const dir = newDir('blobs-damaged');
  const bytes = randomBytes(64 * 1024);
  let db = await open(dir);
  await db.client.db('app').collection<{ _id: number; [k: string]: unknown }>('things').insertOne({ _id: 1, data: new Binary(bytes) });
  await shut(db);
  const file = path.join(blobDir(dir), sha256(bytes));
  const damaged = Buffer.from(bytes);
  damaged[100] ^= 0xff;
  fs.writeFileSync(file, damaged);
  db = await open(dir);
  try {
    await expect(db.client.db('app').collection<{ _id: number; [k: string]: unknown }>('things').findOne({ _id: 1 })).rejects.toThrow(/damaged/);
  } finally {
    await shut(db);
  }
});

test('a journal of an earlier version, holding the bytes themselves, has them moved to the blob store at start-up', async () => {
  const dir = newDir('blobs-upgrade');
  const bytes = randomBytes(200 * 1024);
  fs.writeFileSync(
    path.join(dir, 'journal.0.bson'),
    encodeRecord([
      { op: 'createColl', db: 'app', coll: 'things' },
      { op: 'put', db: 'app', coll: 'things', doc: { _id: 1, data: new Binary(bytes) } },
    ]),
    { mode: 0o600 },
  );
  const db = await open(dir);
  try {
    expect(blobNames(dir)).toEqual([sha256(bytes)]);
    expect(db.server.stats()).toMatchObject({ binaryBytesInMemory: 0, pendingBlobBytes: 0, bytesOnDisk: bytes.length });
    // the start-up compaction wrote references: no file of the database holds the bytes any more
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.bson'))) expect(fs.statSync(path.join(dir, name)).size).toBeLessThan(bytes.length);
    const doc = await db.client.db('app').collection<{ _id: number; data: Binary }>('things').findOne({ _id: 1 });
    expect(Buffer.from(doc!.data.buffer).equals(bytes)).toBe(true);
  } finally {
    await shut(db);
  }
});

test('open cursors over on-disk binaries count only their references against the cursor cap, so two large reads do not close each other', async () => {
  const saved = { ...CURSOR_LIMITS };
  const readInterleaved = async (dataDir: string | null): Promise<number> => {
    const server = await startEmbeddedServer({ dataDir, log: captureLog().log });
    const client = new MongoClient(server.uri);
    try {
      const coll = client.db('app').collection<{ _id: number; data: Binary }>('chunks');
      await coll.insertMany(Array.from({ length: 6 }, (_, i) => ({ _id: i, data: new Binary(randomBytes(64 * 1024)) })));
      CURSOR_LIMITS.bytes = 200 * 1024; // less than what one cursor's remaining documents hold in bytes
      const a = coll.find({}).batchSize(1);
      const b = coll.find({}).batchSize(1);
      let read = 0;
      for (let i = 0; i < 6; i += 1) {
        for (const cursor of [a, b]) if ((await cursor.next())?.data.length() === 64 * 1024) read += 1;
      }
      return read;
    } finally {
      Object.assign(CURSOR_LIMITS, saved);
      await client.close();
      await server.close();
    }
  };
  expect(await readInterleaved(newDir('blobs-cursors'))).toBe(12);
  // in memory the bytes are held, and the second cursor closes the first, as the cap intends
  await expect(readInterleaved(null)).rejects.toMatchObject({ codeName: 'CursorNotFound' });
});
