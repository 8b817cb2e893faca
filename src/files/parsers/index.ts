import { docxText } from './docx';
import { pdfText } from './pdf';

/**
 * Every parser of untrusted files, by task name. Each runs only inside the parsing worker
 * (src/files/sandbox.ts); a new capability that reads uploads adds its parser here.
 */
export interface ParseOptions {
  maxPages: number;
  maxChars: number;
}

export const PARSERS = {
  'docx-text': (bytes: Buffer, _options: ParseOptions) => docxText(bytes),
  'pdf-text': (bytes: Buffer, options: ParseOptions) => pdfText(bytes, options),
} satisfies Record<string, (bytes: Buffer, options: ParseOptions) => Promise<string>>;

export type FileTask = keyof typeof PARSERS;
