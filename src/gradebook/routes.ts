import { Router, type Response } from 'express';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { AppError, notFound, validationFailed } from '../http/errors';
import type { Who } from '../http/who';
import { navFor } from '../http/nav';
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
const pageQuery = z.object({ queued: z.coerce.number().int().min(0).max(100_000).optional() }).passthrough();

/** /gradebook: the coordinator's view of grade sync with the VLE, and /gradebook/roster. */
export function gradebookRouter(deps: GradebookRouterDeps): Router {
  const conn = () => deps.connection ?? mongoose.connection;
  const router = Router();
  router.use(requireRole('coordinator'));
  router.use('/roster', rosterRouter(deps));

  router.get('/', async (req, res, next) => {
    try {
      const who = res.locals.who as Who;
      const query = pageQuery.safeParse(req.query);
      const page = presentGradebook(await gradebookOverview(conn(), who.courseId));
      render(res, 'gradebook/index', { page, queued: query.success ? query.data.queued : undefined });
    } catch (err) {
      next(err);
    }
  });

  router.post('/sync', async (req, res, next) => {
    try {
      const who = res.locals.who as Who;
      const form = syncForm.safeParse(req.body);
      if (!form.success || (!form.data.candidate && !form.data.all)) throw validationFailed(GRADEBOOK_MESSAGES.badForm);
      const result = await requestGradeSync({ connection: conn(), now: () => new Date() }, who.courseId, form.data.all ? undefined : form.data.candidate);
      if (!result.ok && result.reason === 'not_found') throw notFound(GRADEBOOK_MESSAGES.unknownCandidate);
      if (!result.ok) throw new AppError(409, 'no_line_item', GRADEBOOK_MESSAGES.noLine);
      res.redirect(303, res.locals.url(`/gradebook?queued=${result.queued}`));
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function render(res: Response, view: string, locals: Record<string, unknown>): void {
  const who = res.locals.who as Who;
  res.render(view, { title: 'Grades in the VLE', nav: navFor(who, '/gradebook', res.locals.url, res.locals.unread), ...locals });
}
