/** What no file name keeps: control characters, and the characters file systems or Content-Disposition refuse. */
const REFUSED = new Set('"<>:|?*;/\\');

/** A download's file name from people's words (a title, a candidate's name, an uploaded file's own name). */
export function cleanFileName(text: string): string {
  return [...text].filter((c) => c.charCodeAt(0) > 0x1f && c !== '\u007f' && !REFUSED.has(c)).join('').trim();
}
