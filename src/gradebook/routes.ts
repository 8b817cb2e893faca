import { Router } from 'express';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { AppError, notFound, validationFailed } from '../http/errors';
import { h, render, urlOf, whoOf } from '../http/route-kit';
import { PAGE_SIZE, pageNumberOf, paginate } from '../http/pages';
import { rosterRouter } from '../roster';
import { presentGradebook } from './presenter';
import { gradebookOverview, requestGradeSync } from './service';

export interface GradebookRouterDeps {
  log: Logger;
  lti: { getPlatform(url: string, clientId: string): Promise<unknown> };
  connection?: Connection;
}

export const GRADEBOOK_MESSAGES = {
  badForm: 'The form could not be read, so nothing was queued. Please reload the page and try again.',
  unknownCandidate: 'We could not find that candidate in this course, so nothing was queued.',
  noLine: 'The VLE has not told CMALT Portfolio where its gradebook is yet. Open the tool once from the course link so it can.',
};

const syncForm = z.object({ candidate: z.string().trim().regex(/^[a-f0-9]{24}$/i).optional(), all: z.literal('1').optional() }).passthrough();
const TITLE = 'Grades in the VLE';
const pageQuery = z.object({ queued: z.coerce.number().int().min(0).max(100_000).optional() }).passthrough();

/** /gradebook: the coordinator's view of grade sync with the VLE, and /gradebook/roster. */
export function gradebookRouter(deps: GradebookRouterDeps): Router {
  const conn = () => deps.connection ?? mongoose.connection;
  const router = Router();
  router.use(requireRole('coordinator'));
  router.use('/roster', rosterRouter(deps));

  router.get('/', h(async (req, res) => {
    const who = whoOf(res);
    const query = pageQuery.safeParse(req.query);
    const pageNumber = pageNumberOf(req.query);
    const page = presentGradebook(await gradebookOverview(conn(), who.courseId, pageNumber, PAGE_SIZE));
    const pages = paginate(pageNumber, page.total, (n) => urlOf(res, `/gradebook?page=${n}`));
    await render(res, 'gradebook/index', { title: TITLE, page, pages, queued: query.success ? query.data.queued : undefined }, '/gradebook');
  }));

  router.post('/sync', h(async (req, res) => {
    const who = whoOf(res);
    const form = syncForm.safeParse(req.body);
    if (!form.success || (!form.data.candidate && !form.data.all)) throw validationFailed(GRADEBOOK_MESSAGES.badForm);
    const result = await requestGradeSync({ connection: conn(), now: () => new Date() }, who.courseId, form.data.all ? undefined : form.data.candidate);
    if (!result.ok && result.reason === 'not_found') throw notFound(GRADEBOOK_MESSAGES.unknownCandidate);
    if (!result.ok) throw new AppError(409, 'no_line_item', GRADEBOOK_MESSAGES.noLine);
    res.redirect(303, urlOf(res, `/gradebook?queued=${result.queued}`));
  }));
  return router;
}
