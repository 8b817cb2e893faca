import { PassThrough } from 'node:stream';
import { Router } from 'express';
import { notFound } from '../http/errors';
import { h, whoOf } from '../http/route-kit';
import type { Who } from '../http/who';
import { bookTitle, type Book } from './book';
import { storedFileExists, storedFiles } from './files';
import { pdfName, zipName } from './names';
import { buildPdf } from './pdf';
import { sendDownload } from './portfolio-access';
import { buildSiteZip } from './site';

/**
 * Documents other than a portfolio rendered by the export's PDF and website builders: another capability
 * (the CPD record's CMALT review) registers a source at boot, so export never imports it. The source alone
 * decides who may read a document: it answers null for anyone else, and the route says "not found".
 */
export interface DocumentSource {
  /** The document as a Book for `who`, or null when it does not exist or is not theirs to read. */
  load(who: Who, id: string, now: Date): Promise<Book | null>;
  /** The page the document is written on (e.g. "/cpd/review"), linked back to from the submission page. */
  home?: string;
}

const sources = new Map<string, DocumentSource>();

export function registerDocumentSource(kind: string, source: DocumentSource): void {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(kind)) throw new Error(`A document source needs a short lower-case name, not "${kind}".`);
  sources.set(kind, source);
}

/** A document offered as what is submitted to ALT ("cmalt-review/<id>"), when it is `who`'s to read; else null. */
export async function offeredDocument(ref: unknown, who: Who, now: Date): Promise<{ ref: string; title: string; pdf: string; website: string; home: string } | null> {
  const m = typeof ref === 'string' ? /^([a-z][a-z0-9-]{0,39})\/([A-Za-z0-9_-]{1,64})$/.exec(ref) : null;
  const source = m ? sources.get(m[1]) : undefined;
  const book = source ? await source.load(who, m![2], now) : null;
  if (!book) return null;
  const base = `/export/documents/${m![1]}/${m![2]}`;
  return { ref: m![0], title: bookTitle(book), pdf: `${base}/pdf`, website: `${base}/website`, home: source!.home ?? '' };
}

export const DOCUMENT_NOT_FOUND = 'We could not find that document, or it is not yours to export.';

export function documentsRouter(now: () => Date): Router {
  const router = Router();
  const load = async (kind: string, id: string, who: Who) => {
    const source = sources.get(kind);
    const book = source && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await source.load(who, id, now()) : null;
    if (!book) throw notFound(DOCUMENT_NOT_FOUND);
    return book;
  };
  router.get('/:kind/:id/pdf', h(async (req, res) => {
    const book = await load(String(req.params.kind), String(req.params.id), whoOf(res));
    sendDownload(res, Buffer.from(await buildPdf(book, storedFiles)), 'application/pdf', pdfName(book));
  }));
  router.get('/:kind/:id/website', h(async (req, res) => {
    const book = await load(String(req.params.kind), String(req.params.id), whoOf(res));
    // Built in memory first, so a failure is an error page rather than half a zip.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await buildSiteZip({ book, read: storedFiles, exists: storedFileExists, out });
    sendDownload(res, Buffer.concat(chunks), 'application/zip', zipName(book));
  }));
  return router;
}
