import { readUntrustedText, type FileTask, type ReadFailure } from '../../files';
import { AppError, tooLarge } from '../../http/errors';
import { extensionOf, looksLikeText } from '../evidence/file-types';

/** Turns an uploaded CV (text, Word .docx or PDF) into plain text for planning. */

export const CV_LIMIT_BYTES = 5 * 1024 * 1024;
export const CV_TEXT_LIMIT = 100_000;

export const CV_MESSAGES = {
  noFile: 'Choose your CV file to upload, or paste its text instead.',
  tooLarge: 'That CV file is larger than 5 MB. Save a smaller copy, or paste the text instead.',
  wrongType: 'Upload your CV as a Word document (.docx), a PDF or a text file (.txt). Older .doc files: save them as .docx first, or paste the text.',
  wrongContent: 'That file’s contents do not match its name, so we could not read it. Save it again as .docx, PDF or .txt, or paste the text.',
  unreadable: 'We could not read any text from that file. It may be damaged or protected by a password. Try saving it again, or paste the text instead.',
  noText: 'That file has no text we can read — it may be a scanned image. Please paste the text of your CV instead.',
  textTooLong: 'Your CV text is longer than 100,000 characters. Please paste a shorter version.',
  unpackedTooLarge: 'That Word document unpacks to far more than a CV needs (over 20 MB), so we did not open it. Save a copy without large pictures, or paste the text instead.',
  tooComplex: 'That file took too long or too much memory to read, so we stopped. It may be damaged or unusually complex. Save it again, or paste the text instead.',
  busy: 'Many files are being read at the moment. Please try again in a minute, or paste the text instead.',
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
    text = await readInWorker('docx-text', bytes);
    source = 'docx';
  } else if (extension === 'pdf') {
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new AppError(415, 'unsupported_type', CV_MESSAGES.wrongContent);
    text = await readInWorker('pdf-text', bytes);
    source = 'pdf';
  } else {
    throw new AppError(415, 'unsupported_type', CV_MESSAGES.wrongType);
  }
  const tidy = tidyText(text);
  if (!tidy) throw unreadable(CV_MESSAGES.noText);
  if (tidy.length > CV_TEXT_LIMIT) throw unreadable(CV_MESSAGES.textTooLong);
  return { text: tidy, source };
}

const REFUSALS: Record<ReadFailure, () => AppError> = {
  'unpacked-too-large': () => tooLarge(CV_MESSAGES.unpackedTooLarge),
  timeout: () => unreadable(CV_MESSAGES.tooComplex),
  memory: () => unreadable(CV_MESSAGES.tooComplex),
  unreadable: () => unreadable(CV_MESSAGES.unreadable),
  busy: () => new AppError(503, 'parser_busy', CV_MESSAGES.busy),
};

/** Word and PDF files are parsed in a worker with limits (src/files): a bomb costs that worker, not the server. */
async function readInWorker(task: FileTask, bytes: Buffer): Promise<string> {
  const outcome = await readUntrustedText(task, bytes, { maxChars: CV_TEXT_LIMIT * 2 });
  if (!outcome.ok) throw REFUSALS[outcome.reason]();
  if (outcome.text.length > CV_TEXT_LIMIT * 2) throw unreadable(CV_MESSAGES.textTooLong); // cut short in the worker
  return outcome.text;
}
