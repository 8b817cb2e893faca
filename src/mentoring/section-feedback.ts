import type { SectionFeedback } from '../portfolio';
import { Comment, MentorReview, type MentorReviewDoc } from './models';
import { reviewsPresenter } from './presenter';

/**
 * The candidate's section page shows their mentors' newest review and how many comment threads are open, so a
 * "needs more work" arrives with its reasons. The portfolio asks only for a section it has let `who` edit.
 */
export async function sectionFeedbackFor(_who: unknown, sectionId: string): Promise<SectionFeedback | null> {
  const [latest, openThreads] = await Promise.all([
    MentorReview.findOne({ section: sectionId }).sort({ createdAt: -1 }).lean() as Promise<MentorReviewDoc | null>,
    Comment.countDocuments({ section: sectionId, parent: null, resolved: false, deletedAt: null }),
  ]);
  if (!latest && !openThreads) return null;
  const review = latest ? (await reviewsPresenter([latest]))[0] : null;
  return {
    latestReview: review ? { decision: review.decision, state: review.state, by: review.by, when: review.when, feedbackHtml: review.feedback.safeHtml } : null,
    openThreads,
    path: `/mentoring/sections/${sectionId}`,
  };
}
