import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { h, objectId, render, urlOf, whoOf } from '../http/route-kit';
import { presentFunding } from './funding.presenter';
import { allocateFunding, FUNDING_MESSAGES, fundingOverview, releaseAllocation } from './funding.service';
import { MESSAGES } from './scheme.schema';

/** The coordinator's funded submissions (mounted under /scheme/manage, which checks the coordinator). */
export interface FundingDeps {
  clock?: () => Date;
}

const DONE: Record<string, string> = {
  allocated: 'The funded submission is allocated.',
  released: 'The funded submission is released, and counts no more against its financial year.',
};
const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });
const allocateSchema = z.object({ applicationId: objectId.catch('') });
const releaseSchema = z.object({ reason: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(2000, MESSAGES.reason)) });

export function fundingRouter(deps: FundingDeps): Router {
  const router = Router();
  const now = () => (deps.clock ?? (() => new Date()))();

  async function show(req: Request, res: Response, status = 200, errors: Record<string, string> = {}) {
    const o = await fundingOverview(whoOf(res).courseId, pageSchema.parse(req.query).page, now());
    res.status(o ? status : 409);
    const view = o ? presentFunding(o) : null;
    const pageUrl = (p: number) => urlOf(res, `/scheme/manage/funding?page=${p}`);
    await render(res, 'scheme/funding', {
      title: `${Object.keys(errors).length || !o ? 'Error: ' : ''}Funded submissions`,
      f: view,
      errors: o ? errors : { form: FUNDING_MESSAGES.noScheme },
      done: DONE[String(req.query.done)] ?? '',
      prev: view && view.page > 1 ? pageUrl(view.page - 1) : '',
      next: view && view.page < view.pages ? pageUrl(view.page + 1) : '',
    }, '/scheme/manage');
  }

  router.get('/', h((req, res) => show(req, res)));

  router.post('/allocate', h(async (req, res) => {
    const { applicationId } = allocateSchema.parse(req.body ?? {});
    if (!applicationId) return show(req, res, 422, { applicationId: 'Choose the candidate to fund.' });
    const r = await allocateFunding(whoOf(res).courseId, applicationId, now());
    if (!r.ok) return show(req, res, r.status, { applicationId: r.message });
    res.redirect(303, urlOf(res, '/scheme/manage/funding?done=allocated'));
  }));

  router.post('/:id/release', h(async (req, res) => {
    const parsed = releaseSchema.safeParse(req.body ?? {});
    if (!parsed.success) return show(req, res, 422, { form: parsed.error.issues[0].message });
    const r = objectId.safeParse(req.params.id).success
      ? await releaseAllocation(whoOf(res).courseId, req.params.id, parsed.data.reason || 'Released by the coordinator.', now())
      : { ok: false as const, status: 404, message: FUNDING_MESSAGES.allocationNotFound };
    if (!r.ok) return show(req, res, r.status, { form: r.message });
    res.redirect(303, urlOf(res, '/scheme/manage/funding?done=released'));
  }));

  return router;
}
