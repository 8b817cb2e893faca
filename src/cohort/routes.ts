import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { requireRole } from '../http/access';
import { forbidden } from '../http/errors';
import { attemptForm } from '../http/form-refusal';
import { pageNumberOf, paginate } from '../http/pages';
import { h, objectId, parse, refuse, render, urlOf, whoOf } from '../http/route-kit';
import { decideFinalReview, canOnCohort } from '../mentoring';
import type { Notifier } from '../notifications';
import { cohortPresenter } from './presenter';
import { changeAssignment, cohortOf } from './service';
import { chooseStaffRoles, teachersOf } from './teachers.service';

export interface CohortDeps {
  log: Logger;
  /** The email worker and its settings, wired once in boot.ts. */
  notifier: Notifier;
}

const sub = z.string().min(1, 'Please choose a person from the list.').max(255);
const assignSchema = z.object({
  candidateSub: sub,
  mentorSub: sub,
  action: z.enum(['assign', 'unassign'], { errorMap: () => ({ message: 'Please choose assign or remove.' }) }),
}).passthrough();
const finalSchema = z.object({
  decision: z.enum(['signed_off', 'sent_back'], { errorMap: () => ({ message: 'Please choose to sign off or send back.' }) }),
  reason: z.string().max(5000, 'Please keep the reason under 5,000 characters.').default(''),
}).passthrough();

/** A form the page refused, shown again at that form with what was chosen or typed. */
interface CohortProblem {
  form: 'assign' | 'final';
  message: string;
  /** The candidate an assignment was for, or the portfolio a final decision was on. */
  about: string;
  values: { decision: string; reason: string };
}

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).optional(), saved: z.string().optional() }).passthrough();
const MAX_TEACHER_ROWS = 100;

/** The Teachers form posts person<i> (a user id) and role<i> (coordinator or mentor) for each row. */
function staffChoices(body: Record<string, unknown>): Record<string, string> {
  const choices: Record<string, string> = {};
  for (let i = 0; i < MAX_TEACHER_ROWS; i += 1) {
    const person = body[`person${i}`];
    if (person === undefined) continue;
    const id = objectId.safeParse(person);
    const role = body[`role${i}`];
    if (!id.success || typeof role !== 'string') refuse({ status: 422, message: 'The form could not be read, so nothing was changed. Please reload the page and try again.' });
    choices[id.data] = role;
  }
  return choices;
}

const NOT_COORDINATOR = 'The cohort page is for the scheme coordinator of this course.';

/** The coordinator's cohort page: candidates (launched or on the roster), mentors, assignments, final review. */
export function cohortRouter(deps: CohortDeps): Router {
  const { notifier } = deps;
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '100kb' }));
  router.use(requireRole('coordinator'));
  router.use((_req, res, next) => next(canOnCohort(whoOf(res), 'manage_cohort', whoOf(res).courseId) ? undefined : forbidden(NOT_COORDINATOR)));

  /** The cohort page; with `problem`, again for a refused form (its status), the problem at that form. */
  async function showCohort(res: Response, done: string, problem?: CohortProblem & { status: number }, pageNumber = 1) {
    const who = whoOf(res);
    const cohort = await cohortOf(who.courseId, pageNumber);
    const pages = paginate(pageNumber, cohort.total, (n) => urlOf(res, `/cohort?page=${n}#candidates-heading`));
    if (problem) res.status(problem.status);
    await render(res, 'cohort/index', {
      title: `${problem ? 'Error: ' : ''}The cohort${pages.count > 1 ? ` (page ${pages.current} of ${pages.count})` : ''}`,
      cohort: cohortPresenter(cohort, (p) => urlOf(res, p)),
      pages,
      done,
      problem: problem ?? null,
    }, '/cohort');
  }

  /** Runs a form's change; a refusal a person can put right comes back as the cohort page. */
  const orShowProblem = (req: Request, res: Response, form: CohortProblem['form'], about: string, change: () => Promise<void>) =>
    attemptForm(req, change, (r) => showCohort(res, '', { form, about, status: r.status, message: r.message, values: { decision: r.field('decision'), reason: r.field('reason') } }, formPage(req)));

  /** The page a form was sent from (a hidden field), so its answer comes back there; page 1 if unreadable. */
  const formPage = (req: Request) => (typeof req.body?.page === 'string' && /^[1-9][0-9]{0,5}$/.test(req.body.page) ? Number(req.body.page) : 1);

  router.get('/', h(async (req, res) => {
    await showCohort(res, typeof req.query.done === 'string' ? req.query.done : '', undefined, pageNumberOf(req.query));
  }));

  router.post('/assignments', h(async (req, res) => {
    const who = whoOf(res);
    const about = typeof req.body.candidateSub === 'string' ? req.body.candidateSub : '';
    let action = '';
    const ok = await orShowProblem(req, res, 'assign', about, async () => {
      const input = parse(assignSchema, req.body);
      const r = await changeAssignment(who.courseId, input, who.userId);
      if (!r.ok) refuse(r);
      action = input.action;
    });
    if (ok) res.redirect(303, urlOf(res, `/cohort?done=${action === 'assign' ? 'assigned' : 'unassigned'}${formPage(req) > 1 ? `&page=${formPage(req)}` : ''}#candidates-heading`));
  }));

  /** Teachers: in a VLE that sends one role for every teacher, who is a coordinator and who a mentor. */
  async function showTeachers(req: Request, res: Response, problem?: { status: number; message: string }) {
    const who = whoOf(res);
    const q = pageQuery.safeParse(req.query);
    if (problem) res.status(problem.status);
    const teachers = await teachersOf(who.courseId, who.userId, q.success ? q.data.page : 1);
    await render(res, 'cohort/teachers', {
      title: `${problem ? 'Error: ' : ''}Teachers: coordinators and mentors`,
      teachers,
      saved: q.success && q.data.saved === '1',
      problem: problem ?? null,
    }, '/cohort');
  }

  router.get('/teachers', h((req, res) => showTeachers(req, res)));

  router.post('/teachers', h(async (req, res) => {
    const who = whoOf(res);
    const ok = await attemptForm(req, async () => {
      const r = await chooseStaffRoles(who.courseId, who.userId, staffChoices(req.body as Record<string, unknown>));
      if (!r.ok) refuse(r);
    }, (r) => showTeachers(req, res, { status: r.status, message: r.message }));
    if (ok) res.redirect(303, urlOf(res, '/cohort/teachers?saved=1'));
  }));

  router.post('/final-review/:portfolioId', h(async (req, res) => {
    const who = whoOf(res);
    if (!objectId.safeParse(req.params.portfolioId).success) refuse({ status: 404, message: 'We could not find that portfolio in this course.' });
    let decision = '';
    const ok = await orShowProblem(req, res, 'final', req.params.portfolioId, async () => {
      const input = parse(finalSchema, req.body);
      const r = await decideFinalReview(who, req.params.portfolioId, input, notifier.options);
      if (!r.ok) refuse(r);
      decision = input.decision;
    });
    if (ok) res.redirect(303, urlOf(res, `/cohort?done=${decision}#final-review`));
  }));
  return router;
}
