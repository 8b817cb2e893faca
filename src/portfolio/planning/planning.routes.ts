import express, { NextFunction, Request, Response, Router } from 'express';
import multer from 'multer';
import { navFor } from '../../http/nav';
import type { Config } from '../../config';
import { requireCsrf } from '../../http/csrf';
import { wantsJson } from '../../http/error-handler';
import { AppError, forbidden, notFound, unauthorised } from '../../http/errors';
import type { Who } from '../../http/who';
import { h, render, urlOf, whoOf } from '../../http/route-kit';
import { canKeepEvidence } from '../evidence/policy';
import { sectionHref } from '../evidence';
import { CV_LIMIT_BYTES, CV_MESSAGES, extractCvText } from './cv-text';
import { presentAreaPlan, presentAreas, presentCv } from './planning.presenter';
import { areaIdSchema, cvPasteSchema, noteSchema, objectId } from './planning.schema';
import { fieldErrors } from '../evidence/evidence.schema';
import * as planning from './planning.service';

export interface PlanningDeps {
  config: Pick<Config, 'ltiKey'>;
}

const ownerOf = (res: Response): planning.Owner => ({ courseId: whoOf(res).courseId, userId: whoOf(res).userId });

const NOTICES: Record<string, string> = {
  cv: 'Your CV text is saved. It is shown beside each area while you plan.',
  added: 'Note added.',
  saved: 'Note saved.',
  removed: 'Note removed.',
};

function areaIdOf(req: Request): string {
  const parsed = areaIdSchema.safeParse(req.params.areaId);
  if (!parsed.success) throw notFound('That area is not part of your plan. Choose one from the list.');
  return parsed.data;
}

function noteIdOf(req: Request): string {
  const parsed = objectId.safeParse(req.params.noteId);
  if (!parsed.success) throw notFound('We could not find that note. It may have been removed.');
  return parsed.data;
}

export function planningRouter(deps: PlanningDeps): Router {
  const router = express.Router();
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: CV_LIMIT_BYTES, files: 1, fields: 10 } }).single('cv');

  router.use(express.urlencoded({ extended: false, limit: '400kb' }), express.json({ limit: '100kb' }));
  router.use((_req, res, next) => {
    if (!res.locals.who) return next(unauthorised());
    // The pages get it from render; this is for the error pages of this folder.
    res.locals.nav = navFor(res.locals.who as Who, '/portfolio/planning', res.locals.url, res.locals.unread);
    next(canKeepEvidence(whoOf(res)) ? undefined : forbidden('Planning is for candidates building a portfolio.'));
  });

  const renderOverview = async (req: Request, res: Response, status = 200, cvError = '', pasted?: string) => {
    const owner = ownerOf(res);
    const [{ portfolio, areas }, plan] = await Promise.all([planning.planningAreas(owner), planning.planForPages(owner)]);
    const cv = presentCv(plan);
    await render(res.status(status), 'portfolio/planning/index', {
      cv,
      cvValue: pasted ?? cv.text,
      cvError,
      cvLimitBytes: CV_LIMIT_BYTES,
      areas: presentAreas(plan, areas),
      hasPortfolio: Boolean(portfolio),
      notice: NOTICES[String(req.query.done)] ?? '',
    }, '/portfolio/planning');
  };

  const renderArea = async (req: Request, res: Response, areaId: string, status = 200, form: { noteId?: string; values?: Record<string, string>; errors?: Record<string, string>; formError?: string } = {}) => {
    const loaded = await planning.loadAreaPlan(ownerOf(res), areaId);
    await render(res.status(status), 'portfolio/planning/area', {
      ...presentAreaPlan(loaded.plan, loaded.area, loaded.sectionId),
      hasPortfolio: Boolean(loaded.sectionId),
      form: { noteId: form.noteId ?? '', values: form.values ?? {}, errors: form.errors ?? {}, formError: form.formError ?? '' },
      notice: NOTICES[String(req.query.done)] ?? (req.query.drafted ? 'Your note is now a drafted example. Open the section to finish it.' : ''),
      // The note just added or saved opens even where the address loses its #note- anchor (a cookieless frame's hop).
      openNote: typeof req.query.open === 'string' && objectId.safeParse(req.query.open).success ? req.query.open : '',
      draftedHref: typeof req.query.section === 'string' && objectId.safeParse(req.query.section).success ? sectionHref(String(req.query.section)) : '',
    }, '/portfolio/planning');
  };

  router.get('/', h(async (req, res) => renderOverview(req, res)));

  router.post('/cv', h(async (req, res) => {
    const parsed = cvPasteSchema.safeParse(req.body);
    if (!parsed.success) return renderOverview(req, res, 422, fieldErrors(parsed.error).cvText, String(req.body?.cvText ?? ''));
    await planning.saveCv(ownerOf(res), { text: parsed.data.cvText, source: 'pasted' });
    res.redirect(303, urlOf(res, '/portfolio/planning?done=cv'));
  }));

  // Multipart: multer reads the fields, then the CSRF token is checked.
  router.post('/cv/upload', (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        const status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
        return void renderOverview(req, res, status, status === 413 ? CV_MESSAGES.tooLarge : CV_MESSAGES.noFile).catch(next);
      }
      next(err);
    });
  }, requireCsrf(deps.config.ltiKey), h(async (req, res) => {
    try {
      if (!req.file) throw new AppError(422, 'no_file', CV_MESSAGES.noFile);
      const { text, source } = await extractCvText(req.file.originalname, req.file.buffer);
      await planning.saveCv(ownerOf(res), { text, source, filename: req.file.originalname.split(/[\\/]/).pop()?.slice(0, 200) });
      res.redirect(303, urlOf(res, '/portfolio/planning?done=cv'));
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return renderOverview(req, res, err.status, err.message);
      throw err;
    }
  }));

  router.get('/areas/:areaId', h(async (req, res) => renderArea(req, res, areaIdOf(req))));

  router.post('/areas/:areaId/notes', h(async (req, res) => {
    const areaId = areaIdOf(req);
    await planning.loadAreaPlan(ownerOf(res), areaId); // 404 for an area outside the pathway
    const parsed = noteSchema.safeParse(req.body);
    if (!parsed.success) return renderArea(req, res, areaId, 422, { noteId: 'new', values: req.body, errors: fieldErrors(parsed.error) });
    try {
      const id = await planning.addNote(ownerOf(res), areaId, parsed.data);
      res.redirect(303, urlOf(res, `/portfolio/planning/areas/${areaId}?done=added&open=${id}#note-${id}`));
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return renderArea(req, res, areaId, 422, { noteId: 'new', values: req.body, formError: err.message });
      throw err;
    }
  }));

  router.post('/areas/:areaId/notes/:noteId', h(async (req, res) => {
    const areaId = areaIdOf(req);
    const noteId = noteIdOf(req);
    const parsed = noteSchema.safeParse(req.body);
    const json = wantsJson(req); // the autosave script
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      if (json) return void res.status(422).json({ error: { id: 'validation_failed', message: Object.values(errors)[0], fields: errors } });
      return renderArea(req, res, areaId, 422, { noteId, values: req.body, errors });
    }
    await planning.updateNote(ownerOf(res), noteId, parsed.data);
    if (json) return void res.json({ saved: true, at: new Date().toISOString() });
    res.redirect(303, urlOf(res, `/portfolio/planning/areas/${areaId}?done=saved&open=${noteId}#note-${noteId}`));
  }));

  router.post('/areas/:areaId/notes/:noteId/remove', h(async (req, res) => {
    const areaId = areaIdOf(req);
    await planning.removeNote(ownerOf(res), noteIdOf(req));
    res.redirect(303, urlOf(res, `/portfolio/planning/areas/${areaId}?done=removed`));
  }));

  router.post('/areas/:areaId/notes/:noteId/draft', h(async (req, res) => {
    const areaId = areaIdOf(req);
    const noteId = noteIdOf(req);
    try {
      const drafted = await planning.draftExampleFromNote(ownerOf(res), noteId);
      res.redirect(303, urlOf(res, `/portfolio/planning/areas/${areaId}?drafted=1&section=${drafted.sectionId}#note-${noteId}`));
    } catch (err) {
      if (err instanceof AppError && (err.status === 409 || err.status === 422)) return renderArea(req, res, areaId, err.status, { noteId, formError: err.message });
      throw err;
    }
  }));

  return router;
}
