import express, { Router, type Response } from 'express';
import { renderPage } from '../http/render-page';
import { h } from '../http/route-kit';
import { supportAnswerSchema, fieldErrors } from './scheme.schema';
import { answerSupportLink, openSupportLink } from './support.service';

/**
 * The line manager's page: reached from the emailed link, with no VLE account and no session. The secret in
 * the address is the only key, so the form posts back to the same address; nothing here reads cookies.
 */
export function supportLinkRouter(): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '20kb' }));
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }); // the link is a secret: keep it out of caches and referrers
    next();
  });

  const show = async (res: Response, token: string, status: number, errors: Record<string, string> = {}, values = { answer: '', comment: '' }) => {
    const view = await openSupportLink(token);
    if (!view.ok) return renderPage(res, view.status, 'error', { title: 'This link cannot be used', heading: 'This link cannot be used', message: view.message });
    await renderPage(res, status, 'scheme/support', { title: `${Object.keys(errors).length ? 'Error: ' : ''}Support for ${view.application.name}`, a: view.application, errors, values, action: `/scheme-support/${token}`, done: false });
  };

  router.get('/:token', h(async (req, res) => show(res, req.params.token, 200)));

  router.post('/:token', h(async (req, res) => {
    const values = { answer: String(req.body?.answer ?? ''), comment: String(req.body?.comment ?? '').slice(0, 2000) };
    const parsed = supportAnswerSchema.safeParse(req.body ?? {});
    if (!parsed.success) return show(res, req.params.token, 422, fieldErrors(parsed.error), values);
    const r = await answerSupportLink(req.params.token, parsed.data.answer, parsed.data.comment);
    if (!r.ok) return renderPage(res, r.status, 'error', { title: 'This link cannot be used', heading: 'This link cannot be used', message: r.message });
    await renderPage(res, 200, 'scheme/support', { title: 'Thank you', a: null, errors: {}, values, action: '', done: true });
  }));
  return router;
}
