import mammoth from 'mammoth';
import { AppError, tooLarge } from '../../http/errors';
import { extensionOf, looksLikeText } from '../evidence/file-types';

/** Turns an uploaded CV (text, Word .docx or PDF) into plain text for planning. */

// pdf-parse@1 ships no types; the lib entry point avoids index.js's debug-mode self test.
const pdfParse: (data: Uint8Array, options?: { max?: number }) => Promise<{ text: string; numpages: number }> = require('pdf-parse/lib/pdf-parse.js');

export const CV_LIMIT_BYTES = 5 * 1024 * 1024;
export const CV_TEXT_LIMIT = 100_000;
const PARSE_TIMEOUT_MS = 15_000;

export const CV_MESSAGES = {
  noFile: 'Choose your CV file to upload, or paste its text instead.',
  tooLarge: 'That CV file is larger than 5 MB. Save a smaller copy, or paste the text instead.',
  wrongType: 'Upload your CV as a Word document (.docx), a PDF or a text file (.txt). Older .doc files: save them as .docx first, or paste the text.',
  wrongContent: 'That file’s contents do not match its name, so we could not read it. Save it again as .docx, PDF or .txt, or paste the text.',
  unreadable: 'We could not read any text from that file. It may be damaged or protected by a password. Try saving it again, or paste the text instead.',
  noText: 'That file has no text we can read — it may be a scanned image. Please paste the text of your CV instead.',
  textTooLong: 'Your CV text is longer than 100,000 characters. Please paste a shorter version.',
};

export type CvSource = 'pasted' | 'txt' | 'docx' | 'pdf';

const unreadable = (message: string) => new AppError(422, 'cv_unreadable', message);

/** Tidies extracted text: one kind of line break, no runs of blank lines, no trailing spaces. */
export function tidyText(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export async function extractCvText(filename: string, bytes: Buffer): Promise<{ text: string; source: CvSource }> {
  if (bytes.length === 0) throw new AppError(422, 'no_file', CV_MESSAGES.noFile);
  if (bytes.length > CV_LIMIT_BYTES) throw tooLarge(CV_MESSAGES.tooLarge);
  const extension = extensionOf(filename);
  let text: string;
  let source: CvSource;
  if (extension === 'txt' || extension === 'md') {
    if (!looksLikeText(bytes)) throw new AppError(415, 'unsupported_type', CV_MESSAGES.wrongContent);
    text = bytes.toString('utf8');
    source = 'txt';
  } else if (extension === 'docx') {
    if (bytes.subarray(0, 4).toString('latin1') !== 'PK\u0003\u0004') throw new AppError(415, 'unsupported_type', CV_MESSAGES.wrongContent);
    text = await withTimeout(mammoth.extractRawText({ buffer: bytes }).then((r) => r.value));
    source = 'docx';
  } else if (extension === 'pdf') {
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new AppError(415, 'unsupported_type', CV_MESSAGES.wrongContent);
    // A copy with its own memory: pdf.js reads the whole underlying buffer, and small Buffers share a pool.
    text = await withTimeout(pdfParse(new Uint8Array(bytes), { max: 50 }).then((r) => r.text));
    source = 'pdf';
  } else {
    throw new AppError(415, 'unsupported_type', CV_MESSAGES.wrongType);
  }
  const tidy = tidyText(text);
  if (!tidy) throw unreadable(CV_MESSAGES.noText);
  if (tidy.length > CV_TEXT_LIMIT) throw unreadable(CV_MESSAGES.textTooLong);
  return { text: tidy, source };
}

/** A damaged file must not hang the request: a parser that throws or stalls gives the same clear message. */
async function withTimeout(work: Promise<string>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('parse timed out')), PARSE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch {
    throw unreadable(CV_MESSAGES.unreadable);
  } finally {
    clearTimeout(timer);
  }
}
