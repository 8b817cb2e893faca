import { PAGE_SIZE } from '../http/pages';
import { assignMentor, assignmentsFor, unassignMentor, type AssignResult, ASSIGN_MESSAGES } from '../mentoring';
import { Portfolio, progressOfPortfolios, type PortfolioDoc, type Progress } from '../portfolio';
import { candidatesAmong, coursePeople, mentorsAmong, peopleAmong, type Person } from '../roster';

export interface CohortCandidate {
  person: Person;
  portfolio: PortfolioDoc | null;
  progress: Progress | null;
  mentors: Person[];
}

export interface Cohort {
  candidates: CohortCandidate[];
  mentors: readonly Person[];
  finalReview: Array<{ candidate: Person; portfolio: PortfolioDoc; progress: Progress }>;
  /** Candidates in the whole course; `candidates` is one page of them. */
  total: number;
}

/**
 * The coordinator's view of the course, one page of candidates at a time: candidates (launched or only on the
 * roster), mentors, who mentors whom. Portfolios, sections and assignments are read for the page's candidates
 * only; the final-review queue is filtered and sorted in the database.
 */
export async function cohortOf(courseId: string, page = 1, size = PAGE_SIZE): Promise<Cohort> {
  const people = await coursePeople(courseId);
  const candidates = people?.candidates ?? [];
  const mentors = people?.mentors ?? [];
  const shown = candidates.slice((page - 1) * size, page * size);
  const shownUserIds = shown.map((p) => p.userId).filter((id): id is string => !!id);
  const [assignments, portfolios, submitted] = await Promise.all([
    shown.length ? assignmentsFor(courseId, shown.map((p) => p.sub)) : [],
    shownUserIds.length ? (Portfolio.find({ courseId, userId: { $in: shownUserIds } }).lean() as Promise<PortfolioDoc[]>) : [],
    Portfolio.find({ courseId, submittedAt: { $ne: null }, signedOffAt: null }).sort({ submittedAt: 1 }).lean() as Promise<PortfolioDoc[]>,
  ]);
  const isCandidate = (userId: string) => !!people?.byUserId.get(userId)?.roles.includes('candidate');
  const waiting = submitted.filter((p) => isCandidate(p.userId));
  const onPage = new Set(portfolios.map((p) => String(p._id)));
  const progress = await progressOfPortfolios([...portfolios, ...waiting.filter((p) => !onPage.has(String(p._id)))]);
  const portfolioByUser = new Map(portfolios.map((p) => [p.userId, p]));
  // Grouped once, not filtered per candidate.
  const mentorsOf = new Map<string, Person[]>();
  for (const a of assignments) {
    const m = people?.bySub.get(a.mentorSub);
    if (!m) continue;
    let list = mentorsOf.get(a.candidateSub);
    if (!list) mentorsOf.set(a.candidateSub, (list = []));
    list.push(m);
  }
  const rows = shown.map((person) => {
    const portfolio = person.userId ? portfolioByUser.get(person.userId) ?? null : null;
    return {
      person,
      portfolio,
      progress: portfolio ? progress.get(String(portfolio._id)) ?? null : null,
      mentors: mentorsOf.get(person.sub) ?? [],
    };
  });
  const finalReview = waiting.map((p) => ({ candidate: people!.byUserId.get(p.userId)!, portfolio: p, progress: progress.get(String(p._id))! }));
  return { candidates: rows, mentors, finalReview, total: candidates.length };
}

/**
 * Assigning checks both people against the course first, read fresh (not the page's kept list): subs from a form
 * are only choices among them.
 */
export async function changeAssignment(
  courseId: string,
  input: { mentorSub: string; candidateSub: string; action: 'assign' | 'unassign' },
  byUserId: string,
): Promise<AssignResult> {
  const people = await peopleAmong(courseId, [input.candidateSub, input.mentorSub]);
  if (!candidatesAmong(people).some((p) => p.sub === input.candidateSub)) return { ok: false, status: 422, message: ASSIGN_MESSAGES.notCandidate };
  if (!mentorsAmong(people).some((p) => p.sub === input.mentorSub)) return { ok: false, status: 422, message: ASSIGN_MESSAGES.notMentor };
  if (input.action === 'unassign') return unassignMentor(courseId, input.mentorSub, input.candidateSub);
  return assignMentor(courseId, input.mentorSub, input.candidateSub, byUserId);
}
