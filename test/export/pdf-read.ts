import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';

import { readUntrustedText } from '../../src/files';

export interface Bookmark {
  title: string;
  page: number; // 0-based
  children: Bookmark[];
}

/** A PDF as a reader sees it: text, page count, metadata, bookmarks, and the targets of its links. */
export async function readPdf(bytes: Buffer) {
  const doc = await PDFDocument.load(bytes);
  // pdf.js through the tool's own parsing worker (jest's module sandbox cannot load pdf.js itself)
  const parsed = await readUntrustedText('pdf-text', bytes, { maxPages: 500, maxChars: 2_000_000, timeoutMs: 30_000 });
  if (!parsed.ok) throw new Error(`the PDF's text could not be read: ${parsed.reason}`);
  const pageRefs = doc.getPages().map((p) => p.ref.toString());
  const pageOf = (dest: unknown) => {
    const arr = dest instanceof PDFArray ? dest : null;
    const ref = arr?.get(0);
    return ref instanceof PDFRef ? pageRefs.indexOf(ref.toString()) : -1;
  };
  const titleOf = (d: PDFDict) => {
    const t = d.get(PDFName.of('Title'));
    return t instanceof PDFHexString || t instanceof PDFString ? t.decodeText() : '';
  };
  const walk = (first: unknown): Bookmark[] => {
    const out: Bookmark[] = [];
    let ref = first;
    while (ref instanceof PDFRef) {
      const d = doc.context.lookup(ref, PDFDict);
      out.push({ title: titleOf(d), page: pageOf(d.get(PDFName.of('Dest'))), children: walk(d.get(PDFName.of('First'))) });
      ref = d.get(PDFName.of('Next'));
    }
    return out;
  };
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const uris: string[] = [];
  const internalLinks: number[] = [];
  for (const page of doc.getPages()) {
    const annots = page.node.Annots();
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const a = annots!.lookup(i, PDFDict);
      const action = a.lookupMaybe(PDFName.of('A'), PDFDict);
      const uri = action?.get(PDFName.of('URI'));
      if (uri instanceof PDFString || uri instanceof PDFHexString) uris.push(uri.decodeText());
      const dest = a.get(PDFName.of('Dest'));
      if (dest) internalLinks.push(pageOf(dest));
      else if (action?.get(PDFName.of('S'))?.toString() === '/GoTo') internalLinks.push(-2); // a named destination
    }
  }
  let images = 0;
  for (const page of doc.getPages()) {
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    for (const [, ref] of xobjects?.entries() ?? []) {
      if (doc.context.lookup(ref)?.toString().includes('/Subtype /Image')) images += 1;
    }
  }
  return {
    images,
    text: parsed.text.replace(/\s+/g, ' '),
    pages: doc.getPageCount(),
    title: doc.getTitle(),
    author: doc.getAuthor(),
    language: doc.catalog.get(PDFName.of('Lang'))?.toString() ?? '',
    bookmarks: outlines ? walk(outlines.get(PDFName.of('First'))) : [],
    uris,
    internalLinks,
  };
}
