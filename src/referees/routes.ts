import express, { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { AppError } from '../http/errors';
import { renderPage } from '../http/render-page';
import { check, h, parse, render, whoOf } from '../http/route-kit';
import { courseStatementsPresenter, refereesPresenter } from './presenter';
import { askReferee, receiveStatement, refereesOf, requestForLink, statementsInCourse } from './service';

const askSchema = z.object({
  refereeName: z.string({ required_error: 'Please give the referee’s name.' }).trim().min(1, 'Please give the referee’s name.').max(120, 'Names must be 120 characters or fewer.'),
  relationship: z.string().trim().max(200, 'Please describe how they know you in 200 characters or fewer.').default(''),
});
const statementSchema = z.object({ statement: z.string({ required_error: 'Please write your statement before sending it.' }).max(40_000, 'Please keep the statement under 20,000 characters.') });

/** The candidate's page (behind the launch): ask a referee, see whether each statement has arrived. */
export function refereesRouter(deps: { config: { ltiKey: string; publicUrl: string } }): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '20kb' }));
  router.get('/course', requireRole('coordinator'), h(async (req, res) => {
    const page = Math.min(Math.max(Number.parseInt(String(req.query.page ?? '0'), 10) || 0, 0), 10_000);
    const { rows, hasMore } = await statementsInCourse(whoOf(res).courseId, page);
    await render(res, 'referees/course', { title: 'Referee statements', r: courseStatementsPresenter(rows), page, hasMore }, '/cohort');
  }));
  router.use(requireRole('candidate'));
  const show = async (res: express.Response, status: number, extra: { link?: string; error?: string; values?: Record<string, string> } = {}) => {
    const state = await refereesOf(whoOf(res));
    res.status(status);
    await render(res, 'referees/index', {
      title: `${extra.error ? 'Error: ' : ''}Referees`,
      r: refereesPresenter(state),
      link: extra.link ?? null,
      error: extra.error ?? null,
      values: extra.values ?? {},
    }, '/portfolio');
  };
  router.get('/', h(async (_req, res) => show(res, 200)));
  router.post('/', h(async (req, res) => {
    const values = { refereeName: String(req.body?.refereeName ?? '').slice(0, 120), relationship: String(req.body?.relationship ?? '').slice(0, 200) };
    try {
      const input = parse(askSchema, req.body);
      const { link } = await askReferee(deps.config.ltiKey, whoOf(res), input);
      await show(res, 201, { link: `${deps.config.publicUrl}/referee/${link}` });
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return show(res, 422, { error: err.message, values });
      throw err;
    }
  }));
  return router;
}

/** The referee's page: no VLE account, no session; the signed link is the only key, and works once. */
export function refereeLinkRouter(deps: { config: { ltiKey: string } }): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  const page = async (res: express.Response, token: string, status: number, extra: { error?: string; statement?: string } = {}) => {
    const found = await requestForLink(deps.config.ltiKey, token);
    if (!found.ok) return renderPage(res, found.status, 'referees/closed', { title: 'Referee statement', message: found.message });
    await renderPage(res, status, 'referees/write', {
      title: `${extra.error ? 'Error: ' : ''}Referee statement`,
      refereeName: found.request.refereeName,
      frameworkTitle: found.framework.title,
      pathwayTitle: found.pathwayTitle,
      prompt: found.framework.referees?.prompt ?? '',
      action: `/referee/${token}`,
      error: extra.error ?? null,
      statement: extra.statement ?? '',
    });
  };
  router.get('/:token', h(async (req, res) => page(res, req.params.token, 200)));
  router.post('/:token', h(async (req, res) => {
    const form = check(statementSchema, req.body);
    const statement = typeof req.body?.statement === 'string' ? req.body.statement.slice(0, 40_000) : '';
    if (!form.ok) return page(res, req.params.token, 422, { error: form.message, statement });
    try {
      const r = await receiveStatement(deps.config.ltiKey, req.params.token, form.data.statement);
      if (!r.ok) return renderPage(res, r.status, 'referees/closed', { title: 'Referee statement', message: r.message });
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return page(res, req.params.token, 422, { error: err.message, statement });
      throw err;
    }
    await renderPage(res, 200, 'referees/closed', { title: 'Statement received', message: 'Thank you. Your statement has arrived; the applicant will see that it has, not what it says.' });
  }));
  return router;
}

