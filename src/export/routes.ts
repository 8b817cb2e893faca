import express, { Router } from 'express';
import { notFound, unauthorised } from '../http/errors';
import { findPortfolio } from '../portfolio';
import { bookOf } from './book';
import { exportsRouter } from './exports.routes';
import { pdfName, zipName } from './names';
import { storedFileExists, storedFiles } from './files';
import { buildSiteZip } from './site';
import { attachmentHeader, writeLockGuard } from '../portfolio';
import { linksRouter, type LinksDeps } from './links.routes';
import { submissionRouter } from './submission.routes';
import { documentsRouter } from './documents';
import { buildPdf } from './pdf';
import { canOnExport } from './policy';
import { readingPresenter } from './reading.presenter';
import { h, render, urlOf, whoOf } from '../http/route-kit';
import { portfolioFor, sendDownload } from './portfolio-access';

export { NOT_FOUND } from './portfolio-access';
const NO_PORTFOLIO = 'Start your portfolio first: there is nothing to read or export yet.';
const NOT_CANDIDATE = 'Open a candidate’s portfolio from “My candidates” to read or export it.';

export { fileStem, pdfName, zipName } from './names';

export type ExportDeps = LinksDeps;

/** The reading view and the exports for people in the course (candidate, mentors, coordinator). */
export function exportRouter(deps: ExportDeps): Router {
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
    const actions = [{ href: urlOf(res, `${base}/export`), label: 'Export as PDF or website' }];
    if (await canOnExport(whoOf(res), 'share', portfolio)) {
      actions.push({ href: urlOf(res, `${base}/links`), label: 'Share with ALT’s assessors' }, { href: urlOf(res, `${base}/submission`), label: 'Submission to ALT' });
    }
    await render(res, 'export/read', { title: view.title, book: view, actions }, '/export');
  }));

  router.get('/portfolios/:portfolioId/pdf', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'export');
    const book = await bookOf(portfolio);
    const bytes = await buildPdf(book, storedFiles);
    sendDownload(res, Buffer.from(bytes), 'application/pdf', pdfName(book));
  }));

  router.get('/portfolios/:portfolioId/website', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'export');
    const book = await bookOf(portfolio);
    res.set({ 'Content-Type': 'application/zip', 'Content-Disposition': attachmentHeader(zipName(book)), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store' });
    await buildSiteZip({ book, read: storedFiles, exists: storedFileExists, out: res });
  }));

  router.use('/portfolios/:portfolioId/links', linksRouter(deps));
  router.use('/portfolios/:portfolioId/export', exportsRouter(deps.now ?? (() => new Date())));
  router.use('/documents', documentsRouter(deps.now ?? (() => new Date())));
  router.use('/portfolios/:portfolioId/submission', writeLockGuard(), /* a withdrawn candidate keeps exporting, never records */ submissionRouter(deps.now ?? (() => new Date())));
  return router;
}
