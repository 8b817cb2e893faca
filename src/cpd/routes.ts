import express, { type Request, type Response, type Router } from 'express';
import type { CpdDeps } from './deps';
import { wantsJson } from '../http/error-handler';
import { forbidden, notFound, unauthorised } from '../http/errors';
import { attemptForm, type FormRefusal } from '../http/form-refusal';
import { h, objectId, parse, render, urlOf, whoOf } from '../http/route-kit';
import * as cpd from './entries.service';
import { trainingStatus } from './mandatory.service';
import { ACTIVITY_KINDS, TARGET_SOURCES, RATINGS } from './models';
import { can } from './policy';
import { KIND_LABELS, RATING_LABELS, SOURCE_LABELS, pagination, postedValues, presentEntry, presentTarget, presentTraining } from './presenter';
import { entrySchema, evaluationInput, evaluationSchema, pageSchema, targetSchema } from './schema';
import { coursesRouter } from './course.routes';
import { periodsRouter } from './periods.routes';
import { recordRouter } from './record.routes';


const ENTRY_FIELDS = ['title', 'kind', 'startOn', 'endOn', 'hours', 'provider', 'accredited', 'cost', 'expenseClaimed', 'reflection', 'use', 'mandatoryItem'];
const NOTICES: Record<string, string> = {
  added: 'Activity added to your CPD record.',
  saved: 'Your changes are saved.',
  target: 'Target saved.',
  evaluated: 'Evaluation recorded.',
};
const NOT_FOUND_ENTRY = 'We could not find that activity in your CPD record.';
const NOT_FOUND_TARGET = 'We could not find that target in your CPD record.';

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
const idOf = (req: Request, message: string) => {
  const parsed = objectId.safeParse(req.params.id);
  if (!parsed.success) throw notFound(message);
  return parsed.data;
};

export type { CpdDeps };

export function cpdRouter(deps: CpdDeps): Router {
  const router = express.Router();
  const now = () => deps.clock();
  router.use(express.urlencoded({ extended: false, limit: '200kb' }), express.json({ limit: '200kb' }));
  router.use((_req, res, next) => {
    if (!res.locals.who) return next(unauthorised());
    next(can(whoOf(res), 'keep-record') ? undefined : forbidden('The CPD record is for people launched from a course.'));
  });

  const entryPage = async (res: Response, status: number, view: { id?: string; values: Record<string, string>; targetIds: string[]; evidenceIds: string[]; submitted?: boolean; notice?: string }, refusal?: FormRefusal) => {
    const who = whoOf(res);
    const [targets, evidence] = await Promise.all([cpd.listTargets(who.userId), cpd.evidenceOfPerson(who.userId)]);
    res.status(status);
    await render(res, 'cpd/entry', {
      title: view.id ? (view.submitted ? 'Submitted activity' : 'Edit activity') : 'Add an activity',
      entry: view,
      formError: refusal?.message ?? '',
      kinds: ACTIVITY_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
      targets: targets.map((t) => ({ id: String(t._id), title: t.title })),
      mandatory: deps.training.items,
      evidence,
    }, '/cpd');
  };
  const refused = (res: Response, req: Request, id?: string) => (refusal: FormRefusal) =>
    entryPage(res, refusal.status, { id, values: postedValues(req.body ?? {}, ENTRY_FIELDS), targetIds: ids(req.body?.targetIds), evidenceIds: ids(req.body?.evidenceIds) }, refusal);

  router.get('/', h(async (req, res) => {
    const who = whoOf(res);
    const page = pageSchema.parse(req.query.page);
    await cpd.touchRecord(who.userId, who.courseId);
    const [{ items, total }, last] = await Promise.all([cpd.listEntries(who.userId, page), cpd.lastMandatoryDone([who.userId])]);
    const training = presentTraining(trainingStatus(deps.training, last.get(who.userId)!, now()));
    await render(res, 'cpd/index', {
      entries: items.map(presentEntry),
      pager: pagination(page, total, cpd.PAGE_SIZE, (p) => urlOf(res, `/cpd?page=${p}`)),
      attention: training.filter((t) => t.state !== 'current'),
      coordinator: can(who, 'see-course'),
      notice: NOTICES[String(req.query.done)] ?? '',
    }, '/cpd');
  }));

  router.get('/entries/new', h(async (_req, res) => {
    const today = now().toISOString().slice(0, 10);
    await entryPage(res, 200, { values: { startOn: today, endOn: today }, targetIds: [], evidenceIds: [] });
  }));

  router.post('/entries', h(async (req, res) => {
    const who = whoOf(res);
    let id = '';
    const ok = await attemptForm(req, async () => {
      id = String((await cpd.addEntry(who.userId, parse(entrySchema, req.body), deps.training))._id);
    }, refused(res, req));
    if (ok) res.redirect(303, urlOf(res, `/cpd/entries/${id}?done=added`));
  }));

  router.get('/entries/:id', h(async (req, res) => {
    const entry = presentEntry(await cpd.ownEntry(whoOf(res).userId, idOf(req, NOT_FOUND_ENTRY)));
    await entryPage(res, 200, { ...entry, notice: NOTICES[String(req.query.done)] ?? '' });
  }));

  // The same address takes the autosave script's JSON and the no-JavaScript form.
  router.post('/entries/:id', h(async (req, res) => {
    const id = idOf(req, NOT_FOUND_ENTRY);
    const change = async () => void (await cpd.updateEntry(whoOf(res).userId, id, parse(entrySchema, req.body), deps.training));
    if (wantsJson(req)) {
      // The shared autosave client sends the text fields only: what it leaves out keeps its stored value.
      const stored = presentEntry(await cpd.ownEntry(whoOf(res).userId, id));
      const body = { ...stored.values, targetIds: stored.targetIds, evidenceIds: stored.evidenceIds, ...(req.body ?? {}) };
      await cpd.updateEntry(whoOf(res).userId, id, parse(entrySchema, body), deps.training);
      return void res.json({ saved: true, savedAt: now().toISOString() });
    }
    if (await attemptForm(req, change, refused(res, req, id))) res.redirect(303, urlOf(res, `/cpd/entries/${id}?done=saved`));
  }));

  const targetsPage = async (res: Response, status: number, refusal?: FormRefusal, req?: Request) => {
    const targets = await cpd.listTargets(whoOf(res).userId);
    res.status(status);
    await render(res, 'cpd/targets', {
      title: 'Improvement targets',
      targets: targets.map((t) => presentTarget(t)),
      sources: TARGET_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] })),
      values: req ? postedValues(req.body ?? {}, ['title', 'source', 'dueOn', 'planned']) : {},
      formError: refusal?.message ?? '',
    }, '/cpd');
  };
  router.get('/targets', h(async (_req, res) => targetsPage(res, 200)));
  router.post('/targets', h(async (req, res) => {
    let id = '';
    const ok = await attemptForm(req, async () => {
      id = String((await cpd.addTarget(whoOf(res).userId, parse(targetSchema, req.body)))._id);
    }, (r) => targetsPage(res, r.status, r, req));
    if (ok) res.redirect(303, urlOf(res, `/cpd/targets/${id}?done=target`));
  }));

  const targetPage = async (req: Request, res: Response, id: string, status = 200, refusal?: FormRefusal, which: 'edit' | 'evaluate' | '' = '') => {
    const who = whoOf(res);
    const [target, linked] = await Promise.all([cpd.ownTarget(who.userId, id), cpd.entriesForTarget(who.userId, id)]);
    res.status(status);
    await render(res, 'cpd/target', {
      title: target.title,
      target: presentTarget(target, linked),
      linked: linked.map(presentEntry),
      sources: TARGET_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] })),
      ratings: RATINGS.map((r) => ({ value: r, label: RATING_LABELS[r] })),
      posted: refusal ? (req.body ?? {}) : {},
      editError: which === 'edit' ? refusal?.message ?? '' : '',
      evaluateError: which === 'evaluate' ? refusal?.message ?? '' : '',
      notice: NOTICES[String(req.query.done)] ?? '',
    }, '/cpd');
  };
  router.get('/targets/:id', h(async (req, res) => targetPage(req, res, idOf(req, NOT_FOUND_TARGET))));
  router.post('/targets/:id', h(async (req, res) => {
    const id = idOf(req, NOT_FOUND_TARGET);
    const ok = await attemptForm(req, () => cpd.updateTarget(whoOf(res).userId, id, parse(targetSchema, req.body)), (r) => targetPage(req, res, id, r.status, r, 'edit'));
    if (ok) res.redirect(303, urlOf(res, `/cpd/targets/${id}?done=target`));
  }));
  router.post('/targets/:id/evaluation', h(async (req, res) => {
    const id = idOf(req, NOT_FOUND_TARGET);
    const who = whoOf(res);
    const ok = await attemptForm(req, async () => {
      await cpd.ownTarget(who.userId, id);
      const linked = (await cpd.entriesForTarget(who.userId, id)).map((e) => String(e._id));
      await cpd.evaluateTarget(who.userId, id, parse(evaluationSchema(linked), evaluationInput(req.body ?? {}, linked)), now());
    }, (r) => targetPage(req, res, id, r.status, r, 'evaluate'));
    if (ok) res.redirect(303, urlOf(res, `/cpd/targets/${id}?done=evaluated`));
  }));

  router.use('/periods', periodsRouter(deps));
  router.use('/course', coursesRouter(deps));
  router.use('/', recordRouter(deps));
  return router;
}
