import { bookTitle, type Book } from '../book';
import { fileKindOf, type FileReader } from '../files';
import { layOut, type Attached } from './layout';
import { finishPdf, openEvidencePdf } from './merge';

export type Progress = (message: string) => void;

/** The portfolio as one A4 PDF: laid out with pdfkit, evidence PDFs appended and bookmarked with pdf-lib. */
export async function buildPdf(book: Book, read: FileReader, progress: Progress = () => {}): Promise<Uint8Array> {
  const files = book.evidence.filter((e) => e.file);
  const attached: Attached[] = [];
  const attachedDocs = [];
  const images = new Map<string, Buffer>();
  const unreadable = new Set<string>();
  let n = 0;
  for (const e of files) {
    progress(`Adding evidence ${++n} of ${files.length}`);
    const kind = fileKindOf(e);
    if (kind === 'other') continue; // listed with a note; its bytes are not needed
    const bytes = await read(e);
    if (!bytes) {
      unreadable.add(e.id);
      continue;
    }
    if (kind === 'image') {
      if (looksLikeImage(bytes)) images.set(e.id, bytes);
      else unreadable.add(e.id);
      continue;
    }
    const doc = await openEvidencePdf(bytes);
    if (!doc) {
      unreadable.add(e.id);
      continue;
    }
    attached.push({ evidence: e, pages: doc.getPageCount() });
    attachedDocs.push(doc);
  }
  progress('Laying out the pages');
  const laidOut = await layOut({ book, attached, images, unreadable });
  progress('Appending evidence files');
  return finishPdf({
    laidOut,
    images,
    attached: attachedDocs,
    title: bookTitle(book),
    author: book.candidate.name,
    onAttached: (done, total) => progress(`Appending evidence file ${done} of ${total}`),
  });
}

function looksLikeImage(bytes: Buffer): boolean {
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return png || jpeg;
}
