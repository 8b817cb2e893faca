import { Types } from 'mongoose';
import { progressOfPortfolios } from '../portfolio';
import { peopleAmong, type Person } from '../roster';
import { Notification, type NotificationDoc } from '../notifications';
import { frameworks, areasOf, Portfolio, Section, type PortfolioDoc, type SectionDoc, type Progress } from '../portfolio';
import { candidateSubsOf } from './assignments.service';
import { lastVisits } from './changes.service';
import type { Asker } from './policy';
import { ReviewRequest, type ReviewRequestDoc } from './models';

export interface Dashboard {
  candidates: Array<{ person: Person; portfolio: PortfolioDoc | null; progress: Progress | null }>;
  waiting: Array<{ sectionId: string; candidate: Person; areaTitle: string; since: Date; changedSinceVisit: boolean }>;
  /** Approved sections the candidate changed since; they stay here until a mentor decides again. */
  changedAfterApproval: Array<{ sectionId: string; candidate: Person; areaTitle: string; since: Date; signedOff: boolean }>;
  unreadReplies: NotificationDoc[];
}

/**
 * A mentor's candidates (assigned, inside any role_scope_mentor), what waits for review oldest first, and unread
 * replies, in a fixed number of queries whatever the course's size: only the mentor's own people are loaded, and
 * the GET writes nothing (a ready section whose note was lost is shown from its own record; the catch-up in
 * ready-hook.ts notes it and tells the mentors).
 */
export async function dashboardFor(who: Asker): Promise<Dashboard> {
  const subs = (await candidateSubsOf(who.courseId, who.sub)).filter((s) => s !== who.sub && (!who.mentorScope || who.mentorScope.includes(s)));
  const people = await peopleAmong(who.courseId, subs);
  const userIds = people.map((p) => p.userId).filter((id): id is string => !!id);
  const portfolios = userIds.length ? ((await Portfolio.find({ courseId: who.courseId, userId: { $in: userIds } }).lean()) as PortfolioDoc[]) : [];
  const progress = await progressOfPortfolios(portfolios);
  const portfolioOf = new Map(portfolios.map((p) => [p.userId, p]));
  const personOf = new Map(people.filter((p) => p.userId).map((p) => [p.userId!, p]));

  const portfolioIds = portfolios.map((p) => p._id as Types.ObjectId);
  const [ready, requests] = portfolioIds.length
    ? await Promise.all([
        Section.find({ portfolio: { $in: portfolioIds }, state: 'ready_for_review' }, { portfolio: 1, areaId: 1, version: 1, updatedAt: 1 }).lean() as Promise<SectionDoc[]>,
        ReviewRequest.find({ portfolio: { $in: portfolioIds }, open: true }, { section: 1, since: 1 }).lean() as Promise<ReviewRequestDoc[]>,
      ])
    : [[] as SectionDoc[], [] as ReviewRequestDoc[]];
  const registry = frameworks();
  const titleOf = (p: PortfolioDoc, areaId: string) => {
    const f = registry.get(p.frameworkId, p.frameworkVersion);
    return (f ? areasOf(f, p) : []).find((a) => a.id === areaId)?.displayTitle ?? areaId;
  };
  const portfolioById = new Map(portfolios.map((p) => [String(p._id), p]));
  const sinceOf = new Map(requests.map((r) => [String(r.section), r.since]));
  const visits = ready.length ? await lastVisits(who.userId, ready.map((s) => s._id as Types.ObjectId)) : new Map();
  const waiting = ready
    .map((s) => {
      const p = portfolioById.get(String(s.portfolio))!;
      const visit = visits.get(String(s._id));
      const since = sinceOf.get(String(s._id)) ?? s.updatedAt;
      return { sectionId: String(s._id), candidate: personOf.get(p.userId)!, areaTitle: titleOf(p, s.areaId), since, changedSinceVisit: !!visit && visit.version !== s.version };
    })
    .filter((w) => w.candidate)
    .sort((a, b) => +new Date(a.since) - +new Date(b.since));
  const changed = (portfolioIds.length ? await Section.find(
    { portfolio: { $in: portfolioIds }, state: 'meets_criterion', approvedChangedAt: { $ne: null } },
    { portfolio: 1, areaId: 1, approvedChangedAt: 1 },
  ).sort({ approvedChangedAt: 1 }).lean() : []) as Array<Pick<SectionDoc, '_id' | 'portfolio' | 'areaId' | 'approvedChangedAt'>>;
  const changedAfterApproval = changed.map((s) => {
    const p = portfolioById.get(String(s.portfolio))!;
    return { sectionId: String(s._id), candidate: personOf.get(p.userId)!, areaTitle: titleOf(p, s.areaId), since: s.approvedChangedAt!, signedOff: !!p.signedOffAt };
  });
  const unreadReplies = (await Notification.find({ userId: who.userId, courseId: who.courseId, kind: 'comment', readAt: null }).sort({ createdAt: -1 }).limit(20).lean()) as NotificationDoc[];
  return {
    candidates: people.map((person) => {
      const portfolio = person.userId ? portfolioOf.get(person.userId) ?? null : null;
      return { person, portfolio, progress: portfolio ? progress.get(String(portfolio._id)) ?? null : null };
    }),
    waiting,
    changedAfterApproval,
    unreadReplies,
  };
}
