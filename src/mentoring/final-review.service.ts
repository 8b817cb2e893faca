import { Types } from 'mongoose';
import { notifyWorkers } from '../gradebook';
import type { NotifyOptions } from '../notifications';
import { frameworks, Portfolio, type PortfolioDoc, findPortfolio, loadPortfolio, progressOf } from '../portfolio';
import { FinalReviewDecision, type FinalReviewDecisionDoc } from './models';
import { coordinatorIdsOf, tell } from './notify';
import { candidateOf } from './sections.service';

/**
 * Final review of the whole portfolio. Each step is one conditional update of the Portfolio document
 * (submittedAt / signedOffAt), so two clicks or two coordinators cannot both win; the gradebook derives
 * Submitted / Completed from those fields and is nudged straight after.
 */
export const FINAL_MESSAGES = {
  notReady: 'Every assessed section must meet the criterion before you can ask for final review.',
  already: 'Your portfolio is already waiting for final review.',
  noPortfolio: 'We could not find that portfolio in this course.',
  notWaiting: 'This portfolio is not waiting for final review any more.',
  reasonNeeded: 'Please give the candidate a reason, so they know what to do next.',
};

export type FinalResult = { ok: true; portfolio: PortfolioDoc } | { ok: false; status: number; message: string };

export async function requestFinalReview(who: { userId: string; courseId: string; name: string }, notifyOptions: NotifyOptions): Promise<FinalResult> {
  const portfolio = await findPortfolio(who);
  if (!portfolio) return { ok: false, status: 404, message: FINAL_MESSAGES.noPortfolio };
  const loaded = await loadPortfolio(frameworks(), portfolio);
  const progress = progressOf(loaded.areas, loaded.sections);
  if (progress.required === 0 || progress.meeting < progress.required) return { ok: false, status: 422, message: FINAL_MESSAGES.notReady };
  const updated = (await Portfolio.findOneAndUpdate(
    { _id: portfolio._id, submittedAt: null, signedOffAt: null },
    { $set: { submittedAt: new Date() } },
    { new: true },
  ).lean()) as PortfolioDoc | null;
  if (!updated) return { ok: false, status: 409, message: FINAL_MESSAGES.already };
  notifyWorkers({ courseId: who.courseId });
  await tell(notifyOptions, await coordinatorIdsOf(who.courseId), {
    courseId: who.courseId,
    kind: 'final_review',
    text: `${who.name} asked for final review of their whole portfolio.`,
    path: '/cohort#final-review',
    key: `final:${String(portfolio._id)}:${updated.submittedAt!.getTime()}`,
  });
  return { ok: true, portfolio: updated };
}

/** The coordinator signs the portfolio off, or sends it back with a reason. */
export async function decideFinalReview(
  who: { userId: string; courseId: string; name: string },
  portfolioId: string,
  input: { decision: 'signed_off' | 'sent_back'; reason: string },
  notifyOptions: NotifyOptions,
): Promise<FinalResult> {
  const reason = input.reason.trim();
  if (input.decision === 'sent_back' && !reason) return { ok: false, status: 422, message: FINAL_MESSAGES.reasonNeeded };
  if (!Types.ObjectId.isValid(portfolioId)) return { ok: false, status: 404, message: FINAL_MESSAGES.noPortfolio };
  const waiting = { _id: portfolioId, courseId: who.courseId, submittedAt: { $ne: null }, signedOffAt: null };
  const update = input.decision === 'signed_off' ? { $set: { signedOffAt: new Date() } } : { $set: { submittedAt: null } };
  const updated = (await Portfolio.findOneAndUpdate(waiting, update, { new: true }).lean()) as PortfolioDoc | null;
  if (!updated) {
    const exists = await Portfolio.exists({ _id: portfolioId, courseId: who.courseId });
    return { ok: false, status: exists ? 409 : 404, message: exists ? FINAL_MESSAGES.notWaiting : FINAL_MESSAGES.noPortfolio };
  }
  const decision = (
    await FinalReviewDecision.create({ portfolio: updated._id, courseId: who.courseId, coordinatorId: who.userId, decision: input.decision, reason })
  ).toObject() as FinalReviewDecisionDoc;
  notifyWorkers({ courseId: who.courseId });
  const candidate = await candidateOf(updated);
  await tell(notifyOptions, [candidate.userId], {
    courseId: who.courseId,
    kind: 'final_decision',
    text: input.decision === 'signed_off' ? `${who.name} signed off your portfolio.` : `${who.name} sent your portfolio back: ${reason}`,
    path: '/mentoring/final-review',
    key: `final-decision:${String(decision._id)}`,
  });
  return { ok: true, portfolio: updated };
}

export async function finalDecisionsOf(portfolioId: Types.ObjectId | string): Promise<FinalReviewDecisionDoc[]> {
  return (await FinalReviewDecision.find({ portfolio: portfolioId }).sort({ createdAt: -1 }).lean()) as FinalReviewDecisionDoc[];
}
