import mongoose, { Types } from 'mongoose';
import { freshDatabaseUri } from '../../support/db';
import { countChunks, countStoredFiles, openFile, removeFile, storeFile } from '../../../src/portfolio/evidence/file-store';

const owner = { courseId: 'course-1', ownerId: 'user-1' };

async function readAll(fileId: Types.ObjectId): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of openFile(fileId)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  await mongoose.connect(freshDatabaseUri('filestore'));
});
afterAll(async () => {
  await mongoose.disconnect();
});

test('a file larger than one GridFS chunk comes back byte for byte', async () => {
  const bytes = Buffer.alloc(600 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 256;
  const id = await storeFile({ filename: 'big.pdf', contentType: 'application/pdf', bytes, metadata: owner });
  expect(await countChunks()).toBeGreaterThanOrEqual(3);
  const back = await readAll(id);
  expect(back.length).toBe(bytes.length);
  expect(back.equals(bytes)).toBe(true);
  expect(await countStoredFiles(owner)).toBe(1);
});

test('a removed file is gone, chunks and all, and removing it again is not an error', async () => {
  const id = await storeFile({ filename: 'a.txt', contentType: 'text/plain', bytes: Buffer.from('hello'), metadata: owner });
  const before = await countStoredFiles(owner);
  const chunksBefore = await countChunks();
  await removeFile(id);
  expect(await countStoredFiles(owner)).toBe(before - 1);
  expect(await countChunks()).toBe(chunksBefore - 1); // its one chunk went with it
  await expect(removeFile(id)).resolves.toBeUndefined();
  await expect(readAll(id)).rejects.toThrow();
});
