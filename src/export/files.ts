import { Types } from 'mongoose';
import { openStoredFile, storedFileLength } from '../portfolio';
import type { BookEvidence } from './book';

/** Reads an evidence file for an export; larger than this is never read into memory whole. */
export const EXPORT_FILE_LIMIT = 64 * 1024 * 1024;

/** How an export gets a file's bytes: null when it is missing, unreadable or too large (then it is listed, never a crash). */
export type FileReader = (e: BookEvidence) => Promise<Buffer | null>;

export async function readStoredFile(fileId: string, limit = EXPORT_FILE_LIMIT): Promise<Buffer | null> {
  if (!Types.ObjectId.isValid(fileId)) return null;
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of openStoredFile(new Types.ObjectId(fileId))) {
      size += (chunk as Buffer).length;
      if (size > limit) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  } catch {
    return null; // the file is gone or its chunks are damaged
  }
}

/** The reader for a live portfolio or a frozen copy: both keep their files in the evidence store. */
export const storedFiles: FileReader = (e) => (e.file ? readStoredFile(e.file.fileId) : Promise.resolve(null));

export type FileKind = 'pdf' | 'image' | 'other';

/** What a PDF can hold of a file: a PDF appended, a JPEG/PNG drawn, anything else listed. */
export function fileKindOf(e: BookEvidence): FileKind {
  const type = e.file?.contentType ?? '';
  if (type === 'application/pdf') return 'pdf';
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  return 'other';
}

/** Whether a cited file is still stored (and not empty): a cheap look at its record, not its bytes. */
export async function storedFileExists(e: BookEvidence): Promise<boolean> {
  if (!e.file || !Types.ObjectId.isValid(e.file.fileId)) return false;
  return ((await storedFileLength(new Types.ObjectId(e.file.fileId))) ?? 0) > 0;
}
