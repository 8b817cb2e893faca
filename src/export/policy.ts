import { can as canOnPortfolio } from '../portfolio';

/**
 * Who may read, export and share a whole portfolio, in one place. Reading and exporting: the candidate,
 * their mentors and the course's coordinator (the portfolio policy's "view", which mentoring teaches
 * about mentors). Sharing with assessors and recording the submission: the candidate or the coordinator.
 * Never across courses.
 */
export interface Asker {
  userId: string;
  courseId: string;
  sub: string;
  roles: string[];
  role: string;
  mentorScope?: string[];
}

export interface PortfolioRef {
  userId: string;
  courseId: string;
}

export type ExportAction = 'read' | 'export' | 'share' | 'record_submission';

const owns = (who: Asker, p: PortfolioRef) => who.userId === p.userId && who.courseId === p.courseId;

export async function canOnExport(who: Asker, action: ExportAction, portfolio: PortfolioRef): Promise<boolean> {
  if (who.courseId !== portfolio.courseId) return false;
  if (action === 'read' || action === 'export') return canOnPortfolio(who, 'view', portfolio);
  if (owns(who, portfolio)) return canOnPortfolio(who, 'edit', portfolio); // the owner, acting as the candidate
  return who.roles.includes('coordinator');
}
