/**
 * Who may do what with a portfolio: course, role and ownership in one place. Other capabilities
 * (mentoring) add rules with `allowPortfolio`, e.g. a mentor reading the candidates they mentor.
 */
export interface Asker {
  userId: string;
  courseId: string;
  roles: string[];
  role: string;
  mentorScope?: string[];
}

export interface PortfolioRef {
  userId: string;
  courseId: string;
}

export type PortfolioAction = 'create' | 'view' | 'edit' | 'request_review' | 'view_history';

/** A rule answers true to allow; anything else leaves the decision to the other rules. */
export type PortfolioRule = (who: Asker, action: PortfolioAction, portfolio: PortfolioRef | null) => boolean | Promise<boolean>;

const isCandidate = (who: Asker) => who.role === 'candidate' || (who.roles.includes('candidate') && who.role !== 'mentor');

const ownerRule: PortfolioRule = (who, action, portfolio) => {
  if (!isCandidate(who)) return false;
  if (action === 'create') return portfolio === null;
  return !!portfolio && portfolio.userId === who.userId && portfolio.courseId === who.courseId;
};

const rules: PortfolioRule[] = [ownerRule];

/** For other capabilities: add a rule that grants access (never one that takes the owner's away). */
export function allowPortfolio(rule: PortfolioRule): void {
  rules.push(rule);
}

export async function can(who: Asker, action: PortfolioAction, portfolio: PortfolioRef | null): Promise<boolean> {
  // Never across courses, whatever a rule says.
  if (portfolio && portfolio.courseId !== who.courseId) return false;
  for (const rule of rules) if ((await rule(who, action, portfolio)) === true) return true;
  return false;
}
