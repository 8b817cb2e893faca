import { Types } from 'mongoose';
import type { NotifyOptions } from '../notifications';
import { type SectionDoc, applyTransition } from '../portfolio';
import { snapshotOf } from './change-view';
import { commentHtml } from './comments.service';
import { MentorReview, ReviewRequest, type MentorReviewDoc } from './models';
import { mentorIdsOf, tell } from './notify';
import type { Asker } from './policy';
import type { LoadedSection } from './sections.service';

export const REVIEW_MESSAGES = {
  feedbackNeeded: 'Please say what needs more work, so the candidate knows what to change.',
  notReady: 'This section is not waiting for review, so it cannot be marked now.',
  stale: 'The candidate changed this section since you opened it. Please read the latest version, then decide.',
};

export type Decision = 'meets_criterion' | 'needs_more_work';
export type ReviewResult = { ok: true; review: MentorReviewDoc } | { ok: false; status: number; message: string };

const readerPath = (id: string) => `/mentoring/sections/${id}`;

/** A mentor's decision: the state changes only through portfolio's applyTransition, then the history and the candidate hear of it. */
export async function decide(
  who: Asker & { name: string },
  loaded: LoadedSection,
  input: { decision: Decision; feedback: string; expectedVersion: number },
  notifyOptions: NotifyOptions,
): Promise<ReviewResult> {
  const feedback = commentHtml(input.feedback);
  if (input.decision === 'needs_more_work' && !feedback) return { ok: false, status: 422, message: REVIEW_MESSAGES.feedbackNeeded };
  const r = await applyTransition({ sectionId: loaded.section._id, to: input.decision, by: 'mentor', expectedVersion: input.expectedVersion, byUser: who.userId });
  if (!r.ok) return { ok: false, status: r.reason === 'stale' ? 409 : 422, message: r.reason === 'stale' ? REVIEW_MESSAGES.stale : REVIEW_MESSAGES.notReady };
  const review = (
    await MentorReview.create({
      section: loaded.section._id,
      portfolio: loaded.portfolio._id,
      mentorId: who.userId,
      decision: input.decision,
      feedback,
      sectionVersion: input.expectedVersion,
      seen: await snapshotOf(loaded.section), // the base of "what changed since your review"
    })
  ).toObject() as MentorReviewDoc;
  await ReviewRequest.updateOne({ section: loaded.section._id }, { $set: { open: false } });
  const words = input.decision === 'meets_criterion' ? 'meets the criterion' : 'needs more work';
  await tell(notifyOptions, [loaded.candidate.userId], {
    courseId: loaded.candidate.courseId,
    kind: 'review',
    text: `${who.name} reviewed ${loaded.area.displayTitle}: ${words}.`,
    path: readerPath(String(loaded.section._id)),
    key: `review:${String(review._id)}`,
  });
  return { ok: true, review };
}

export async function reviewsOf(sectionId: Types.ObjectId | string): Promise<MentorReviewDoc[]> {
  return (await MentorReview.find({ section: sectionId }).sort({ createdAt: -1 }).lean()) as MentorReviewDoc[];
}

/**
 * Keeps one open ReviewRequest per section waiting for review, and tells the candidate's mentors once per
 * request. Called when a section is marked ready, and again by catchUpReadySections (ready-hook.ts), which catches
 * anything a crash in between missed (the notification key makes the second call harmless).
 */
export async function noteReadySection(
  section: Pick<SectionDoc, '_id' | 'portfolio' | 'version' | 'updatedAt' | 'state'>,
  context: { courseId: string; candidateId: string; candidateSub: string; candidateName: string; areaTitle: string; since?: Date },
  notifyOptions: NotifyOptions,
): Promise<void> {
  if (section.state !== 'ready_for_review') return;
  const open = await ReviewRequest.findOne({ section: section._id, open: true }).lean();
  const since = open?.since ?? context.since ?? section.updatedAt;
  if (!open) {
    await ReviewRequest.updateOne(
      { section: section._id },
      { $set: { portfolio: section.portfolio, courseId: context.courseId, candidateId: context.candidateId, since, sectionVersion: section.version, open: true } },
      { upsert: true },
    );
  }
  await tell(notifyOptions, await mentorIdsOf(context.courseId, context.candidateSub), {
    courseId: context.courseId,
    kind: 'ready_for_review',
    text: `${context.candidateName} marked ${context.areaTitle} ready for review.`,
    path: readerPath(String(section._id)),
    key: `ready:${String(section._id)}:${new Date(since).getTime()}`,
  });
}

