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
  images: Map<string, Buffer>; // evidence id -> JPEG or PNG bytes, for laidOut.images
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
  await drawImages(out, f.laidOut, f.images);
  addLaterLinks(out, f.laidOut);
  addOutline(out, f.laidOut.outline);
  out.setTitle(f.title, { showInWindowTitleBar: true });
  out.setAuthor(f.author);
  out.setLanguage('en-GB');
  out.setCreator('CMALT Portfolio');
  out.setProducer('CMALT Portfolio (pdfkit and pdf-lib)');
  // Object streams save a few kilobytes on a document that is mostly evidence, and cost a deflate of every object.
  return out.save({ useObjectStreams: false });
}

/** Draws each image in the room pdfkit kept for it; an image pdf-lib cannot read leaves that room empty. */
async function drawImages(out: PDFDocument, laid: LaidOut, images: Map<string, Buffer>) {
  const pages = out.getPages();
  for (const place of laid.images) {
    const bytes = images.get(place.evidenceId);
    const page = pages[place.page];
    if (!bytes || !page) continue;
    try {
      const image = bytes[0] === 0xff ? await out.embedJpg(bytes) : await out.embedPng(bytes);
      const [x, y, width, height] = place.rect;
      page.drawImage(image, { x, y: page.getHeight() - y - height, width, height });
    } catch {
      // the header read but the data did not: the note above the room still names the file
    }
  }
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
