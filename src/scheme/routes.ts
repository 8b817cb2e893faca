import express, { Router, type Request, type Response } from 'express';
import { when } from '../http/dates';
import { wantsJson } from '../http/error-handler';
import { forbidden } from '../http/errors';
import { h, objectId, parse, refuse, render, urlOf, whoOf } from '../http/route-kit';
import * as apply from './applications.service';
import { listApplications } from './list.service';
import { manageMeetingsRouter, meetingsRouter } from './meetings.routes';
import { canOnScheme } from './policy';
import { formValues, presentApplication, settingsSummary, settingsValues, STATE_LABELS, SUPPORT_LABELS } from './presenter';
import { applicationSchema, fieldErrors, listFilterSchema, reasonSchema, recordSupportSchema, settingsSchema } from './scheme.schema';
import { callState, saveSettings, settingsOf } from './settings.service';
import { recordSupport, remindLineManager } from './support.service';
import { runAction, type RecordAction } from './actions';
import { nextCohortRouter } from './deferral.routes';
import { groupsRouter } from './groups.routes';
import { arriveIfDeferred, leavingNote } from './deferral.service';
import { fundingRouter } from './funding.routes';
import { fundingOf } from './funding.service';
import { reportsRouter } from './reports/reports.routes';
import { manageReportLinksRouter } from './reports/report-links.routes';

export interface SchemeDeps {
  config: { publicUrl: string; ltiKey: string };
  clock?: () => Date; // funded submissions' financial year; tests move it
}

const NOT_COORDINATOR = 'Scheme settings and applications are for the scheme coordinator of this course.';
const NOT_APPLICANT = 'The application form is for staff joining the learning set as candidates.';
const DONE: Record<string, string> = {
  saved: 'Your application is saved. It is not sent yet.',
  sent: 'Your application is sent. Your line manager has been asked to confirm their support.',
  accepted_place: 'You have taken the place. You can now start your portfolio.',
  withdrawn: 'You have withdrawn from the learning set.',
  self_deferred: 'You have deferred to the next cohort.',
  settings: 'The scheme settings are saved.',
  accepted: 'The application is accepted and the person has been told.',
  waiting: 'The application is on the waiting list and the person has been told.',
  declined: 'The application is declined and the person has been told.',
  support: 'The line manager’s support is recorded.',
  reminded: 'A new link was emailed to the line manager.',
  deferred: 'The place is deferred to the next cohort, and offered to the next on the waiting list.',
  left: 'The place is given up, and offered to the next on the waiting list.',
};

const applicant = (res: Response) => ({ courseId: whoOf(res).courseId, userId: whoOf(res).userId, name: whoOf(res).name, email: whoOf(res).email });
const notice = (req: Request) => DONE[String(req.query.done)] ?? '';

export function schemeRouter(deps: SchemeDeps): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '100kb' }));
  router.use(express.json({ limit: '100kb' }));
  const manage = Router();
  router.use('/manage', manage);
  manage.use((_req, res, next) => next(canOnScheme(whoOf(res), 'manage') ? undefined : forbidden(NOT_COORDINATOR)));
  manage.use('/meetings', manageMeetingsRouter(deps));
  manage.use('/next-cohort', nextCohortRouter());
  manage.use('/groups', groupsRouter(deps));
  manage.use('/funding', fundingRouter(deps));
  manage.use('/reports', reportsRouter(deps));
  manage.use('/report-links', manageReportLinksRouter(deps));
  router.use('/meetings', meetingsRouter(deps));

  // --- the applicant ---
  async function showMine(res: Response, status = 200, errors: Record<string, string> = {}, posted?: Record<string, unknown>, done = '') {
    const who = whoOf(res);
    const [s, mine, funded] = await Promise.all([settingsOf(who.courseId), apply.applicationOf(who.courseId, who.userId), fundingOf(who.courseId, who.userId)]);
    const call = callState(s);
    const editable = call === 'open' && (!mine || mine.state === 'draft' || mine.state === 'submitted') && (Boolean(mine) || (s?.placesTaken ?? 0) < (s?.places ?? 0));
    res.status(status);
    await render(res, 'scheme/mine', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}${mine && mine.state !== 'draft' ? 'Your place in the learning set' : 'Apply to the learning set'}`,
      scheme: settingsSummary(s, call),
      sites: s?.sites ?? [],
      application: mine ? presentApplication(mine) : null,
      funded: funded && mine?.state === 'accepted' ? { fy: funded.fy, on: when(funded.allocatedAt) } : null,
      values: formValues(posted ?? mine),
      errors,
      editable,
      done,
      leaving: await leavingNote(who.courseId, mine),
    }, '/scheme');
  }

  router.get('/', h(async (req, res) => {
    if (!canOnScheme(whoOf(res), 'apply')) {
      if (canOnScheme(whoOf(res), 'manage')) return res.redirect(303, urlOf(res, '/scheme/manage'));
      if (whoOf(res).roles.includes('mentor')) return res.redirect(303, urlOf(res, '/scheme/meetings')); // a mentor's part of the scheme
      throw forbidden(NOT_APPLICANT);
    }
    if (await arriveIfDeferred(whoOf(res))) return res.redirect(303, urlOf(res, '/portfolio')); // deferred here from the last cohort
    await showMine(res, 200, {}, undefined, notice(req));
  }));

  /** Save (the form's "Save draft", or the autosave client as JSON) and send share the same checks. */
  for (const [path, send] of [['/application', false], ['/application/send', true]] as const) {
    router.post(path, h(async (req, res) => {
      if (!canOnScheme(whoOf(res), 'apply')) throw forbidden(NOT_APPLICANT);
      const parsed = applicationSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        if (wantsJson(req)) return void res.status(422).json({ error: { id: 'validation_failed', message: parsed.error.issues[0].message } });
        return showMine(res, 422, fieldErrors(parsed.error), req.body);
      }
      const r = send ? await apply.submitApplication(applicant(res), parsed.data, deps.config.publicUrl) : await apply.saveApplication(applicant(res), parsed.data);
      if (!r.ok) {
        if (wantsJson(req)) return void res.status(r.status).json({ error: { id: 'refused', message: r.message } });
        return showMine(res, r.status, { form: r.message }, req.body);
      }
      if (wantsJson(req)) return void res.json({ saved: true, savedAt: new Date().toISOString() });
      res.redirect(303, urlOf(res, `/scheme?done=${send ? 'sent' : 'saved'}`));
    }));
  }

  router.post('/place/accept', h(async (_req, res) => {
    if (!canOnScheme(whoOf(res), 'apply')) throw forbidden(NOT_APPLICANT);
    const r = await apply.takeOfferedPlace(whoOf(res).courseId, whoOf(res).userId);
    if (!r.ok) refuse(r);
    res.redirect(303, urlOf(res, '/scheme?done=accepted_place'));
  }));

  for (const to of ['withdrawn', 'deferred'] as const) {
    router.post(to === 'withdrawn' ? '/place/withdraw' : '/place/defer', h(async (req, res) => {
      if (!canOnScheme(whoOf(res), 'apply')) throw forbidden(NOT_APPLICANT);
      const field = to === 'withdrawn' ? 'reason' : 'deferReason'; // two forms on one page: two field names
      const parsed = reasonSchema.safeParse({ reason: req.body?.[field] });
      if (!parsed.success) return showMine(res, 422, { [field]: parsed.error.issues[0].message });
      const mine = await apply.applicationOf(whoOf(res).courseId, whoOf(res).userId);
      if (!mine) refuse({ status: 409, message: apply.SELECT_MESSAGES.notAccepted });
      const r = await apply.leavePlace(whoOf(res).courseId, String(mine._id), to, parsed.data.reason);
      if (!r.ok) return showMine(res, r.status, { form: r.message });
      res.redirect(303, urlOf(res, `/scheme?done=${to === 'withdrawn' ? 'withdrawn' : 'self_deferred'}`));
    }));
  }

  // --- the coordinator ---
  async function showSettings(res: Response, status = 200, errors: Record<string, string> = {}, posted?: Record<string, string>, done = '') {
    const s = await settingsOf(whoOf(res).courseId);
    res.status(status);
    await render(res, 'scheme/settings', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Scheme settings`,
      values: posted ? { ...settingsValues(s), ...posted } : settingsValues(s),
      summary: settingsSummary(s, callState(s)),
      errors,
      done,
    }, '/scheme/manage');
  }

  manage.get('/', h(async (req, res) => showSettings(res, 200, {}, undefined, notice(req))));

  manage.post('/settings', h(async (req, res) => {
    const parsed = settingsSchema.safeParse(req.body ?? {});
    const posted = Object.fromEntries(Object.entries(settingsValues(null)).map(([k]) => [k, typeof req.body?.[k] === 'string' ? String(req.body[k]) : '']));
    if (!parsed.success) return showSettings(res, 422, fieldErrors(parsed.error), posted);
    const r = await saveSettings(whoOf(res).courseId, parsed.data);
    if (!r.ok) return showSettings(res, r.status, { places: r.message }, posted);
    res.redirect(303, urlOf(res, '/scheme/manage?done=settings'));
  }));

  manage.get('/applications', h(async (req, res) => {
    const filter = listFilterSchema.parse(req.query);
    const courseId = whoOf(res).courseId;
    const [s, list] = await Promise.all([settingsOf(courseId), listApplications(courseId, filter)]);
    const query = (page: number) => {
      const q = new URLSearchParams({ ...(filter.site ? { site: filter.site } : {}), ...(filter.state ? { state: filter.state } : {}), ...(filter.support ? { support: filter.support } : {}), page: String(page) });
      return urlOf(res, `/scheme/manage/applications?${q}`);
    };
    await render(res, 'scheme/applications', {
      title: 'Applications',
      summary: settingsSummary(s, callState(s)),
      sites: s?.sites ?? [],
      filter: { site: filter.site ?? '', state: filter.state ?? '', support: filter.support ?? '' },
      states: Object.entries(STATE_LABELS).filter(([k]) => k !== 'draft'),
      supports: Object.entries(SUPPORT_LABELS),
      items: list.items.map(presentApplication),
      total: list.total,
      page: list.page,
      pages: list.pages,
      prev: list.page > 1 ? query(list.page - 1) : '',
      next: list.page < list.pages ? query(list.page + 1) : '',
      done: notice(req),
    }, '/scheme/manage');
  }));

  async function showApplication(res: Response, id: string, status = 200, errors: Record<string, string> = {}, done = '') {
    const courseId = whoOf(res).courseId;
    const found = objectId.safeParse(id).success ? await apply.findApplicationIn(courseId, id) : null;
    if (!found || found.state === 'draft') refuse({ status: 404, message: apply.SELECT_MESSAGES.notFound });
    const s = await settingsOf(courseId);
    res.status(status);
    await render(res, 'scheme/application', { title: `${Object.keys(errors).length ? 'Error: ' : ''}Application from ${found.name}`, a: presentApplication(found), summary: settingsSummary(s, callState(s)), errors, done }, '/scheme/manage');
  }

  manage.get('/applications/:id', h(async (req, res) => showApplication(res, req.params.id, 200, {}, notice(req))));

  const actions: Record<string, RecordAction> = {
    accept: (c, id) => apply.acceptApplication(c, id),
    waitlist: (c, id) => apply.waitlistApplication(c, id),
    decline: (c, id, b) => apply.declineApplication(c, id, parse(reasonSchema, b).reason),
    withdraw: (c, id, b) => apply.leavePlace(c, id, 'withdrawn', parse(reasonSchema, b).reason),
    defer: (c, id, b) => apply.leavePlace(c, id, 'deferred', parse(reasonSchema, b).reason),
    support: (c, id, b) => {
      const input = parse(recordSupportSchema, b);
      return recordSupport(c, id, input.answer, input.comment);
    },
    remind: (c, id) => remindLineManager(c, id, deps.config.publicUrl),
  };
  const doneFor: Record<string, string> = { accept: 'accepted', waitlist: 'waiting', decline: 'declined', withdraw: 'left', defer: 'deferred', support: 'support', remind: 'reminded' };

  manage.post('/applications/:id/:action', h(async (req, res) => {
    const act = actions[req.params.action];
    if (!act || !objectId.safeParse(req.params.id).success) refuse({ status: 404, message: apply.SELECT_MESSAGES.notFound });
    const r = await runAction(act, whoOf(res).courseId, req.params.id, req.body ?? {});
    if (!r.ok) {
      if (r.status === 404) refuse({ status: 404, message: r.message ?? apply.SELECT_MESSAGES.notFound });
      return showApplication(res, req.params.id, r.status ?? 409, { [req.params.action]: r.message ?? '' });
    }
    res.redirect(303, urlOf(res, `/scheme/manage/applications/${req.params.id}?done=${doneFor[req.params.action]}`));
  }));

  return router;
}
