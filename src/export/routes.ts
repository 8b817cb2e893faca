import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { notFound, unauthorised } from '../http/errors';
import type { Who } from '../http/identity';
import { navFor } from '../lti/landing';
import { roleLabel } from '../lti/roles';
import { attachmentHeader, findPortfolio, findPortfolioById, type PortfolioDoc } from '../portfolio';
import { bookOf, type Book } from './book';
import { storedFiles } from './files';
import { buildPdf } from './pdf';
import { canOnExport, type ExportAction } from './policy';
import { readingPresenter } from './reading.presenter';
import { objectId } from '../http/validation';

export const NOT_FOUND = 'We could not find that portfolio, or it is not shared with you.';
const NO_PORTFOLIO = 'Start your portfolio first: there is nothing to read or export yet.';
const NOT_CANDIDATE = 'Open a candidate’s portfolio from “My candidates” to read or export it.';

type Handler = (req: Request, res: Response) => Promise<void>;
export const h = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);
export const whoOf = (res: Response) => res.locals.who as Who;
export const urlOf = (res: Response, path: string): string => (res.locals.url ? res.locals.url(path) : path);

export function render(res: Response, view: string, locals: Record<string, unknown>): void {
  const who = whoOf(res);
  const nav = navFor(who, '/export', res.locals.url, res.locals.unread as number | undefined);
  res.render(view, { who, url: (p: string) => urlOf(res, p), roleLabel, nav, ...locals });
}

/** The portfolio named in the URL, if `who` may do `action` with it; anything else is simply not found. */
export async function portfolioFor(req: Request, res: Response, action: ExportAction): Promise<PortfolioDoc> {
  const id = objectId.safeParse(req.params.portfolioId);
  const portfolio = id.success ? await findPortfolioById(id.data) : null;
  if (!portfolio || !(await canOnExport(whoOf(res), action, portfolio))) throw notFound(NOT_FOUND);
  return portfolio;
}

/** A download's name from the candidate's name, without characters that file systems or headers refuse. */
export const fileStem = (book: Book) => `CMALT portfolio - ${book.candidate.name}`.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '').trim();
export const pdfName = (book: Book) => `${fileStem(book)}.pdf`;

/** The reading view and the exports for people in the course (candidate, mentors, coordinator). */
export function exportRouter(): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '20kb' }));
  router.use((_req, res, next) => next(res.locals.who ? undefined : unauthorised()));

  // "Read and export" in the candidate's navigation: their own portfolio.
  router.get('/', h(async (_req, res) => {
    const who = whoOf(res);
    if (!who.roles.includes('candidate')) throw notFound(NOT_CANDIDATE);
    const own = await findPortfolio({ userId: who.userId, courseId: who.courseId });
    if (!own) throw notFound(NO_PORTFOLIO);
    res.redirect(303, urlOf(res, `/export/portfolios/${String(own._id)}`));
  }));

  router.get('/portfolios/:portfolioId', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'read');
    const book = await bookOf(portfolio);
    const base = `/export/portfolios/${book.portfolioId}`;
    const view = readingPresenter(book, { evidenceHref: (e) => urlOf(res, `/portfolio/evidence/${e.id}/download`), showStates: true });
    const actions = [{ href: urlOf(res, `${base}/pdf`), label: 'Download as PDF' }];
    render(res, 'export/read', { title: view.title, book: view, actions });
  }));

  router.get('/portfolios/:portfolioId/pdf', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'export');
    const book = await bookOf(portfolio);
    const bytes = await buildPdf(book, storedFiles);
    sendDownload(res, Buffer.from(bytes), 'application/pdf', pdfName(book));
  }));

  return router;
}

/** A file for saving, never shown inline: the same headers as an evidence download. */
export function sendDownload(res: Response, bytes: Buffer, type: string, filename: string): void {
  res.set({
    'Content-Type': type,
    'Content-Length': String(bytes.length),
    'Content-Disposition': attachmentHeader(filename),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  res.end(bytes);
}
