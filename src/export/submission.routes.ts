import { day } from '../http/dates';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { frameworks, loadPortfolio, type PortfolioDoc } from '../portfolio';
import { altStanding, awaitingOutcome, KIND_LABELS, nextKinds, recordOutcome, recordSubmission, reviewDue, type AltKind, type Outcome } from './submission.service';
import { h, render, urlOf, whoOf } from '../http/route-kit';
import { portfolioFor } from './portfolio-access';
import { offeredDocument } from './documents';

/** The submission to ALT and its outcome, recorded by the candidate or the coordinator. */
const dateField = z.string().max(20).default('');
const submissionSchema = z.object({ kind: z.enum(['first', 'review', 'referral']), route: z.enum(['url', 'file']), submittedOn: dateField });
const outcomeSchema = z.discriminatedUnion('result', [
  z.object({ result: z.literal('pass'), decidedOn: dateField, certifiedOn: dateField }),
  z.object({ result: z.literal('referral'), decidedOn: dateField, feedback: z.string().max(20_000).default(''), areas: z.union([z.string(), z.array(z.string())]).default([]) }),
]);
const FORM_PROBLEM = 'Choose one of the options offered, then try again.';
const DONE: Record<string, string> = { submitted: 'The submission to ALT is recorded.', outcome: 'ALT’s decision is recorded.' };

export function submissionRouter(now: () => Date): Router {
  const router = Router({ mergeParams: true });
  const base = (req: Request) => `/export/portfolios/${req.params.portfolioId}/submission`;

  async function show(req: Request, res: Response, portfolio: PortfolioDoc, problem?: { status: number; message: string; form: string }) {
    const { areas } = await loadPortfolio(frameworks(), portfolio);
    // Another capability's document (the CPD record's CMALT review) may be offered as what is submitted, with its kind chosen.
    const document = await offeredDocument(problem ? req.body?.document : req.query.document, whoOf(res), now());
    const kinds = nextKinds(portfolio);
    const asked = String((problem ? req.body?.kind : req.query.kind) ?? '');
    const chosenKind = kinds.find((k) => k === asked) ?? kinds[0];
    const titles = new Map(areas.map((a) => [a.id, a.displayTitle]));
    res.status(problem?.status ?? 200);
    await render(res, 'export/submission', {
      title: `${problem ? 'Error: ' : ''}Submission to ALT`,
      standing: altStanding(portfolio) || 'Not submitted to ALT yet.',
      kinds: kinds.map((k) => ({ value: k, label: KIND_LABELS[k], checked: k === chosenKind })),
      document: document ? { ...document, pdf: urlOf(res, document.pdf), website: urlOf(res, document.website), home: document.home ? urlOf(res, document.home) : '' } : null,
      awaiting: awaitingOutcome(portfolio),
      areas: areas.filter((a) => a.assessed).map((a) => ({ id: a.id, title: a.displayTitle })),
      rounds: (portfolio.altRounds ?? []).map((r) => ({
        kind: KIND_LABELS[r.kind as AltKind],
        route: r.route === 'url' ? 'as a web address' : 'as a file',
        submittedOn: day(new Date(r.submittedOn)),
        outcome: r.outcome === 'pending' ? 'Waiting for ALT’s decision' : r.outcome === 'pass' ? `Passed on ${day(new Date(r.decidedOn!))}; certified ${day(new Date(r.certifiedOn ?? r.decidedOn!))}; review due ${day(reviewDue(r))}` : `Referred on ${day(new Date(r.decidedOn!))}`,
        feedback: r.feedback ? r.feedback.split('\n').map((l) => l.trim()).filter(Boolean) : [],
        reopened: r.reopenedAreas.map((id) => titles.get(id) ?? id),
      })).reverse(),
      today: now().toISOString().slice(0, 10),
      problem: problem ?? null,
      action: urlOf(res, base(req)),
      outcomeAction: urlOf(res, `${base(req)}/outcome`),
      readHref: urlOf(res, `/export/portfolios/${req.params.portfolioId}`),
      done: DONE[String(req.query.done)] ?? '',
    }, '/export');
  }

  const answer = async (req: Request, res: Response, portfolio: PortfolioDoc, form: string, r: Outcome, done: string) => {
    const document = typeof req.body?.document === 'string' && req.body.document ? `&document=${encodeURIComponent(req.body.document)}` : '';
    if (r.ok) return res.redirect(303, urlOf(res, `${base(req)}?done=${done}${document}`));
    await show(req, res, portfolio, { ...r, form });
  };

  router.get('/', h(async (req, res) => show(req, res, await portfolioFor(req, res, 'record_submission'))));

  router.post('/', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'record_submission');
    const input = submissionSchema.safeParse(req.body);
    if (!input.success) return show(req, res, portfolio, { status: 422, message: FORM_PROBLEM, form: 'submission' });
    await answer(req, res, portfolio, 'submission', await recordSubmission(portfolio, input.data, whoOf(res).userId, now()), 'submitted');
  }));

  router.post('/outcome', h(async (req, res) => {
    const portfolio = await portfolioFor(req, res, 'record_submission');
    const input = outcomeSchema.safeParse(req.body);
    if (!input.success) return show(req, res, portfolio, { status: 422, message: FORM_PROBLEM, form: 'outcome' });
    const data = input.data.result === 'referral' ? { ...input.data, areas: ([] as string[]).concat(input.data.areas) } : input.data;
    await answer(req, res, portfolio, 'outcome', await recordOutcome(portfolio, data, whoOf(res).userId, now()), 'outcome');
  }));
  return router;
}
