import express, { type Response, type Router } from 'express';
import { AppError, notFound } from '../http/errors';
import { renderPage } from '../http/render-page';
import { attemptForm, type FormRefusal } from '../http/form-refusal';
import { h, parse, render, whoOf } from '../http/route-kit';
import { signLink } from '../http/signed-links';
import { KIND_LABELS, postedValues, presentEntry, presentPeriod, presentSubmission } from './presenter';
import { acknowledgeSchema, submitSchema } from './schema';
import * as submissions from './submissions.service';
import type { CpdDeps } from './deps';

const reviewUrl = (deps: CpdDeps, token: string) => `${deps.config.publicUrl}/cpd-review/${token}`;

/** The person's periods: state of each, submitting one, and the line manager's link while it is unspent. */
export function periodsRouter(deps: CpdDeps): Router {
  const router = express.Router();
  const months = deps.config.cpdPeriodMonths;

  const page = async (res: Response, status: number, extra: { link?: string; refusal?: FormRefusal; key?: string; body?: Record<string, unknown>; notice?: string } = {}) => {
    const who = whoOf(res);
    const rows = await submissions.periodRows(who.userId, months, deps.clock());
    const links = new Map(rows.filter((r) => r.submission?.linkNonce && r.submission.linkExpiresAt).map((r) => [
      r.period.key,
      reviewUrl(deps, signLink(deps.config.ltiKey, submissions.LINK_PURPOSE, { subject: String(r.submission!._id), nonce: r.submission!.linkNonce!, expiresAt: r.submission!.linkExpiresAt! })),
    ]));
    res.status(status);
    await render(res, 'cpd/periods', {
      title: 'Submitting your CPD log',
      months,
      periods: rows.map((r) => ({ ...presentPeriod(r), link: links.get(r.period.key) ?? '' })),
      overdue: rows.filter((r) => r.state === 'overdue').length,
      formError: extra.refusal?.message ?? '',
      formKey: extra.key ?? '',
      values: postedValues(extra.body ?? {}, ['reviewer', 'reviewerName', 'reviewerEmail', 'progress']),
      newLink: extra.link ?? '',
      notice: extra.notice ?? '',
    }, '/cpd');
  };

  router.get('/', h(async (_req, res) => page(res, 200)));

  router.post('/:key/submit', h(async (req, res) => {
    const who = whoOf(res);
    const key = String(req.params.key);
    let link = '';
    const ok = await attemptForm(req, async () => {
      const input = parse(submitSchema, req.body);
      const done = await submissions.submitPeriod({ ownerId: who.userId, name: who.name, courseId: who.courseId }, key, input, months, deps.clock(), deps.config.ltiKey);
      link = done.link ? reviewUrl(deps, done.link) : '';
      if (link) await submissions.emailLineManager(done.submission, link, deps.clock());
    }, (refusal) => page(res, refusal.status, { refusal, key, body: req.body }));
    if (ok) await page(res, 200, { link, notice: link ? 'Period submitted. We have emailed your line manager the link below; you can also send it yourself.' : 'Period submitted to your course coordinator.' });
  }));
  return router;
}

const LINK_HINT = 'If you expected to review a CPD log, ask the member of staff to send you the link again.';

/**
 * The line manager's pages: no VLE account, no session; the signed link in the address is the only key, and
 * acknowledging spends it. Mounted outside the launch check (app.ts).
 */
export function cpdReviewerRouter(deps: CpdDeps): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '50kb' }));
  const show = async (res: Response, token: string, status = 200, formError = '', comment = '') => {
    const { submission } = await submissions.submissionByLink(token, deps.config.ltiKey, deps.clock());
    const entries = await submissions.submittedEntries(submission);
    await renderPage(res, status, 'cpd/submission', {
      title: 'Acknowledge a CPD log', submission: presentSubmission(submission), entries: entries.map(presentEntry), kindLabels: KIND_LABELS,
      action: `/cpd-review/${token}`, formError, comment, csrf: '', done: false,
    });
  };
  const refusal = (res: Response, err: unknown) => {
    if (err instanceof AppError && (err.status === 403 || err.status === 410)) {
      return renderPage(res, err.status, 'error', { title: 'This link cannot be used', heading: 'This link cannot be used', message: err.message, hint: LINK_HINT });
    }
    throw err;
  };
  router.get('/:token', h(async (req, res) => show(res, String(req.params.token)).catch((err) => refusal(res, err))));
  router.post('/:token', h(async (req, res) => {
    const token = String(req.params.token);
    try {
      const parsed = acknowledgeSchema.safeParse(req.body ?? {});
      if (!parsed.success) return await show(res, token, 422, parsed.error.issues[0].message, String(req.body?.comment ?? ''));
      const done = await submissions.acknowledgeByLink(token, parsed.data.comment, deps.config.ltiKey, deps.clock());
      await renderPage(res, 200, 'cpd/submission', { title: 'CPD log acknowledged', submission: presentSubmission(done), entries: [], kindLabels: KIND_LABELS, action: '', formError: '', comment: '', csrf: '', done: true });
    } catch (err) {
      await refusal(res, err);
    }
  }));
  router.use((_req, _res, next) => next(notFound()));
  return router;
}
