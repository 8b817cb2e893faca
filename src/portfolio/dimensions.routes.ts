import { Response, Router } from 'express';
import { forbidden, notFound } from '../http/errors';
import { h, parse, render as renderPage, urlOf, whoOf } from '../http/route-kit';
import { coverageOf } from './coverage';
import { saveDimensions } from './dimensions.service';
import type { FrameworkRegistry } from './framework';
import { can } from './policy';
import { findOwnPortfolio, loadPortfolio } from './portfolio.service';
import { objectId, versionOnlySchema } from './schema';

/**
 * Dimensions (PSF 2023's A, K and V): the candidate tags each part of a tagged section, and the coverage
 * page shows what is evidenced, where, and what the chosen descriptor still needs. Only the owner, for now.
 */
const NOT_HERE = 'We could not find that section in your portfolio.';
const NO_DIMENSIONS = 'Your framework has no dimensions to show coverage for.';

export function dimensionsRouter(registry: FrameworkRegistry): Router {
  const router = Router();
  const render = (res: Response, view: string, locals: Record<string, unknown>) => renderPage(res, `portfolio/${view}`, locals, '/portfolio');

  async function own(res: Response, action: 'view' | 'edit') {
    const who = whoOf(res);
    const portfolio = await findOwnPortfolio(who);
    if (!portfolio || !(await can(who, action, portfolio))) throw forbidden(NOT_HERE);
    return loadPortfolio(registry, portfolio);
  }

  async function taggedSection(res: Response, id: string) {
    if (!objectId.safeParse(id).success) throw notFound(NOT_HERE);
    const loaded = await own(res, 'edit');
    const section = loaded.sections.find((s) => String(s._id) === id);
    const area = loaded.areas.find((a) => a.id === section?.areaId);
    if (!section || !area || !area.tagged) throw notFound(NOT_HERE);
    return { ...loaded, section, area };
  }

  const showTags = (res: Response, t: Awaited<ReturnType<typeof taggedSection>>, error: string | null) =>
    render(res, 'dimensions', {
      title: `${error ? 'Error: ' : ''}Dimensions: ${t.area.displayTitle}`,
      error,
      d: {
        sectionId: String(t.section._id),
        title: t.area.displayTitle,
        version: t.section.version,
        dimensions: t.framework.dimensions,
        examples: t.section.examples.map((e, i) => ({ id: String(e._id), title: e.title || `Part ${i + 1}`, chosen: e.dimensions ?? [] })),
      },
    });

  router.get('/sections/:id/dimensions', h(async (req, res) => showTags(res, await taggedSection(res, req.params.id), null)));

  router.post(
    '/sections/:id/dimensions',
    h(async (req, res) => {
      const t = await taggedSection(res, req.params.id);
      const { baseVersion } = parse(versionOnlySchema, req.body);
      const byExample: Record<string, string[]> = {};
      for (const e of t.section.examples) {
        const raw = req.body?.[`dims_${String(e._id)}`];
        // Checkboxes arrive as repeated fields; a comma-separated list (a script's post) means the same.
        const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((x: unknown): x is string => typeof x === 'string');
        byExample[String(e._id)] = list.flatMap((x: string) => x.split(',')).map((x: string) => x.trim()).filter(Boolean).slice(0, 50);
      }
      const who = whoOf(res);
      const r = await saveDimensions(t.framework, t.area, { portfolioId: t.portfolio._id, sectionId: req.params.id, byUser: who.userId }, { baseVersion, byExample });
      if (r.ok) return res.redirect(303, urlOf(res, '/portfolio/coverage?done=tagged'));
      res.status(409);
      await showTags(res, await taggedSection(res, req.params.id), 'This section changed since you opened it, so nothing was saved. Here it is as it is now.');
    }),
  );

  router.get(
    '/coverage',
    h(async (req, res) => {
      const loaded = await own(res, 'view');
      if (!loaded.framework.dimensions.length) throw notFound(NO_DIMENSIONS);
      const pathway = loaded.framework.pathways.find((p) => p.id === loaded.portfolio.pathway)!;
      await render(res, 'coverage', {
        title: 'Coverage',
        done: typeof req.query.done === 'string' ? req.query.done : '',
        pathwayTitle: pathway.title,
        coverage: coverageOf(loaded.framework, loaded.portfolio.pathway, loaded.areas, loaded.sections),
        tagged: loaded.areas.filter((a) => a.tagged).map((a) => ({ title: a.displayTitle, id: String(loaded.sections.find((s) => s.areaId === a.id)?._id ?? '') })),
      });
    }),
  );
  return router;
}
