import express, { Router } from 'express';
import type { Logger } from 'pino';
import { notificationsRouter, type Notifier } from '../notifications';
import { STATE_LABELS, progressOf, progressPresenter, findPortfolio, loadPortfolio, frameworks } from '../portfolio';
import { lastVisits } from './changes.service';
import { dashboardFor } from './dashboard.service';
import { finalDecisionsOf, requestFinalReview } from './final-review.service';
import { h, hidden, objectId, refuse, render, urlOf, whoOf } from '../http/route-kit';
import { canReadPortfolio } from './policy';
import * as present from './presenter';
import { whenLondon as when } from '../http/dates';
import { sectionRoutes } from './section.routes';
import { loadPortfolioForReading, loadSectionById } from './sections.service';
import { sharedWithMe } from './shares.service';
import { forbidden } from '../http/errors';

export interface MentoringDeps {
  log: Logger;
  /** The email worker and its settings, wired once in boot.ts. */
  notifier: Notifier;
}

const NOT_A_MENTOR = 'This page is for mentors. Your role in this course does not include mentoring.';

export function mentoringRouter(deps: MentoringDeps): Router {
  const { notifier } = deps;
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '200kb' }));
  router.use('/notifications', notificationsRouter({ emailEnabled: notifier.options.emailEnabled }));
  router.use('/sections', sectionRoutes(notifier.options));

  router.get('/', h(async (_req, res) => {
    const who = whoOf(res);
    if (!who.roles.includes('mentor') && !who.roles.includes('coordinator')) {
      if (who.roles.includes('candidate')) return res.redirect(303, urlOf(res, '/mentoring/peer'));
      throw forbidden(NOT_A_MENTOR);
    }
    const d = await dashboardFor(who);
    await render(res, 'mentoring/dashboard', {
      title: 'My candidates',
      candidates: d.candidates.map((c) => ({
        name: c.person.name,
        launched: !!c.person.userId,
        href: c.portfolio ? urlOf(res, `/mentoring/candidates/${String(c.portfolio._id)}`) : null,
        progress: progressPresenter(c.progress),
      })),
      waiting: d.waiting.map((w) => ({ ...w, href: urlOf(res, `/mentoring/sections/${w.sectionId}`), since: when(w.since), candidate: w.candidate.name })),
      changedAfterApproval: d.changedAfterApproval.map((c) => ({ ...c, href: urlOf(res, `/mentoring/sections/${c.sectionId}`), since: when(c.since), candidate: c.candidate.name })),
      replies: d.unreadReplies.map((n) => ({ text: n.text, href: urlOf(res, n.path), when: when(n.createdAt) })),
    }, '/mentoring');
  }));

  router.get('/candidates/:portfolioId', h(async (req, res) => {
    const who = whoOf(res);
    if (!objectId.safeParse(req.params.portfolioId).success) throw hidden();
    const loaded = await loadPortfolioForReading(req.params.portfolioId);
    if (!loaded || loaded.candidate.userId === who.userId || !(await canReadPortfolio(who, loaded.candidate))) throw hidden();
    const visits = await lastVisits(who.userId, loaded.sections.map((s) => s._id));
    const progress = progressOf(loaded.areas, loaded.sections);
    await render(res, 'mentoring/candidate', {
      title: `${loaded.candidate.name}'s portfolio`,
      name: loaded.candidate.name,
      progress: progressPresenter(progress),
      submitted: when(loaded.portfolio.submittedAt), signedOff: when(loaded.portfolio.signedOffAt),
      readHref: urlOf(res, `/export/portfolios/${req.params.portfolioId}`), // the whole portfolio to read, print or export
      rows: loaded.areas.map((area) => {
        const s = loaded.sections.find((x) => x.areaId === area.id)!;
        const visit = visits.get(String(s._id));
        return { title: area.displayTitle, assessed: area.assessed, state: s.state, stateLabel: STATE_LABELS[s.state], href: urlOf(res, `/mentoring/sections/${String(s._id)}`), changed: !!visit && visit.version !== s.version, read: !!visit };
      }),
    }, '/mentoring');
  }));

  /** A candidate's side: sections peers shared with them, their own final review. */
  router.get(['/peer', '/final-review'], h(async (req, res) => {
    const who = whoOf(res);
    if (!who.roles.includes('candidate')) throw forbidden('This page is for candidates.');
    const shares = await sharedWithMe(who.userId, who.courseId);
    const titles = new Map<string, string>();
    for (const s of shares) {
      const l = await loadSectionById(String(s.section));
      if (l) titles.set(String(s.section), l.area.displayTitle);
    }
    const names = await present.namesOf(shares.map((s) => s.ownerId));
    const portfolio = await findPortfolio(who);
    const loaded = portfolio ? await loadPortfolio(frameworks(), portfolio) : null;
    const progress = loaded ? progressOf(loaded.areas, loaded.sections) : null;
    const decisions = portfolio ? await finalDecisionsOf(portfolio._id) : [];
    await render(res, 'mentoring/peer', {
      title: 'Co-mentoring and final review',
      shared: shares.map((s) => ({
        href: urlOf(res, `/mentoring/sections/${String(s.section)}`),
        owner: names.get(s.ownerId) ?? 'A candidate',
        area: titles.get(String(s.section)) ?? 'A section',
        since: when(s.createdAt),
      })),
      final: {
        hasPortfolio: !!portfolio,
        progress: progressPresenter(progress),
        ready: !!progress && progress.required > 0 && progress.meeting === progress.required,
        submitted: when(portfolio?.submittedAt), signedOff: when(portfolio?.signedOffAt),
        decisions: decisions.map((d) => ({ decision: d.decision === 'signed_off' ? 'Signed off' : 'Sent back', reason: d.reason, when: when(d.createdAt) })),
      },
      done: typeof req.query.done === 'string' ? req.query.done : '',
    }, '/mentoring/peer');
  }));

  router.post('/final-review', h(async (_req, res) => {
    const who = whoOf(res);
    if (!who.roles.includes('candidate')) throw forbidden('Only candidates ask for final review of their own portfolio.');
    const r = await requestFinalReview(who, notifier.options);
    if (!r.ok) refuse(r);
    res.redirect(303, urlOf(res, '/mentoring/peer?done=requested'));
  }));

  return router;
}
