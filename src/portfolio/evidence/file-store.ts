import mongoose, { Types } from 'mongoose';
import { Readable } from 'node:stream';
import type { UploadSink } from '../../files';

/** Evidence files live in MongoDB through GridFS, so every tool instance sees the same files. */
const BUCKET_NAME = 'evidenceFiles';

function bucket(): InstanceType<typeof mongoose.mongo.GridFSBucket> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET_NAME });
}

export interface FileToStore {
  filename: string;
  contentType: string;
  bytes: Buffer;
  metadata: { courseId: string; ownerId: string };
}

/** A GridFS file being written as an upload arrives; abort() removes the chunks already written. */
export function openUploadSink(file: Omit<FileToStore, 'bytes'>): UploadSink<Types.ObjectId> {
  const upload = bucket().openUploadStream(file.filename, { metadata: { ...file.metadata, contentType: file.contentType } });
  return { id: upload.id as Types.ObjectId, stream: upload, abort: () => upload.abort() };
}

/** Writes the bytes to GridFS and resolves once every chunk is acknowledged. */
export async function storeFile(file: FileToStore): Promise<Types.ObjectId> {
  const upload = bucket().openUploadStream(file.filename, {
    metadata: { ...file.metadata, contentType: file.contentType },
  });
  await new Promise<void>((resolve, reject) => {
    upload.once('error', reject);
    upload.once('finish', () => resolve());
    Readable.from([file.bytes]).pipe(upload);
  });
  return upload.id as Types.ObjectId;
}

export function openFile(fileId: Types.ObjectId): Readable {
  return bucket().openDownloadStream(fileId);
}

/** Removes a stored file; a file that is already gone is not an error (a retried delete). */
export async function removeFile(fileId: Types.ObjectId): Promise<void> {
  try {
    await bucket().delete(fileId);
  } catch (err) {
    if (/File not found/i.test((err as Error)?.message ?? '')) return;
    throw err;
  }
}

/** How many stored files a candidate has: used by tests to prove a refused upload stored nothing. */
export async function countStoredFiles(filter: { courseId: string; ownerId: string }): Promise<number> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not connected');
  return db
    .collection(`${BUCKET_NAME}.files`)
    .countDocuments({ 'metadata.courseId': filter.courseId, 'metadata.ownerId': filter.ownerId });
}

export async function countChunks(): Promise<number> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not connected');
  return db.collection(`${BUCKET_NAME}.chunks`).countDocuments({});
}

/** A stored file's length, or null when it is gone (an export lists it instead of reading it). */
export async function storedFileLength(fileId: Types.ObjectId): Promise<number | null> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not connected');
  const file = await db.collection(`${BUCKET_NAME}.files`).findOne({ _id: fileId }, { projection: { length: 1 } });
  return file ? Number(file.length) : null;
}

/** A candidate's files follow their portfolio to another course (a deferral): only the metadata changes. */
export async function moveStoredFiles(owner: { courseId: string; ownerId: string }, toCourseId: string): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not connected');
  await db.collection(`${BUCKET_NAME}.files`).updateMany({ 'metadata.courseId': owner.courseId, 'metadata.ownerId': owner.ownerId }, { $set: { 'metadata.courseId': toCourseId } });
}
