import { Types } from 'mongoose';
import { progressOfPortfolios } from '../portfolio';
import { peopleIn, type Person } from '../roster';
import { Notification, type NotificationDoc } from '../notifications';
import { NotifyOptions } from '../notifications';
import { frameworks, areasOf, Portfolio, Section, type PortfolioDoc, type SectionDoc, type Progress } from '../portfolio';
import { candidateSubsOf } from './assignments';
import { lastVisits } from './changes';
import type { Asker } from './policy';
import { noteReadySection, openRequests } from './reviews';

export interface Dashboard {
  candidates: Array<{ person: Person; portfolio: PortfolioDoc | null; progress: Progress | null }>;
  waiting: Array<{ sectionId: string; candidate: Person; areaTitle: string; since: Date; changedSinceVisit: boolean }>;
  /** Approved sections the candidate changed since; they stay here until a mentor decides again. */
  changedAfterApproval: Array<{ sectionId: string; candidate: Person; areaTitle: string; since: Date; signedOff: boolean }>;
  unreadReplies: NotificationDoc[];
}

/** A mentor's candidates (assigned, inside any role_scope_mentor), what waits for review oldest first, and unread replies. */
export async function dashboardFor(who: Asker, notifyOptions: NotifyOptions): Promise<Dashboard> {
  const subs = new Set((await candidateSubsOf(who.courseId, who.sub)).filter((s) => !who.mentorScope || who.mentorScope.includes(s)));
  const people = (await peopleIn(who.courseId)).filter((p) => subs.has(p.sub) && p.sub !== who.sub);
  const userIds = people.map((p) => p.userId).filter((id): id is string => !!id);
  const portfolios = (await Portfolio.find({ courseId: who.courseId, userId: { $in: userIds } }).lean()) as PortfolioDoc[];
  const progress = await progressOfPortfolios(portfolios);
  const portfolioOf = new Map(portfolios.map((p) => [p.userId, p]));
  const personOf = new Map(people.filter((p) => p.userId).map((p) => [p.userId!, p]));

  // Catch any ready section whose request was never noted (e.g. a crash between the write and the note).
  const ready = (await Section.find({ portfolio: { $in: portfolios.map((p) => p._id) }, state: 'ready_for_review' }).lean()) as SectionDoc[];
  const registry = frameworks();
  const titleOf = (p: PortfolioDoc, areaId: string) => {
    const f = registry.get(p.frameworkId, p.frameworkVersion);
    return (f ? areasOf(f, p) : []).find((a) => a.id === areaId)?.displayTitle ?? areaId;
  };
  const portfolioById = new Map(portfolios.map((p) => [String(p._id), p]));
  for (const s of ready) {
    const p = portfolioById.get(String(s.portfolio))!;
    const person = personOf.get(p.userId)!;
    await noteReadySection(s, { courseId: who.courseId, candidateId: p.userId, candidateSub: person.sub, candidateName: person.name, areaTitle: titleOf(p, s.areaId) }, notifyOptions);
  }
  const requests = await openRequests(portfolios.map((p) => p._id as Types.ObjectId));
  const visits = await lastVisits(who.userId, requests.map((r) => r.section));
  const sectionById = new Map(ready.map((s) => [String(s._id), s]));
  const waiting = requests
    .filter((r) => sectionById.has(String(r.section)))
    .map((r) => {
      const s = sectionById.get(String(r.section))!;
      const p = portfolioById.get(String(r.portfolio))!;
      const visit = visits.get(String(r.section));
      return { sectionId: String(r.section), candidate: personOf.get(p.userId)!, areaTitle: titleOf(p, s.areaId), since: r.since, changedSinceVisit: !!visit && visit.version !== s.version };
    });
  const changed = (await Section.find(
    { portfolio: { $in: portfolios.map((p) => p._id) }, state: 'meets_criterion', approvedChangedAt: { $ne: null } },
    { portfolio: 1, areaId: 1, approvedChangedAt: 1 },
  ).sort({ approvedChangedAt: 1 }).lean()) as Array<Pick<SectionDoc, '_id' | 'portfolio' | 'areaId' | 'approvedChangedAt'>>;
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
