import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { h, hidden, render, urlOf, whoOf } from '../../http/route-kit';
import { barChart } from './charts';
import { toCsv } from '../../http/csv';
import { presentTable } from './reports.presenter';
import { buildReport, coordinatedCohorts, FUNNEL_STAGES, type Cohort } from './reports.service';

/** The coordinator's reports (mounted under /scheme/manage, which checks the coordinator of this course). */
export interface ReportsDeps {
  clock?: () => Date;
}

const scopeSchema = z.object({ cohort: z.string().max(40).optional().catch(undefined) });
const pageOf = (v: unknown) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
};

/** The cohorts asked for: this course unless told; `all` or another course only among those the asker coordinates. */
async function scopeOf(req: Request, res: Response): Promise<{ cohorts: Cohort[]; mine: Cohort[]; cohort: string }> {
  const who = whoOf(res);
  const mine = await coordinatedCohorts(who);
  const asked = scopeSchema.parse(req.query).cohort ?? who.courseId;
  const cohorts = asked === 'all' ? mine : mine.filter((c) => c.courseId === asked);
  if (!cohorts.length) throw hidden(); // another VLE's course, or one the asker does not coordinate
  return { cohorts, mine, cohort: asked };
}

type Report = Awaited<ReturnType<typeof buildReport>>;

/** The charts and tables of a report as the page shows them; shared by the coordinator's page and the manager's link. */
export function reportLocals(report: Report, query: Record<string, unknown>, urls: { page: (id: string, page: number) => string; csv: (id: string) => string }) {
  const tables = report.tables.map((t) => presentTable(t, pageOf(query[`page_${t.id}`]), (p) => urls.page(t.id, p), urls.csv(t.id)));
  return {
    funnelChart: { safeHtml: barChart('funnel-chart', 'Funnel: applications at each stage', FUNNEL_STAGES.map((label, i) => ({ label, value: report.funnel[i] })), 'applications') }, // our own markup; every text in it escaped by barChart
    fundedChart: { safeHtml: barChart('funded-chart', 'Funded submissions used of those funded, by financial year', report.funded.map((f) => ({ label: f.label, value: f.used, of: f.funded })), 'funded submissions') },
    tables: Object.fromEntries(tables.map((t) => [t.id, t])),
  };
}

/** One table of a report as CSV, or not found. */
export function sendReportCsv(res: Response, report: Report, id: string): void {
  const table = report.tables.find((t) => t.id === id);
  if (!table) throw hidden();
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${table.id}.csv"`);
  res.set('Cache-Control', 'no-store');
  res.send(toCsv(table.columns, table.rows));
}

export function reportsRouter(deps: ReportsDeps): Router {
  const router = Router();
  const now = () => (deps.clock ?? (() => new Date()))();

  router.get('/', h(async (req, res) => {
    const { cohorts, mine, cohort } = await scopeOf(req, res);
    const report = await buildReport(cohorts, now());
    const query = (extra: Record<string, string>) => new URLSearchParams({ cohort, ...extra }).toString();
    await render(res, 'scheme/reports', {
      title: 'Scheme reports',
      cohort,
      choices: [...mine.map((c) => ({ value: c.courseId, label: c.courseId === whoOf(res).courseId ? `${c.label} (this course)` : c.label })), ...(mine.length > 1 ? [{ value: 'all', label: `Every cohort you coordinate (${mine.length})` }] : [])],
      scopeLabel: cohort === 'all' ? `every cohort you coordinate (${cohorts.length})` : cohorts[0].label,
      ...reportLocals(report, req.query, {
        page: (id, p) => urlOf(res, `/scheme/manage/reports?${query({ [`page_${id}`]: String(p) })}#${id}`),
        csv: (id) => urlOf(res, `/scheme/manage/reports/${id}.csv?${query({})}`),
      }),
    }, '/scheme/manage');
  }));

  router.get('/:table.csv', h(async (req, res) => {
    const { cohorts } = await scopeOf(req, res);
    sendReportCsv(res, await buildReport(cohorts, now()), req.params.table);
  }));

  return router;
}
