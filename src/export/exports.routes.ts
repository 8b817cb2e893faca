import { Router, type Request } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { openStoredFile, attachmentHeader } from '../portfolio';
import { bookOf } from './book';
import { checkBook } from './check';
import { exportsOf, findExportJob, requestExport } from './export.job';
import { checkPresenter, FORMAT_LABELS, jobState } from './exports.presenter';
import { h, render, urlOf, whoOf } from '../http/route-kit';
import { portfolioFor } from './portfolio-access';
import { fileStem } from './names';

/** The export page: what ALT will check, each format's size, and the builds in the background with their progress. */
const formatSchema = z.object({ format: z.enum(['pdf', 'zip']) });
const NOT_READY = 'That export is not ready, or it has been replaced by a newer one.';

export function exportsRouter(now: () => Date): Router {
  const router = Router({ mergeParams: true });
  const base = (req: Request) => `/export/portfolios/${req.params.portfolioId}/export`;

  const statesFor = async (req: Request, res: Parameters<typeof urlOf>[0]) => {
    const portfolio = await portfolioFor(req, res, 'export');
    const book = await bookOf(portfolio, now());
    const jobs = await exportsOf(book);
    const href = (jobId: string) => urlOf(res, `${base(req)}/${jobId}/download`);
    return { book, states: { pdf: jobState(jobs.pdf, href), zip: jobState(jobs.zip, href) } };
  };

  router.get('/', h(async (req, res) => {
    const { book, states } = await statesFor(req, res);
    const readHref = urlOf(res, `/export/portfolios/${req.params.portfolioId}`);
    await render(res, 'export/exports', {
      title: 'Export for ALT',
      check: checkPresenter(checkBook(book), readHref),
      formats: (['pdf', 'zip'] as const).map((f) => ({ value: f, label: FORMAT_LABELS[f], ...states[f] })),
      action: urlOf(res, base(req)),
      statusHref: urlOf(res, `${base(req)}/status`),
      readHref,
      done: req.query.done === 'queued' ? 'The export is being built. This page shows its progress.' : '',
    }, '/export');
  }));

  router.get('/status', h(async (req, res) => {
    const { states } = await statesFor(req, res);
    res.set('Cache-Control', 'no-store').json(states);
  }));

  router.post('/', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'export');
    const input = formatSchema.safeParse(req.body);
    if (!input.success) throw notFound('Choose the PDF or the website to build.');
    await requestExport(await bookOf(portfolio, now()), input.data.format, whoOf(res).userId, now());
    res.redirect(303, urlOf(res, `${base(req)}?done=queued#formats-heading`));
  }));

  router.get('/:jobId/download', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'export');
    const job = await findExportJob(String(portfolio._id), req.params.jobId);
    if (!job || job.status !== 'done' || !job.resultFileId) throw notFound(NOT_READY);
    const book = await bookOf(portfolio, now());
    const name = `${fileStem(book)}${job.format === 'pdf' ? '.pdf' : ' - website.zip'}`;
    const stream = openStoredFile(new Types.ObjectId(String(job.resultFileId)));
    stream.once('error', (err) => (res.headersSent ? res.destroy(err) : res.status(404).end()));
    res.set({
      'Content-Type': job.format === 'pdf' ? 'application/pdf' : 'application/zip',
      'Content-Length': String(job.resultSize),
      'Content-Disposition': attachmentHeader(name),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    });
    stream.pipe(res);
  }));
  return router;
}
