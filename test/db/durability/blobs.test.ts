import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GridFSBucket, MongoClient } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded';
import { SPILL_BYTES } from '../../../src/db/embedded/engine/spill';
import { captureLog, removeDir, tempDataDir } from './helpers';

const dir = tempDataDir('blobs');
afterAll(() => removeDir(dir));

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

test('GridFS chunks are kept on disk, read back byte for byte, and survive a restart', async () => {
  const files = [randomBytes(3 * 1024 * 1024), randomBytes(700 * 1024)];
  let server = await startEmbeddedServer({ dataDir: dir, log: captureLog().log });
  let client = new MongoClient(server.uri);
  let bucket = new GridFSBucket(client.db('evidence'));
  for (const [i, bytes] of files.entries()) await upload(bucket, `file${i}`, bytes);
  const blobBytes = () => fs.readdirSync(path.join(dir, 'blobs')).reduce((n, f) => n + fs.statSync(path.join(dir, 'blobs', f)).size, 0);
  // every chunk went to disk but a last one under the spill size
  const CHUNK = 255 * 1024;
  const spilled = files.reduce((n, f) => n + f.length - (f.length % CHUNK < SPILL_BYTES ? f.length % CHUNK : 0), 0);
  expect(blobBytes()).toBe(spilled);
  for (const [i, bytes] of files.entries()) expect((await download(bucket, `file${i}`)).equals(bytes)).toBe(true);
  await client.close();
  await server.close();

  server = await startEmbeddedServer({ dataDir: dir, log: captureLog().log });
  client = new MongoClient(server.uri);
  bucket = new GridFSBucket(client.db('evidence'));
  expect(blobBytes()).toBe(spilled); // refilled by the replay
  for (const [i, bytes] of files.entries()) expect((await download(bucket, `file${i}`)).equals(bytes)).toBe(true);
  await bucket.delete((await bucket.find({ filename: 'file1' }).toArray())[0]._id);
  expect(await bucket.find({}).toArray()).toHaveLength(1);
  await client.close();
  await server.close();
});
