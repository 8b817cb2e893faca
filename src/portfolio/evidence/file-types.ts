/** Which files a candidate may keep as evidence: checked by extension AND by the file's first bytes. */

export interface AllowedType {
  contentType: string; // the type we store and serve, never the one the browser claimed
  label: string;
  looksRight: (head: Buffer) => boolean;
}

const startsWith = (bytes: number[] | string, offset = 0) => (head: Buffer) => {
  const expected = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return head.length >= offset + expected.length && head.subarray(offset, offset + expected.length).equals(expected);
};

const isPdf = startsWith('%PDF-');
const isZip = (head: Buffer) => startsWith([0x50, 0x4b, 0x03, 0x04])(head) || startsWith([0x50, 0x4b, 0x05, 0x06])(head);
const isOle = startsWith([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]); // old Office (.doc/.xls/.ppt)
const isPng = startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isJpeg = startsWith([0xff, 0xd8, 0xff]);
const isGif = (head: Buffer) => startsWith('GIF87a')(head) || startsWith('GIF89a')(head);
const isWebp = (head: Buffer) => startsWith('RIFF')(head) && startsWith('WEBP', 8)(head);
const isRtf = startsWith('{\\rtf');
const isMp4 = startsWith('ftyp', 4);
const isMp3 = (head: Buffer) => startsWith('ID3')(head) || (head.length > 1 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0);

/** Text files have no NUL bytes and decode as UTF-8 (a cheap test that rejects binaries renamed .txt). */
export function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  const cut = trimPartialUtf8(head);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(cut);
    return true;
  } catch {
    return false;
  }
}

// The head may end mid-character; drop up to 3 trailing continuation bytes before decoding.
function trimPartialUtf8(buf: Buffer): Buffer {
  const end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i];
    if ((b & 0xc0) === 0x80) continue;
    if ((b & 0xc0) === 0xc0) return buf.subarray(0, end - i);
    break;
  }
  return buf.subarray(0, end);
}

const OOXML = 'application/vnd.openxmlformats-officedocument';
export const ALLOWED_TYPES: Record<string, AllowedType> = {
  pdf: { contentType: 'application/pdf', label: 'PDF', looksRight: isPdf },
  docx: { contentType: `${OOXML}.wordprocessingml.document`, label: 'Word document', looksRight: isZip },
  xlsx: { contentType: `${OOXML}.spreadsheetml.sheet`, label: 'Excel workbook', looksRight: isZip },
  pptx: { contentType: `${OOXML}.presentationml.presentation`, label: 'PowerPoint presentation', looksRight: isZip },
  doc: { contentType: 'application/msword', label: 'Word document', looksRight: isOle },
  xls: { contentType: 'application/vnd.ms-excel', label: 'Excel workbook', looksRight: isOle },
  ppt: { contentType: 'application/vnd.ms-powerpoint', label: 'PowerPoint presentation', looksRight: isOle },
  odt: { contentType: 'application/vnd.oasis.opendocument.text', label: 'OpenDocument text', looksRight: isZip },
  ods: { contentType: 'application/vnd.oasis.opendocument.spreadsheet', label: 'OpenDocument spreadsheet', looksRight: isZip },
  odp: { contentType: 'application/vnd.oasis.opendocument.presentation', label: 'OpenDocument presentation', looksRight: isZip },
  rtf: { contentType: 'application/rtf', label: 'Rich text', looksRight: isRtf },
  txt: { contentType: 'text/plain; charset=utf-8', label: 'Text', looksRight: looksLikeText },
  md: { contentType: 'text/markdown; charset=utf-8', label: 'Text', looksRight: looksLikeText },
  csv: { contentType: 'text/csv; charset=utf-8', label: 'CSV', looksRight: looksLikeText },
  png: { contentType: 'image/png', label: 'Image', looksRight: isPng },
  jpg: { contentType: 'image/jpeg', label: 'Image', looksRight: isJpeg },
  jpeg: { contentType: 'image/jpeg', label: 'Image', looksRight: isJpeg },
  gif: { contentType: 'image/gif', label: 'Image', looksRight: isGif },
  webp: { contentType: 'image/webp', label: 'Image', looksRight: isWebp },
  zip: { contentType: 'application/zip', label: 'Zip archive', looksRight: isZip },
  mp3: { contentType: 'audio/mpeg', label: 'Audio', looksRight: isMp3 },
  mp4: { contentType: 'video/mp4', label: 'Video', looksRight: isMp4 },
  m4a: { contentType: 'audio/mp4', label: 'Audio', looksRight: isMp4 },
};

export const ALLOWED_EXTENSIONS = Object.keys(ALLOWED_TYPES);

/** For the `accept` attribute on file inputs: a hint to the browser, never trusted by the server. */
export const ACCEPT_ATTRIBUTE = ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(',');

export function extensionOf(filename: string): string {
  const match = /\.([a-z0-9]+)$/i.exec(filename.trim());
  return match ? match[1].toLowerCase() : '';
}

export type TypeCheck = { ok: true; extension: string; contentType: string } | { ok: false; reason: 'extension' | 'content' };

/** The verdict on one upload: the extension must be on the list and the first bytes must match it. */
export function checkFileType(filename: string, head: Buffer): TypeCheck {
  const extension = extensionOf(filename);
  const allowed = ALLOWED_TYPES[extension];
  if (!allowed) return { ok: false, reason: 'extension' };
  if (!allowed.looksRight(head.subarray(0, 8192))) return { ok: false, reason: 'content' };
  return { ok: true, extension, contentType: allowed.contentType };
}
