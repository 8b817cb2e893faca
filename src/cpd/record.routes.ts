import express, { type Request, type Response, type Router } from 'express';
import { attemptForm, type FormRefusal } from '../http/form-refusal';
import { h, parse, render, urlOf, whoOf } from '../http/route-kit';
import * as cpd from './entries.service';
import { entriesCsv, entriesPdf, hoursSummary } from './export.presenter';
import { trainingStatus } from './mandatory.service';
import { inWords, presentAltRecord, presentEntry, presentTraining } from './presenter';
import * as review from './review.service';
import { certificationSchema, profileSchema, rangeSchema, REVIEW_SECTIONS, reviewSchema } from './schema';
import type { CpdDeps } from './deps';

const NOTICES: Record<string, string> = { profile: 'Your profile and CV are saved.', certified: 'Certification date saved.', review: 'Your review is saved.' };
const iso = (d?: Date) => (d ? d.toISOString().slice(0, 10) : '');

/** Training status, profile and CV, the CMALT review, hours and exports: the person's own record, read as a whole. */
export function recordRouter(deps: CpdDeps): Router {
  const router = express.Router();

  router.get('/training', h(async (_req, res) => {
    const who = whoOf(res);
    const last = await cpd.lastMandatoryDone([who.userId]);
    await render(res, 'cpd/training', { title: 'Mandatory training', training: presentTraining(trainingStatus(deps.training, last.get(who.userId)!, deps.clock())) }, '/cpd');
  }));

  const profilePage = async (req: Request, res: Response, status = 200, refusal?: FormRefusal) => {
    const record = await review.recordOf(whoOf(res).userId);
    res.status(status);
    await render(res, 'cpd/profile', {
      title: 'Profile and CV',
      values: refusal ? { cvText: refusal.field('cvText'), skills: refusal.field('skills') } : { cvText: record?.cvText ?? '', skills: record?.skills ?? '' },
      updated: inWords(record?.profileUpdatedAt),
      formError: refusal?.message ?? '',
      notice: NOTICES[String(req.query.done)] ?? '',
    }, '/cpd');
  };
  router.get('/profile', h(async (req, res) => profilePage(req, res)));
  router.post('/profile', h(async (req, res) => {
    const ok = await attemptForm(req, () => review.saveProfile(whoOf(res).userId, parse(profileSchema, req.body), deps.clock()), (r) => profilePage(req, res, r.status, r));
    if (ok) res.redirect(303, urlOf(res, '/cpd/profile?done=profile'));
  }));

  const reviewPage = async (req: Request, res: Response, status = 200, refusal?: FormRefusal) => {
    const who = whoOf(res);
    const { record, alt, certification } = await review.standingOf(who.userId);
    const entries = certification ? await review.entriesSince(who.userId, certification.on) : [];
    const posted = Boolean(refusal) && req.path === '/review'; // the review form refused: show what was typed; the date form leaves it
    const chosen = new Set(posted ? ([] as string[]).concat(req.body?.entryIds ?? []).map(String) : record?.review?.entryIds ?? []);
    const saved = record?.review?.sections ?? {};
    const sectionText = (id: string) => (posted ? refusal!.field(id) : saved[id] ?? '');
    const documentId = record?.review ? String(record._id) : ''; // exported through the export capability once saved
    res.status(status);
    await render(res, 'cpd/review', {
      title: 'Your CMALT review',
      certifiedOn: certification?.fromAlt ? '' : iso(certification?.on),
      certifiedWords: inWords(certification?.on),
      fromAlt: Boolean(certification?.fromAlt),
      dueWords: certification ? inWords(review.reviewDueOn(certification.on)) : '',
      entries: entries.map((e) => ({ ...presentEntry(e), chosen: chosen.has(String(e._id)) })),
      sections: REVIEW_SECTIONS.map((s) => ({ ...s, text: sectionText(s.id) })),
      formError: refusal?.message ?? '',
      notice: NOTICES[String(req.query.done)] ?? '',
      documentId,
      alt: presentAltRecord(alt, who.courseId, documentId),
    }, '/cpd');
  };
  router.get('/review', h(async (req, res) => reviewPage(req, res)));
  router.post('/review/certification', h(async (req, res) => {
    const ok = await attemptForm(req, () => review.saveCertification(whoOf(res).userId, parse(certificationSchema, req.body).certifiedOn, deps.clock()), (r) => reviewPage(req, res, r.status, r));
    if (ok) res.redirect(303, urlOf(res, '/cpd/review?done=certified'));
  }));
  router.post('/review', h(async (req, res) => {
    const ok = await attemptForm(req, () => review.saveReview(whoOf(res).userId, parse(reviewSchema, req.body), deps.clock()), (r) => reviewPage(req, res, r.status, r));
    if (ok) res.redirect(303, urlOf(res, '/cpd/review?done=review'));
  }));
  router.get('/review.pdf', h(async (_req, res) => {
    const who = whoOf(res);
    const { record, certification } = await review.standingOf(who.userId);
    const chosen = new Set(record?.review?.entryIds ?? []);
    const entries = certification ? (await review.entriesSince(who.userId, certification.on)).filter((e) => chosen.has(String(e._id))) : [];
    const saved = record?.review?.sections ?? {};
    const sections = REVIEW_SECTIONS.map((s) => ({ title: s.title, text: saved[s.id] ?? '' }));
    const pdf = await entriesPdf('CMALT review', who.name, entries, await cpd.listTargets(who.userId), sections);
    res.type('application/pdf').attachment('cmalt-review.pdf').send(pdf);
  }));

  const inRange = async (req: Request, res: Response) => {
    const who = whoOf(res);
    const range = rangeSchema.parse(req.query);
    const [entries, targets] = await Promise.all([cpd.entriesBetween(who.userId, range.from, range.to), cpd.listTargets(who.userId)]);
    return { who, range, entries, targets };
  };
  router.get('/hours', h(async (req, res) => {
    const { range, entries, targets } = await inRange(req, res);
    await render(res, 'cpd/hours', { title: 'Hours and exports', summary: hoursSummary(entries, targets), from: iso(range.from), to: iso(range.to), count: entries.length }, '/cpd');
  }));
  router.get('/export.csv', h(async (req, res) => {
    const { entries, targets } = await inRange(req, res);
    const titles = new Map(deps.training.items.map((i) => [i.id, i.title]));
    res.type('text/csv; charset=utf-8').attachment('cpd-record.csv').send(entriesCsv(entries, targets, titles));
  }));
  router.get('/export.pdf', h(async (req, res) => {
    const { who, range, entries, targets } = await inRange(req, res);
    const span = range.from || range.to ? ` (${inWords(range.from) || 'start'} to ${inWords(range.to) || 'now'})` : '';
    res.type('application/pdf').attachment('cpd-record.pdf').send(await entriesPdf(`CPD record${span}`, who.name, entries, targets));
  }));
  return router;
}
