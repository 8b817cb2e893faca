import { PDFDocument, PDFHexString, PDFName, type PDFRef } from 'pdf-lib';
import type { LaidOut, OutlineItem } from './layout';

/**
 * pdf-lib's half of the PDF: appends the evidence PDFs after the portfolio's own pages, resolves the
 * links that point at them, writes the bookmarks (outline) for every area, example and file, and sets
 * the document's title, author and language.
 */

/** An evidence PDF we can append, or null: damaged, encrypted or empty files are listed instead. */
export async function openEvidencePdf(bytes: Buffer): Promise<PDFDocument | null> {
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    return doc.getPageCount() > 0 ? doc : null;
  } catch {
    return null; // pdf-lib refuses encrypted files too
  }
}

export interface Finish {
  laidOut: LaidOut;
  attached: PDFDocument[];
  title: string;
  author: string;
  onAttached?: (done: number, total: number) => void;
}

export async function finishPdf(f: Finish): Promise<Uint8Array> {
  const out = await PDFDocument.load(f.laidOut.bytes, { updateMetadata: false });
  let done = 0;
  for (const src of f.attached) {
    for (const page of await out.copyPages(src, src.getPageIndices())) out.addPage(page);
    f.onAttached?.(++done, f.attached.length);
  }
  addLaterLinks(out, f.laidOut);
  addOutline(out, f.laidOut.outline);
  out.setTitle(f.title, { showInWindowTitleBar: true });
  out.setAuthor(f.author);
  out.setLanguage('en-GB');
  out.setCreator('CMALT Portfolio');
  out.setProducer('CMALT Portfolio (pdfkit and pdf-lib)');
  return out.save({ useObjectStreams: true });
}

function addLaterLinks(out: PDFDocument, laid: LaidOut) {
  const pages = out.getPages();
  for (const link of laid.laterLinks) {
    const page = pages[link.page];
    const target = pages[laid.attachmentStarts[link.attachment]];
    if (!page || !target) continue;
    const [x, y, w, h] = link.rect;
    const top = page.getHeight() - y;
    const annot = out.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [x, top - h, x + w, top],
      Border: [0, 0, 0],
      Dest: [target.ref, 'XYZ', null, null, null],
    });
    page.node.addAnnot(out.context.register(annot));
  }
}

/** PDF bookmarks as the outline tree the specification describes (First/Last/Next/Prev/Parent, Count). */
function addOutline(out: PDFDocument, items: OutlineItem[]) {
  const pages = out.getPages();
  const context = out.context;
  const rootRef = context.nextRef();
  const build = (list: OutlineItem[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = list.map(() => context.nextRef());
    let count = list.length;
    list.forEach((item, i) => {
      const kids = item.children?.length ? build(item.children, refs[i]) : null;
      const page = pages[Math.min(item.page, pages.length - 1)];
      const dict = context.obj({
        Title: PDFHexString.fromText(item.title),
        Parent: parent,
        Dest: [page.ref, 'XYZ', null, null, null],
        ...(i > 0 ? { Prev: refs[i - 1] } : {}),
        ...(i < list.length - 1 ? { Next: refs[i + 1] } : {}),
        ...(kids ? { First: kids.first, Last: kids.last, Count: kids.count } : {}),
      });
      context.assign(refs[i], dict);
      if (kids) count += kids.count;
    });
    return { first: refs[0], last: refs[refs.length - 1], count };
  };
  if (!items.length) return;
  const top = build(items, rootRef);
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: top.count }));
  out.catalog.set(PDFName.of('Outlines'), rootRef);
  out.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
