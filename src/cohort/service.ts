import { assignMentor, assignmentsIn, unassignMentor, type AssignResult, ASSIGN_MESSAGES } from '../mentoring';
import { Portfolio, progressOfPortfolios, type PortfolioDoc, type Progress } from '../portfolio';
import { candidatesAmong, mentorsAmong, peopleIn, type Person } from '../roster';

export interface CohortCandidate {
  person: Person;
  portfolio: PortfolioDoc | null;
  progress: Progress | null;
  mentors: Person[];
}

export interface Cohort {
  candidates: CohortCandidate[];
  mentors: Person[];
  finalReview: Array<{ candidate: Person; portfolio: PortfolioDoc; progress: Progress }>;
}

/** The coordinator's view of the course: candidates (launched or only on the roster), mentors, who mentors whom. */
export async function cohortOf(courseId: string): Promise<Cohort> {
  const people = await peopleIn(courseId);
  const candidates = candidatesAmong(people);
  const mentors = mentorsAmong(people);
  const assignments = await assignmentsIn(courseId);
  const portfolios = (await Portfolio.find({ courseId }).lean()) as PortfolioDoc[];
  const portfolioByUser = new Map(portfolios.map((p) => [p.userId, p]));
  const progress = await progressOfPortfolios(portfolios);
  const bySub = new Map(people.map((p) => [p.sub, p]));
  const rows = candidates.map((person) => {
    const portfolio = person.userId ? portfolioByUser.get(person.userId) ?? null : null;
    return {
      person,
      portfolio,
      progress: portfolio ? progress.get(String(portfolio._id)) ?? null : null,
      mentors: assignments.filter((a) => a.candidateSub === person.sub).map((a) => bySub.get(a.mentorSub)).filter((m): m is Person => !!m),
    };
  });
  const finalReview = rows
    .filter((r) => r.portfolio?.submittedAt && !r.portfolio.signedOffAt)
    .sort((a, b) => +new Date(a.portfolio!.submittedAt!) - +new Date(b.portfolio!.submittedAt!))
    .map((r) => ({ candidate: r.person, portfolio: r.portfolio!, progress: r.progress! }));
  return { candidates: rows, mentors, finalReview };
}

/** Assigning checks both people against the course first: subs from a form are only choices among them. */
export async function changeAssignment(
  courseId: string,
  input: { mentorSub: string; candidateSub: string; action: 'assign' | 'unassign' },
  byUserId: string,
): Promise<AssignResult> {
  const people = await peopleIn(courseId);
  if (!candidatesAmong(people).some((p) => p.sub === input.candidateSub)) return { ok: false, status: 422, message: ASSIGN_MESSAGES.notCandidate };
  if (!mentorsAmong(people).some((p) => p.sub === input.mentorSub)) return { ok: false, status: 422, message: ASSIGN_MESSAGES.notMentor };
  if (input.action === 'unassign') return unassignMentor(courseId, input.mentorSub, input.candidateSub);
  return assignMentor(courseId, input.mentorSub, input.candidateSub, byUserId);
}
