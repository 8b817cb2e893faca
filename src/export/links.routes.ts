import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../http/errors';
import { bookOf } from './book';
import { changeExpiry, createLink, defaultExpiry, expiryFrom, LINK_MESSAGES, linksOf, revokeLink, type NewLink } from './assessor.service';
import { linksPresenter } from './links.presenter';
import { h, render, urlOf, whoOf } from '../http/route-kit';
import { portfolioFor } from './portfolio-access';

/** The candidate's (or coordinator's) assessor links for one portfolio: make, list, change expiry, withdraw. */
export interface LinksDeps {
  publicUrl: string;
  now?: () => Date;
}

const createSchema = z.object({ expires: z.string().max(20).default(''), withCode: z.string().optional() });
const expirySchema = z.object({ expires: z.string().max(20).default('') });
const pageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);
const DONE: Record<string, string> = { revoked: 'The link was withdrawn. It no longer opens the portfolio.', expiry: 'The expiry date was changed.' };

export function linksRouter(deps: LinksDeps): Router {
  const now = deps.now ?? (() => new Date());
  const router = Router({ mergeParams: true });
  const base = (req: Request) => `/export/portfolios/${req.params.portfolioId}/links`;

  async function show(req: Request, res: Response, extra: { status?: number; created?: NewLink; error?: string; expires?: string } = {}) {
    const portfolio = await portfolioFor(req, res, 'share');
    const page = pageSchema.parse(req.query.page);
    const listed = await linksOf(String(portfolio._id), page);
    res.status(extra.status ?? 200);
    await render(res, 'export/links', {
      title: `${extra.error ? 'Error: ' : ''}Share with ALT’s assessors`,
      list: linksPresenter({ ...listed, page, now: now() }, (p) => urlOf(res, p), base(req)),
      created: extra.created ? { url: `${deps.publicUrl}/assessor/${extra.created.token}`, code: extra.created.code } : null,
      error: extra.error ?? '',
      expires: extra.expires ?? defaultExpiry(now()).toISOString().slice(0, 10),
      createAction: urlOf(res, base(req)),
      readHref: urlOf(res, `/export/portfolios/${req.params.portfolioId}`),
      done: DONE[String(req.query.done)] ?? '',
    }, '/export');
  }

  router.get('/', h(async (req, res) => show(req, res)));

  router.post('/', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'share');
    const input = createSchema.safeParse(req.body);
    const expiresAt = input.success ? expiryFrom(input.data.expires, now()) : null;
    if (!input.success || !expiresAt) return show(req, res, { status: 422, error: LINK_MESSAGES.badExpiry, expires: input.success ? input.data.expires : '' });
    const who = whoOf(res);
    const created = await createLink({ book: await bookOf(portfolio, now()), by: { userId: who.userId, name: who.name }, expiresAt, withCode: Boolean(input.data.withCode) });
    await show(req, res, { created }); // the address (and code) are shown this once: only their hashes are kept
  }));

  router.post('/:linkId/revoke', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'share');
    const r = await revokeLink(String(portfolio._id), req.params.linkId, now());
    if (!r.ok) return show(req, res, { status: r.status, error: r.message });
    res.redirect(303, urlOf(res, `${base(req)}?done=revoked`));
  }));

  router.post('/:linkId/expiry', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'share');
    const input = expirySchema.safeParse(req.body);
    const r = await changeExpiry(String(portfolio._id), req.params.linkId, input.success ? input.data.expires : '', now());
    if (!r.ok) {
      if (r.status === 404) throw new AppError(404, 'not_found', r.message);
      return show(req, res, { status: r.status, error: r.message });
    }
    res.redirect(303, urlOf(res, `${base(req)}?done=expiry`));
  }));
  return router;
}
