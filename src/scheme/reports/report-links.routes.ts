import { Router, type Request, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import { z } from 'zod';
import { MongoRateLimitStore } from '../../http/rate-limit-store';
import { renderPage } from '../../http/render-page';
import { h, objectId, refuse, render, urlOf, whoOf } from '../../http/route-kit';
import { when } from '../../http/dates';
import { fieldErrors } from '../scheme.schema';
import { buildReport } from './reports.service';
import { reportLocals, sendReportCsv } from './reports.routes';
import { createReportLink, listReportLinks, openReportLink, REPORT_LINK_DAYS, revokeReportLink } from './report-links.service';

export interface ReportLinkDeps {
  config: { publicUrl: string; ltiKey: string };
  clock?: () => Date;
}

export const reportLinkSchema = z.object({
  label: z.string({ message: 'Enter who the link is for.' }).trim().min(1, 'Enter who the link is for, for example your manager’s name.').max(120, 'Keep who the link is for to 120 characters or fewer.'),
  scope: z.enum(['course', 'all'], { message: 'Choose which cohorts the link shows.' }),
  days: z.coerce.number({ message: 'Enter how many days the link works, a whole number.' }).int('Enter a whole number of days.').min(REPORT_LINK_DAYS.min, `A link works for at least ${REPORT_LINK_DAYS.min} day.`).max(REPORT_LINK_DAYS.max, `A link works for at most ${REPORT_LINK_DAYS.max} days; make a new one after that.`),
});
const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const NOT_FOUND = 'That report link is not one of this course’s.';
const DONE: Record<string, string> = { revoked: 'The link is revoked. It no longer opens the reports.' };
type Values = { label: string; scope: string; days: string };

/** /scheme/manage/report-links: the coordinator makes, lists and revokes read-only report links (under /scheme/manage). */
export function manageReportLinksRouter(deps: ReportLinkDeps): Router {
  const router = Router();
  const now = () => (deps.clock ?? (() => new Date()))();

  async function show(req: Request, res: Response, status = 200, errors: Record<string, string> = {}, values?: Values, made?: { url: string; label: string; expiresAt: Date }) {
    const who = whoOf(res);
    const list = await listReportLinks(who.courseId, pageSchema.parse(req.query).page);
    const at = (p: number) => urlOf(res, `/scheme/manage/report-links?page=${p}`);
    const t = now().getTime();
    res.status(status);
    await render(res, 'scheme/report-links', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Report links`,
      items: list.items.map((l) => ({
        id: String(l._id),
        label: l.label,
        scope: l.scope === 'all' ? 'Every cohort you coordinate' : 'This cohort',
        by: l.createdByName,
        made: when(l.createdAt),
        state: l.revokedAt ? `Revoked ${when(l.revokedAt)}` : l.expiresAt.getTime() <= t ? `Expired ${when(l.expiresAt)}` : `Works until ${when(l.expiresAt)}`,
        live: !l.revokedAt && l.expiresAt.getTime() > t,
        opened: l.lastOpenedAt ? when(l.lastOpenedAt) : 'Not yet',
      })),
      total: list.total, page: list.page, pages: list.pages,
      prev: list.page > 1 ? at(list.page - 1) : '',
      next: list.page < list.pages ? at(list.page + 1) : '',
      values: values ?? { label: '', scope: 'course', days: String(REPORT_LINK_DAYS.default) },
      errors,
      made: made ? { url: made.url, label: made.label, until: when(made.expiresAt) } : null,
      done: DONE[String(req.query.done)] ?? '',
    }, '/scheme/manage');
  }

  router.get('/', h(async (req, res) => show(req, res)));
  router.post('/', h(async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = { label: String(b.label ?? '').slice(0, 200), scope: String(b.scope ?? ''), days: String(b.days ?? '').slice(0, 10) };
    const parsed = reportLinkSchema.safeParse(b);
    if (!parsed.success) return show(req, res, 422, fieldErrors(parsed.error), values);
    const who = whoOf(res);
    const { token, link } = await createReportLink(deps.config.ltiKey, { userId: who.userId, name: who.name, courseId: who.courseId, issuer: who.issuer }, parsed.data, now());
    // Shown once: only its hash is kept, so it cannot be shown again.
    await show(req, res, 201, {}, undefined, { url: `${deps.config.publicUrl.replace(/\/$/, '')}/scheme-report/${token}`, label: link.label, expiresAt: link.expiresAt });
  }));
  router.post('/:id/revoke', h(async (req, res) => {
    if (!objectId.safeParse(req.params.id).success) refuse({ status: 404, message: NOT_FOUND });
    const r = await revokeReportLink(whoOf(res).courseId, req.params.id, now());
    if (r === 'unknown') refuse({ status: 404, message: NOT_FOUND });
    if (r === 'already') refuse({ status: 409, message: 'That link was already revoked, so nothing changed.' });
    res.redirect(303, urlOf(res, '/scheme/manage/report-links?done=revoked'));
  }));
  return router;
}

const REFUSED = {
  unknown: { status: 404, heading: 'This link does not open a report', message: 'Check that the whole address was copied. If it still does not open, ask the scheme coordinator for a new link.' },
  expired: { status: 410, heading: 'This link has expired', message: 'Ask the scheme coordinator for a new link.' },
  revoked: { status: 410, heading: 'This link has been withdrawn', message: 'The scheme coordinator withdrew this link. Ask them for a new one if you still need the reports.' },
} as const;
const TOO_MANY = 'Too many requests for this page. Please wait a few minutes and try again.';
const ROBOTS = 'noindex, nofollow';

/**
 * /scheme-report/:token: the coordinator's manager reads the reports with no VLE account and no cookie. The token
 * is the only key; every answer is noindex, no-referrer and never cached, and only the report and its CSVs are here.
 */
export function reportLinkRouter(deps: ReportLinkDeps): Router {
  const router = Router();
  const now = () => (deps.clock ?? (() => new Date()))();
  const plain = (res: Response, status: number, heading: string, message: string) => renderPage(res, status, 'error', { title: heading, heading, message, robots: ROBOTS });
  router.use((_req, res, next) => {
    res.set({ 'X-Robots-Tag': 'noindex, nofollow, noarchive', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'private, no-store' });
    next();
  });
  router.use(rateLimit({ windowMs: 60_000, limit: 60, store: new MongoRateLimitStore('scheme-report:'), standardHeaders: 'draft-7', legacyHeaders: false, handler: (_req, res) => void plain(res, 429, 'Please wait a moment', TOO_MANY) }));

  const opened = async (req: Request, res: Response) => {
    const r = await openReportLink(deps.config.ltiKey, String(req.params.token), now());
    if (r.ok) return r;
    const refused = REFUSED[r.reason];
    await plain(res, refused.status, refused.heading, refused.message);
    return null;
  };

  router.get('/:token', h(async (req, res) => {
    const r = await opened(req, res);
    if (!r) return;
    const base = `/scheme-report/${encodeURIComponent(req.params.token)}`;
    const report = await buildReport(r.cohorts, now());
    await renderPage(res, 200, 'scheme/report-shared', {
      title: 'CMALT scheme reports',
      robots: ROBOTS,
      by: r.link.createdByName,
      scopeLabel: r.cohorts.map((c) => c.label).join(', '),
      until: when(r.link.expiresAt),
      ...reportLocals(report, req.query, { page: (id, p) => `${base}?page_${id}=${p}#${id}`, csv: (id) => `${base}/${id}.csv` }),
    });
  }));
  router.get('/:token/:table.csv', h(async (req, res) => {
    const r = await opened(req, res);
    if (!r) return;
    const report = await buildReport(r.cohorts, now());
    if (!report.tables.some((t) => t.id === req.params.table)) return plain(res, 404, 'There is no such table', 'Go back to the report and choose “Download as CSV” under a table.');
    sendReportCsv(res, report, req.params.table);
  }));
  // Anything else under a link is not found, whatever the token.
  router.use((_req, res) => void plain(res, 404, REFUSED.unknown.heading, REFUSED.unknown.message));
  return router;
}
