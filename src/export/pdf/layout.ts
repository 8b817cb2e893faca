import PDFDocument from 'pdfkit';
import { bookTitle, evidenceLabel, ukDate, type Book, type BookEvidence } from '../book';
import { formatBytes } from '../reading.presenter';
import { blocksOf, type Block } from './rich-text';

/**
 * The portfolio's own pages, laid out with pdfkit (pure JS, fonts from npm): cover, contents with
 * page numbers and links, every area and example, the evidence appendix with images drawn. Evidence
 * PDFs are appended afterwards (merge.ts), so this also says where their links and bookmarks go.
 */
export interface OutlineItem {
  title: string;
  page: number; // index in the finished document
  children?: OutlineItem[];
}

/** A link to an appended file's first page, drawn here but only resolvable after the merge. */
export interface LaterLink {
  page: number;
  rect: [number, number, number, number]; // x, y from the top, width, height
  attachment: number; // index into `attached`
}

export interface Attached {
  evidence: BookEvidence;
  pages: number;
}

export interface LayoutInput {
  book: Book;
  attached: Attached[]; // evidence PDFs that will be appended, in order
  images: Map<string, Buffer>; // evidence id -> JPEG/PNG bytes
  unreadable: Set<string>; // evidence ids whose file could not be read or used
  onEvidence?: (done: number, total: number) => void;
}

/** Where an image goes: pdfkit keeps its place, pdf-lib draws it after the merge (its bytes are copied once). */
export interface ImagePlace {
  page: number;
  rect: [number, number, number, number]; // x, y from the top, width, height
  evidenceId: string;
}

export interface LaidOut {
  bytes: Buffer;
  images: ImagePlace[];
  pageCount: number;
  outline: OutlineItem[];
  laterLinks: LaterLink[];
  attachmentStarts: number[]; // first page index of each appended file
}

const fontFile = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);
const FONTS = { body: 'DejaVuSans', bold: 'DejaVuSans-Bold', italic: 'DejaVuSans-Oblique', boldItalic: 'DejaVuSans-BoldOblique' } as const;
const MARGIN = 56;
const CONTENTS_LINE = 18;
const INK = '#1a1a1a';
const MUTED = '#555555';
const LINK = '#0b4f9c';

type Doc = PDFKit.PDFDocument;

const fontFor = (bold: boolean, italic: boolean) => (bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'body');
const pageIndex = (doc: Doc) => doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;

export async function layOut(input: LayoutInput): Promise<LaidOut> {
  const { book } = input;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: bookTitle(book), Author: book.candidate.name, Subject: book.pathwayTitle, Creator: 'CMALT Portfolio' },
  });
  for (const [key, file] of Object.entries(FONTS)) doc.registerFont(key, fontFile(file));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const width = doc.page.width - MARGIN * 2;

  // Cover
  doc.font('bold').fontSize(24).fillColor(INK).text(bookTitle(book), { width });
  doc.moveDown();
  doc.font('body').fontSize(12);
  for (const [term, value] of [
    ['Candidate', book.candidate.name],
    ['Pathway', book.pathwayTitle],
    ...(book.title && !book.courseTitle ? [] : [['Course', book.courseTitle || 'Not named by the VLE']]), // a document that names itself (a CMALT review) belongs to no course
    ['Framework', book.frameworkTitle],
    ['Date', ukDate(book.madeAt)],
  ]) {
    doc.font('bold').text(`${term}: `, { continued: true }).font('body').text(value);
  }

  // Contents: its pages are kept now and written at the end, when every page number is known.
  const contentsEntries = book.areas.length + book.areas.reduce((n, a) => n + a.examples.length, 0) + 2 + input.attached.length;
  const perPage = Math.floor((doc.page.height - MARGIN * 2 - 40) / CONTENTS_LINE);
  const contentsPages = Math.max(1, Math.ceil(contentsEntries / perPage));
  doc.addPage();
  const contentsStart = pageIndex(doc);
  for (let i = 1; i < contentsPages; i++) doc.addPage();

  const outline: OutlineItem[] = [{ title: 'Cover', page: 0 }, { title: 'Contents', page: contentsStart }];
  const laterLinks: LaterLink[] = [];
  const imagePlaces: ImagePlace[] = [];
  const evidenceById = new Map(book.evidence.map((e) => [e.id, e]));

  // Areas
  for (const area of book.areas) {
    doc.addPage();
    const item: OutlineItem = { title: area.title, page: pageIndex(doc), children: [] };
    outline.push(item);
    doc.font('bold').fontSize(18).fillColor(INK).text(area.title, { width, destination: `area-${area.id}` });
    doc.font('body').fontSize(10).fillColor(MUTED).text(`${area.group}${area.assessed ? '' : ' · Not assessed: read for context.'}`, { width });
    doc.moveDown(0.5).fillColor(INK);
    if (area.kind === 'plain') {
      if (area.body.trim()) richText(doc, area.body, width);
      else notWritten(doc, width);
      continue;
    }
    if (!area.examples.length) notWritten(doc, width);
    area.examples.forEach((ex, i) => {
      const title = ex.title || `Example ${i + 1}`;
      keepWithNext(doc, 80);
      item.children!.push({ title, page: pageIndex(doc) });
      doc.moveDown(0.5).font('bold').fontSize(14).fillColor(INK).text(title, { width, destination: `example-${ex.id}` });
      const tags = [ex.tags.role, ex.tags.project, ex.tags.year].filter(Boolean).join(' · ');
      if (tags) doc.font('italic').fontSize(10).fillColor(MUTED).text(tags, { width }).fillColor(INK);
      subheading(doc, 'Description', width);
      if (ex.description.trim()) richText(doc, ex.description, width);
      else doc.font('italic').fontSize(11).text('No description yet.', { width });
      subheading(doc, 'Reflection', width);
      if (ex.reflection.trim()) richText(doc, ex.reflection, width);
      else doc.font('italic').fontSize(11).text('No reflection yet.', { width });
      subheading(doc, 'Evidence', width);
      if (!ex.evidenceIds.length) doc.font('italic').fontSize(11).text('No evidence linked to this example.', { width });
      for (const id of ex.evidenceIds) {
        const e = evidenceById.get(id)!;
        doc.font('body').fontSize(11).fillColor(LINK).text(`${evidenceLabel(e)}: ${e.title} (see the evidence appendix)`, { width, indent: 12, goTo: `evidence-${e.number}`, underline: true });
        doc.fillColor(INK);
      }
      if (ex.missingEvidence) doc.font('italic').fontSize(10).text(`${ex.missingEvidence} linked item(s) were deleted from the evidence library.`, { width });
    });
  }

  // Evidence appendix
  doc.addPage();
  const appendix: OutlineItem = { title: 'Evidence', page: pageIndex(doc), children: [] };
  outline.push(appendix);
  doc.font('bold').fontSize(18).fillColor(INK).text('Evidence', { width, destination: 'evidence' });
  if (!book.evidence.length) doc.font('body').fontSize(11).text('No evidence is linked to any example yet.', { width });
  const attachedIndex = new Map(input.attached.map((a, i) => [a.evidence.id, i]));
  let done = 0;
  for (const e of book.evidence) {
    keepWithNext(doc, 90);
    appendix.children!.push({ title: `${evidenceLabel(e)}: ${e.title}`, page: pageIndex(doc) });
    doc.moveDown(0.5).font('bold').fontSize(13).fillColor(INK).text(`${evidenceLabel(e)}: ${e.title}`, { width, destination: `evidence-${e.number}` });
    const kind = e.kind === 'file' ? 'File' : e.kind === 'link' ? 'Web link' : 'Note';
    doc.font('body').fontSize(10).fillColor(MUTED).text([kind, ukDate(e.date)].filter(Boolean).join(' · '), { width }).fillColor(INK);
    if (e.description.trim()) doc.font('body').fontSize(11).text(e.description, { width });
    if (e.url) doc.font('body').fontSize(11).fillColor(LINK).text(e.url, { width, link: e.url, underline: true }).fillColor(INK);
    if (e.text) doc.font('body').fontSize(11).text(e.text, { width });
    if (e.file) {
      const name = `${e.file.filename} (${formatBytes(e.file.size)})`;
      const image = input.images.get(e.id);
      const at = attachedIndex.get(e.id);
      const size = image ? imageSize(doc, image) : null;
      if (input.unreadable.has(e.id) || (image && !size)) {
        doc.font('italic').fontSize(10).text(`File: ${name}. This file could not be read (it is missing or damaged), so it is not included.`, { width });
      } else if (image && size) {
        doc.font('body').fontSize(10).text(`File: ${name}`, { width });
        imagePlaces.push({ ...placeImage(doc, size, width), evidenceId: e.id });
      } else if (at !== undefined) {
        doc.font('body').fontSize(10).text(`File: ${name}. `, { width, continued: true });
        const x = doc.x;
        const y = doc.y;
        doc.fillColor(LINK).text('Appended at the end of this document.', { underline: true }).fillColor(INK);
        laterLinks.push({ page: pageIndex(doc), rect: [x, y, width, doc.y - y], attachment: at });
      } else {
        doc.font('body').fontSize(10).text(`File: ${name}. This kind of file cannot be shown in a PDF; it is in the website export and the assessor link.`, { width });
      }
    }
    input.onEvidence?.(++done, book.evidence.length);
  }

  // Where the appended files will start, then the contents and page numbers.
  const mainPages = doc.bufferedPageRange().count;
  const attachmentStarts: number[] = [];
  let next = mainPages;
  for (const a of input.attached) {
    attachmentStarts.push(next);
    next += a.pages;
  }
  if (input.attached.length) {
    outline.push({
      title: 'Attached evidence files',
      page: attachmentStarts[0],
      children: input.attached.map((a, i) => ({ title: `${evidenceLabel(a.evidence)}: ${a.evidence.title}`, page: attachmentStarts[i] })),
    });
  }
  writeContents(doc, { book, outline, contentsStart, perPage, width, laterLinks, attached: input.attached, attachmentStarts });
  pageNumbers(doc, mainPages, book.title ? 'document' : 'portfolio');
  doc.end();
  await ended;
  return { bytes: Buffer.concat(chunks), images: imagePlaces, pageCount: mainPages, outline, laterLinks, attachmentStarts };
}

function writeContents(
  doc: Doc,
  c: { book: Book; outline: OutlineItem[]; contentsStart: number; perPage: number; width: number; laterLinks: LaterLink[]; attached: Attached[]; attachmentStarts: number[] },
) {
  const lines: Array<{ title: string; page: number; indent: number; dest?: string; attachment?: number }> = [];
  const areaItems = c.outline.filter((o) => o.children && o.title !== 'Evidence' && o.title !== 'Attached evidence files');
  c.book.areas.forEach((area, i) => {
    const item = areaItems[i];
    lines.push({ title: area.title, page: item.page, indent: 0, dest: `area-${area.id}` });
    area.examples.forEach((ex, j) => lines.push({ title: item.children![j].title, page: item.children![j].page, indent: 16, dest: `example-${ex.id}` }));
  });
  const appendix = c.outline.find((o) => o.title === 'Evidence')!;
  lines.push({ title: 'Evidence', page: appendix.page, indent: 0, dest: 'evidence' });
  if (c.attached.length) lines.push({ title: 'Attached evidence files', page: c.attachmentStarts[0], indent: 0, attachment: 0 });
  c.attached.forEach((a, i) => lines.push({ title: `${evidenceLabel(a.evidence)}: ${a.evidence.title}`, page: c.attachmentStarts[i], indent: 16, attachment: i }));

  lines.forEach((line, i) => {
    const pageNo = c.contentsStart + Math.floor(i / c.perPage);
    doc.switchToPage(pageNo);
    let y = MARGIN + 40 + (i % c.perPage) * CONTENTS_LINE;
    if (i % c.perPage === 0) doc.font('bold').fontSize(18).fillColor(INK).text('Contents', MARGIN, MARGIN, { width: c.width });
    const numberText = String(line.page + 1);
    doc.font(line.indent ? 'body' : 'bold').fontSize(11).fillColor(INK);
    const numberWidth = doc.widthOfString(numberText);
    const room = c.width - line.indent - numberWidth - 12;
    doc.text(fitted(doc, line.title, room), MARGIN + line.indent, y, { width: room, lineBreak: false });
    doc.text(numberText, MARGIN + c.width - numberWidth, y, { lineBreak: false });
    if (line.dest) doc.goTo(MARGIN, y, c.width, CONTENTS_LINE - 2, line.dest);
    else if (line.attachment !== undefined) c.laterLinks.push({ page: pageNo, rect: [MARGIN, y, c.width, CONTENTS_LINE - 2], attachment: line.attachment });
    y += CONTENTS_LINE;
  });
}

function fitted(doc: Doc, text: string, room: number): string {
  if (doc.widthOfString(text) <= room) return text;
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > room) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

function pageNumbers(doc: Doc, pages: number, noun: string) {
  for (let i = 1; i < pages; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    doc.font('body').fontSize(9).fillColor(MUTED).text(`Page ${i + 1} of the ${noun}`, MARGIN, doc.page.height - 36, { width: doc.page.width - MARGIN * 2, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

function subheading(doc: Doc, text: string, width: number) {
  keepWithNext(doc, 50);
  doc.moveDown(0.4).font('bold').fontSize(12).fillColor(INK).text(text, { width });
}

function notWritten(doc: Doc, width: number) {
  doc.font('italic').fontSize(11).fillColor(MUTED).text('Nothing written here yet.', { width }).fillColor(INK);
}

/** A heading never sits alone at the foot of a page. */
function keepWithNext(doc: Doc, room: number) {
  if (doc.y + room > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function richText(doc: Doc, html: string, width: number) {
  for (const block of blocksOf(html)) drawBlock(doc, block, width);
}

function drawBlock(doc: Doc, block: Block, width: number) {
  const size = block.kind === 'h3' ? 13 : block.kind === 'h4' ? 12 : 11;
  const indent = block.kind === 'li' ? 14 + block.depth * 14 : block.kind === 'quote' ? 18 : 0;
  const heading = block.kind === 'h3' || block.kind === 'h4';
  if (heading) keepWithNext(doc, 40);
  doc.fontSize(size).fillColor(INK);
  const x = MARGIN + indent;
  const options = { width: width - indent, paragraphGap: 4, lineGap: 1 };
  if (block.bullet) {
    const y = doc.y;
    doc.font('body').text(block.bullet, x - 14, y, { width: 14, lineBreak: false });
    doc.y = y;
  }
  block.runs.forEach((run, i) => {
    const last = i === block.runs.length - 1;
    doc.font(fontFor(heading || run.bold, run.italic || block.kind === 'quote'));
    doc.fillColor(run.link ? LINK : INK);
    const runOptions = { ...options, continued: !last, link: run.link, underline: Boolean(run.link) };
    if (i === 0) doc.text(run.text, x, doc.y, runOptions);
    else doc.text(run.text, runOptions); // (text, undefined, undefined, options) would drop the options
  });
  doc.x = MARGIN;
  doc.fillColor(INK);
}

/** An image's size in pixels from its header (pdfkit parses it without embedding); null when it cannot be read. */
function imageSize(doc: Doc, bytes: Buffer): { width: number; height: number } | null {
  try {
    const image = (doc as unknown as { openImage(b: Buffer): { width: number; height: number } }).openImage(bytes);
    return image.width > 0 && image.height > 0 ? { width: image.width, height: image.height } : null;
  } catch {
    return null;
  }
}

/** Keeps room for an image scaled to fit the text width and at most 360 pt high, on this page or the next. */
function placeImage(doc: Doc, size: { width: number; height: number }, width: number): { page: number; rect: [number, number, number, number] } {
  const maxHeight = 360;
  const scale = Math.min(width / size.width, maxHeight / size.height, 1.5);
  const w = size.width * scale;
  const h = size.height * scale;
  if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const place = { page: pageIndex(doc), rect: [MARGIN, doc.y, w, h] as [number, number, number, number] };
  doc.y += h;
  doc.moveDown(0.5);
  doc.x = MARGIN;
  return place;
}
