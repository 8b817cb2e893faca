import type { Asker } from './policy';

/** What a candidate's mentors have said about one section, for the top of the candidate's own section page. */
export interface SectionFeedback {
  /** The newest review, if any: its decision, who gave it, when, and its feedback (sanitised HTML). */
  latestReview: { decision: string; state: string; by: string; when: string; feedbackHtml: string } | null;
  /** Comment threads on the section or its examples that are neither resolved nor deleted. */
  openThreads: number;
  /** The page where the candidate reads every comment and review and replies (an in-tool path). */
  path: string;
}

export type SectionFeedbackSource = (who: Asker, sectionId: string) => Promise<SectionFeedback | null>;

/** Mentoring tells the portfolio where feedback comes from; without it the page shows none. */
let source: SectionFeedbackSource | null = null;

export function setSectionFeedbackSource(fn: SectionFeedbackSource): void {
  source = fn;
}

export async function sectionFeedback(who: Asker, sectionId: string): Promise<SectionFeedback | null> {
  return source ? source(who, sectionId) : null;
}
