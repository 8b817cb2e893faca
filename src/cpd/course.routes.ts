import express, { type Router } from 'express';
import { forbidden, notFound } from '../http/errors';
import { attemptForm } from '../http/form-refusal';
import { h, objectId, parse, render, urlOf, whoOf } from '../http/route-kit';
import * as cpd from './entries.service';
import { trainingStatus, TRAINING_STATE_LABELS } from './mandatory.service';
import { can } from './policy';
import { KIND_LABELS, pagination, presentEntry, presentSubmission } from './presenter';
import { PERIOD_STATE_LABELS } from './submissions.service';
import { acknowledgeSchema, pageSchema } from './schema';
import * as submissions from './submissions.service';
import type { CpdDeps } from './deps';

const PER_PAGE = 25;

/** The coordinator's view of their course: the training matrix, submission states, and submissions sent to them. */
export function coursesRouter(deps: CpdDeps): Router {
  const router = express.Router();
  router.use((_req, res, next) => next(can(whoOf(res), 'see-course') ? undefined : forbidden('Only the course coordinator can see the course’s CPD.')));

  router.get('/', h(async (req, res) => {
    const who = whoOf(res);
    const page = pageSchema.parse(req.query.page);
    const subPage = pageSchema.parse(req.query.spage);
    const now = deps.clock();
    const { people, total } = await submissions.coursePeople(who.courseId, page, PER_PAGE);
    const ownerIds = people.map((p) => p.ownerId);
    const [last, states, queue] = await Promise.all([
      cpd.lastMandatoryDone(ownerIds),
      submissions.submissionStates(ownerIds, deps.config.cpdPeriodMonths, now),
      submissions.submissionsToCourse(who.courseId, subPage, PER_PAGE),
    ]);
    await render(res, 'cpd/course', {
      title: 'CPD in this course',
      items: deps.training.items,
      rows: people.map((p) => ({
        name: p.name,
        cells: trainingStatus(deps.training, last.get(p.ownerId) ?? new Map(), now).map((s) => ({ state: s.state, label: TRAINING_STATE_LABELS[s.state] })),
        submission: PERIOD_STATE_LABELS[states.get(p.ownerId)!.state],
        overdue: states.get(p.ownerId)!.state === 'overdue',
      })),
      pager: pagination(page, total, PER_PAGE, (p) => urlOf(res, `/cpd/course?page=${p}`)),
      queue: queue.items.map(presentSubmission),
      queuePager: pagination(subPage, queue.total, PER_PAGE, (p) => urlOf(res, `/cpd/course?spage=${p}`)),
    }, '/cpd/course');
  }));

  const show = async (res: Parameters<typeof render>[0], id: string, status = 200, formError = '', comment = '') => {
    const who = whoOf(res);
    const submission = await submissions.courseSubmission(who.courseId, id);
    const entries = await submissions.submittedEntries(submission);
    res.status(status);
    await render(res, 'cpd/submission', {
      title: 'A submitted CPD log', submission: presentSubmission(submission), entries: entries.map(presentEntry), kindLabels: KIND_LABELS,
      action: urlOf(res, `/cpd/course/submissions/${id}`), formError, comment, csrf: who.csrfToken, done: false,
    }, '/cpd/course');
  };
  const idOf = (raw: string) => {
    const parsed = objectId.safeParse(raw);
    if (!parsed.success) throw notFound(submissions.SUBMIT_MESSAGES.notYours);
    return parsed.data;
  };
  router.get('/submissions/:id', h(async (req, res) => show(res, idOf(String(req.params.id)))));
  router.post('/submissions/:id', h(async (req, res) => {
    const id = idOf(String(req.params.id));
    const who = whoOf(res);
    const ok = await attemptForm(req, () => submissions.acknowledgeByCoordinator(who.courseId, id, who.name, parse(acknowledgeSchema, req.body).comment, deps.clock()),
      (r) => show(res, id, r.status, r.message, r.field('comment')));
    if (ok) res.redirect(303, urlOf(res, `/cpd/course/submissions/${id}`));
  }));
  return router;
}
