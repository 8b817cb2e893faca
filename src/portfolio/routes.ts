import { Request, Response, Router } from 'express';
import type { EvidenceDeps } from './evidence/evidence.routes';
import type { PlanningDeps } from './planning/planning.routes';
import { forbidden, notFound } from '../http/errors';
import { check, h, parse, render as renderPage, urlOf, whoOf } from '../http/route-kit';
import { FrameworkRegistry, frameworks } from './framework';
import type { PortfolioDoc } from './models';
import { can, PortfolioAction } from './policy';
import {
  checkChoice,
  findOwnPortfolio,
  findPortfolioById,
  findPortfolioOfSection,
  loadOverview,
  loadPortfolio,
  loadSection,
  openOrCreatePortfolio,
  type PortfolioCore,
} from './portfolio.service';
import * as present from './presenter';
import { listRevisions, getRevision } from './revisions';
import * as sections from './section.service';
import { addAreaSchema, bodySchema, exampleSchema, fieldsSchema, objectId, startSchema, versionOnlySchema } from './schema';
import { courseScheme, type CourseScheme } from './course-scheme';
import { addChosenArea } from './chosen-areas';
import { saveFields } from './section-fields';
import { migrateToLatest, markMigrationSeen } from './migration';
import { startPresenter } from './start.presenter';
import { lengthAdviceRouter } from './length-advice.routes';
import { dimensionsRouter } from './dimensions.routes';
import { STATE_LABELS } from './section-states';
import { computedFigures, storedFigures } from './section-summary';
import { portfolioBodies } from './body-limit';
import { evidencePickers } from './evidence/picker';
import { sectionFeedback } from './section-feedback';
import { placeGateFor } from './place-gate';
import { writeLockGuard } from './write-lock';
import { evidenceRouter } from './evidence';
import { planningRouter } from './planning';

/** The app's shared dependencies, plus seams the portfolio allows (other frameworks, course pathway). */
export type PortfolioDeps = EvidenceDeps & PlanningDeps & {
  frameworks?: FrameworkRegistry;
  /** The framework, pathway and length advice set for the course; by default from deep linking and the coordinator. */
  courseScheme?: (courseId: string) => Promise<CourseScheme>;
};

const MESSAGES = {
  noPlace: 'Your portfolio opens when you have a place in the learning set. Your application page says where it stands.',
  notCandidate: 'Portfolios belong to candidates. Mentors and coordinators will read them from the mentoring pages.',
  noSection: 'We could not find that section in your portfolio.',
  noExample: 'We could not find that example in this section.',
  notAllowedReview: 'Only a section with some writing in it can be marked ready for review.',
  staleReview: 'This section changed since you opened it. Please look at the latest version and try again.',
  conflict: 'This section was changed somewhere else since you opened it. Nothing has been overwritten.',
  staleChange: 'This section was changed somewhere else since you opened it, so nothing was changed. Here is the latest version: please check it and try again.',
};

export function portfolioRouter(deps: PortfolioDeps): Router {
  const registry = deps.frameworks ?? frameworks(); // validated now: a broken framework file stops start-up
  // The framework and pathway a teacher chose when adding the tool to the course (deep linking), if any.
  const schemeOf = deps.courseScheme ?? ((courseId: string) => courseScheme(registry, courseId));
  /** The section page's presenter, with the course's length advice. */
  const presentSection = async (input: Omit<Parameters<typeof present.sectionPresenter>[0], 'courseAdvice' | 'pathwayId'> & { portfolio: PortfolioCore }) =>
    present.sectionPresenter({ ...input, pathwayId: input.portfolio.pathway, courseAdvice: (await schemeOf(input.portfolio.courseId)).wordAdvice });
  const router = Router();
  router.use(...portfolioBodies());
  router.use(writeLockGuard()); // a withdrawn candidate reads, never writes
  router.use('/evidence', evidenceRouter(deps));
  router.use('/planning', planningRouter(deps));
  router.use('/length-advice', lengthAdviceRouter(registry));
  router.use(dimensionsRouter(registry));

  const render = (res: Response, view: string, locals: Record<string, unknown>, current = '/portfolio') => renderPage(res, `portfolio/${view}`, locals, current);

  /** The signed-in candidate's own portfolio, for writes: only the owner edits. */
  async function ownPortfolio(res: Response, action: PortfolioAction): Promise<PortfolioCore> {
    const who = whoOf(res);
    const portfolio = await findOwnPortfolio(who);
    if (!portfolio || !(await can(who, action, portfolio))) throw notFound(MESSAGES.noSection);
    return portfolio;
  }

  /** A section someone may read: found by id, then its portfolio is checked against the policy. */
  async function readableSection(res: Response, sectionId: string, action: PortfolioAction = 'view') {
    if (!objectId.safeParse(sectionId).success) throw notFound(MESSAGES.noSection);
    // perf: a candidate usually reads their own: one read of its sections instead of section, portfolio, sections.
    const who = whoOf(res);
    const own = who.roles.includes('candidate') ? await findOwnPortfolio(who) : null;
    if (own && (await can(who, action, own))) {
      const loaded = await loadPortfolio(registry, own);
      const section = loaded.sections.find((s) => String(s._id) === sectionId);
      const area = loaded.areas.find((a) => a.id === section?.areaId);
      if (section && area) return { ...loaded, section, area };
    }
    const portfolio = await findPortfolioOfSection(sectionId);
    if (!portfolio || !(await can(whoOf(res), action, portfolio))) throw notFound(MESSAGES.noSection);
    const loaded = await loadPortfolio(registry, portfolio);
    const section = loaded.sections.find((s) => String(s._id) === sectionId);
    const area = loaded.areas.find((a) => a.id === section?.areaId);
    if (!section || !area) throw notFound(MESSAGES.noSection);
    return { ...loaded, section, area };
  }

  const target = (res: Response, portfolio: Pick<PortfolioDoc, '_id'>, sectionId: string, writer?: string) => ({
    portfolioId: portfolio._id,
    sectionId,
    byUser: whoOf(res).userId,
    writer: writer ?? null,
  });
  // After a full-page action the page opens at what was changed (the anchor), where its script puts focus.
  const sectionUrl = (res: Response, id: string, flag?: string, anchor?: string) =>
    urlOf(res, `/portfolio/sections/${id}${flag ? `?done=${flag}` : ''}${anchor ? `#${anchor}` : ''}`);
  const exampleAnchor = (exampleId: string) => `ex-${exampleId}-heading`;

  /** A save either lands (redirect, or JSON with the new version) or comes back as a conflict page / 409. */
  async function answerSave(
    req: Request,
    res: Response,
    result: sections.SaveResult,
    exampleId?: string,
    mode: 'choose' | 'stale' = 'choose',
    landing: { done: string; anchor: string } = { done: 'saved', anchor: exampleId ? exampleAnchor(exampleId) : 'body' },
  ) {
    const id = req.params.id;
    if (result.ok) {
      if (req.method === 'PUT') {
        res.json({
          version: result.section.version,
          state: result.section.state,
          stateLabel: STATE_LABELS[result.section.state], // the page's header and review box follow the save
          words: (storedFigures(result.section) ?? computedFigures(result.section)).words,
          savedAt: new Date(result.section.updatedAt).toISOString(),
          exampleIds: result.section.examples.map((e) => String(e._id)),
          // The saved part's own version, for the page's next save of it, and the text a merge produced.
          partVersion: exampleId ? result.section.examples.find((e) => String(e._id) === exampleId)?.version ?? 0 : result.section.bodyVersion ?? 0,
          ...(result.merged ? { merged: result.merged } : {}),
        });
      } else res.redirect(303, sectionUrl(res, id, landing.done, landing.anchor));
      return;
    }
    res.status(409);
    if (req.method === 'PUT') {
      res.json({ error: { id: 'conflict', message: MESSAGES.conflict }, theirs: result.conflict.theirs, yours: result.conflict.yours, merge: result.conflict.merge ?? null });
      return;
    }
    if (mode === 'stale') {
      // Removing or restoring on top of changes made elsewhere could lose them: show the latest instead.
      const { framework, area, section, sections: all, portfolio } = await readableSection(res, id, 'edit');
      render(res, 'section', {
        title: area.displayTitle,
        s: await presentSection({ framework, area, section, allSections: all, portfolio }),
        done: '',
        canEdit: true,
        error: MESSAGES.staleChange,
      });
      return;
    }
    const { area } = await readableSection(res, id, 'edit');
    render(res, 'conflict', {
      title: `Conflict: ${area.displayTitle}`,
      conflict: present.conflictPresenter({ area, sectionId: id, conflict: result.conflict, exampleId }),
    });
  }

  router.get(
    '/',
    h(async (_req, res) => {
      const who = whoOf(res);
      let portfolio = await findOwnPortfolio(who);
      if (!portfolio) {
        if (!(await can(who, 'create', null))) throw forbidden(MESSAGES.notCandidate);
        const elsewhere = await placeGateFor(who); // the scheme: no place yet, so the application page
        if (elsewhere) return res.redirect(303, urlOf(res, elsewhere));
        const scheme = await schemeOf(who.courseId);
        render(res, 'start', { title: 'Start your portfolio', start: startPresenter(scheme.framework, scheme.pathwayId), error: null, values: {} });
        return;
      }
      if (!(await can(who, 'view', portfolio))) throw forbidden(MESSAGES.notCandidate);
      // A newer version of the framework with a mapping from this one: move, keeping every word, and say what moved.
      portfolio = (await migrateToLatest(registry, portfolio)) ?? portfolio;
      // States and stored figures only: the sections' rich text is not read (see section-summary.ts).
      const loaded = await loadOverview(registry, portfolio);
      render(res, 'overview', { title: 'My portfolio', overview: present.overviewPresenter(loaded) });
    }),
  );

  router.post(
    '/start',
    h(async (req, res) => {
      const who = whoOf(res);
      if (!(await findOwnPortfolio(who)) && !(await can(who, 'create', null))) throw forbidden(MESSAGES.notCandidate);
      if (!(await findOwnPortfolio(who)) && (await placeGateFor(who))) throw forbidden(MESSAGES.noPlace);
      const scheme = await schemeOf(who.courseId);
      const values = Object.fromEntries(Object.entries(req.body ?? {}).filter(([k, v]) => typeof v === 'string' && /^(pathway|name_[a-z0-9-]+_\d)$/.test(k)));
      const again = (status: number, error: string) => {
        res.status(status);
        render(res, 'start', { title: 'Error: Start your portfolio', start: startPresenter(scheme.framework, scheme.pathwayId), error, values });
      };
      const parsed = check(startSchema, req.body);
      if (!parsed.ok) return again(422, parsed.message);
      const choice = { pathway: scheme.pathwayId ?? parsed.data.pathway, names: parsed.data.names };
      try {
        checkChoice(scheme.framework, choice);
      } catch (err) {
        return again(422, (err as Error).message);
      }
      await openOrCreatePortfolio(registry, who, choice, scheme.framework.id);
      res.redirect(303, urlOf(res, '/portfolio'));
    }),
  );

  router.get(
    '/sections/:id',
    h(async (req, res) => {
      const { framework, area, section, sections: all, portfolio } = await readableSection(res, req.params.id);
      const done = typeof req.query.done === 'string' ? req.query.done : '';
      const canEdit = !res.locals.writeLock && (await can(whoOf(res), 'edit', await findPortfolioById(String(section.portfolio))));
      // The owner links evidence from their library to each example, right beside it.
      const limits = { fileBytes: deps.config.uploadLimitBytes, quotaBytes: deps.config.storageQuotaBytes };
      const pickers = canEdit ? await evidencePickers(whoOf(res), section, `/portfolio/sections/${req.params.id}`, 3, limits) : {};
      const feedback = canEdit ? await sectionFeedback(whoOf(res), req.params.id) : null;
      render(res, 'section', {
        title: area.displayTitle,
        s: await presentSection({ framework, area, section, allSections: all, portfolio }),
        done,
        canEdit,
        pickers,
        feedback: feedback ? { ...feedback, href: urlOf(res, feedback.path) } : null,
      });
    }),
  );

  const saveBody = h(async (req, res) => {
    const portfolio = await ownPortfolio(res, 'edit');
    const input = parse(bodySchema, req.body);
    const format = req.method === 'PUT' && !req.body.format ? 'html' : input.format;
    await answerSave(req, res, await sections.saveBody(target(res, portfolio, req.params.id, input.writer), { ...input, format }));
  });
  router.post('/sections/:id', saveBody);
  router.put('/sections/:id', saveBody);

  router.post(
    '/sections/:id/examples',
    h(async (req, res) => {
      const portfolio = await ownPortfolio(res, 'edit');
      const input = parse(exampleSchema, req.body);
      const result = await sections.addExample(target(res, portfolio, req.params.id), input);
      const added = result.ok ? String(result.section.examples.at(-1)?._id ?? '') : '';
      await answerSave(req, res, result, undefined, 'choose', { done: 'example-added', anchor: added ? exampleAnchor(added) : 'examples-heading' });
    }),
  );

  const saveExample = h(async (req, res) => {
    const portfolio = await ownPortfolio(res, 'edit');
    if (!objectId.safeParse(req.params.exampleId).success) throw notFound(MESSAGES.noExample);
    const input = parse(exampleSchema, req.body);
    const format = req.method === 'PUT' && !req.body.format ? 'html' : input.format;
    const result = await sections.updateExample(target(res, portfolio, req.params.id, input.writer), {
      ...input,
      format,
      exampleId: req.params.exampleId,
    });
    await answerSave(req, res, result, req.params.exampleId);
  });
  router.post('/sections/:id/examples/:exampleId', saveExample);
  router.put('/sections/:id/examples/:exampleId', saveExample);

  router.post(
    '/sections/:id/examples/:exampleId/remove',
    h(async (req, res) => {
      const portfolio = await ownPortfolio(res, 'edit');
      const { baseVersion } = parse(versionOnlySchema, req.body);
      const section = await loadSection(portfolio, req.params.id);
      if (!section) throw notFound(MESSAGES.noSection);
      if (!section.examples.some((e) => String(e._id) === req.params.exampleId)) throw notFound(MESSAGES.noExample);
      const result = await sections.removeExample(target(res, portfolio, req.params.id), {
        baseVersion,
        exampleId: req.params.exampleId,
      });
      await answerSave(req, res, result, undefined, 'stale', { done: 'example-removed', anchor: 'examples-heading' });
    }),
  );

  const stateChange = (kind: 'ready' | 'withdraw') =>
    h(async (req, res) => {
      const portfolio = await ownPortfolio(res, 'request_review');
      const { baseVersion } = parse(versionOnlySchema, req.body);
      const t = target(res, portfolio, req.params.id);
      const r = kind === 'ready' ? await sections.requestReview(t, baseVersion) : await sections.withdrawReview(t, baseVersion);
      if (r.ok) return res.redirect(303, sectionUrl(res, req.params.id, kind, 'review-heading'));
      if (r.reason === 'missing') throw notFound(MESSAGES.noSection);
      const { framework, area, section, sections: all, portfolio: p } = await readableSection(res, req.params.id, 'edit');
      res.status(r.reason === 'stale' ? 409 : 422);
      render(res, 'section', {
        title: area.displayTitle,
        s: await presentSection({ framework, area, section, allSections: all, portfolio: p }),
        done: '',
        canEdit: true,
        error: r.reason === 'stale' ? MESSAGES.staleReview : MESSAGES.notAllowedReview,
      });
    });
  router.post('/sections/:id/ready', stateChange('ready'));
  router.post('/sections/:id/withdraw', stateChange('withdraw'));

  router.post(
    '/areas',
    h(async (req, res) => {
      const portfolio = await ownPortfolio(res, 'edit');
      const input = parse(addAreaSchema, req.body);
      const sectionId = await addChosenArea(registry, portfolio, input);
      res.redirect(303, sectionId ? sectionUrl(res, sectionId, 'added') : urlOf(res, '/portfolio'));
    }),
  );

  router.post(
    '/migration-seen',
    h(async (_req, res) => {
      const portfolio = await ownPortfolio(res, 'view');
      await markMigrationSeen(portfolio);
      res.redirect(303, urlOf(res, '/portfolio'));
    }),
  );

  router.post(
    '/sections/:id/fields',
    h(async (req, res) => {
      const portfolio = await ownPortfolio(res, 'edit');
      const { baseVersion } = parse(fieldsSchema, req.body);
      const { area } = await readableSection(res, req.params.id, 'edit');
      const r = await saveFields(target(res, portfolio, req.params.id), area, { baseVersion, values: req.body });
      if (r.ok) return res.redirect(303, sectionUrl(res, req.params.id, 'saved', 'fields-heading'));
      const { framework, section, sections: all } = await readableSection(res, req.params.id, 'edit');
      res.status(409);
      render(res, 'section', {
        title: area.displayTitle,
        s: await presentSection({ framework, area, section, allSections: all, portfolio }),
        done: '',
        canEdit: true,
        error: MESSAGES.staleChange,
      });
    }),
  );

  router.get(
    '/sections/:id/revisions',
    h(async (req, res) => {
      const { area, section, portfolio } = await readableSection(res, req.params.id, 'view_history');
      const names = new Map([[whoOf(res).userId, 'You']]);
      if (portfolio.userId !== whoOf(res).userId) names.set(portfolio.userId, 'The candidate');
      const list = await listRevisions(section);
      render(res, 'revisions', { title: `History: ${area.displayTitle}`, r: present.revisionsPresenter(area, section, list, names) });
    }),
  );

  router.get(
    '/sections/:id/revisions/:revisionId',
    h(async (req, res) => {
      const { area, section, portfolio } = await readableSection(res, req.params.id, 'view_history');
      const revision = await getRevision(section, req.params.revisionId);
      if (!revision) throw notFound('We could not find that revision.');
      render(res, 'revision', {
        title: `${area.displayTitle}: saved copy`,
        r: present.revisionPresenter(area, section, revision),
        canEdit: await can(whoOf(res), 'edit', portfolio),
      });
    }),
  );

  router.post(
    '/sections/:id/revisions/:revisionId/restore',
    h(async (req, res) => {
      const portfolio = await ownPortfolio(res, 'edit');
      const { baseVersion } = parse(versionOnlySchema, req.body);
      const result = await sections.restoreRevision(target(res, portfolio, req.params.id), {
        baseVersion,
        revisionId: req.params.revisionId,
      });
      if (result.ok) return res.redirect(303, sectionUrl(res, req.params.id, 'restored'));
      await answerSave(req, res, result, undefined, 'stale');
    }),
  );

  return router;
}
