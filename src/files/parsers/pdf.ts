import { getDocumentProxy } from 'unpdf';

/** The text of a PDF, a line break wherever pdf.js marks the end of a line (runs inside the parsing worker only). */
export async function pdfText(bytes: Buffer, options: { maxPages: number; maxChars: number }): Promise<string> {
  // pdf.js takes ownership of the array it is given: hand it a copy with its own memory.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  try {
    const parts: string[] = [];
    let length = 0;
    const pages = Math.min(pdf.numPages, options.maxPages);
    for (let n = 1; n <= pages && length <= options.maxChars; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const piece = item.hasEOL ? `${item.str}\n` : item.str;
        parts.push(piece);
        length += piece.length;
      }
      parts.push('\n\n');
      page.cleanup();
    }
    return parts.join('');
  } finally {
    await pdf.destroy();
  }
}
