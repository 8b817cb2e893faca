import { Evidence } from './evidence/evidence.model';
import { moveStoredFiles, removeFile } from './evidence/file-store';
import { Portfolio, Section, SectionRevision } from './models';
import { Plan } from './planning/plan.model';
import { forgetOwnPortfolio } from './portfolio.service';

export interface PortfolioOwner {
  userId: string;
  courseId: string;
}

export type MoveResult = { moved: true } | { moved: false; why: 'none' | 'taken' };

/**
 * Moves a candidate's portfolio to another course of the same VLE (a deferral to the next cohort), keeping every
 * word: the portfolio document keeps its id, so its sections, examples, revisions and the comments and reviews
 * written on them (all keyed by portfolio or section id) come with it untouched. Their evidence library, its
 * files and their planning follow. Each step is idempotent, so a move cut short is finished by the next call.
 * Refused when the person already has a portfolio in the target course (nothing is merged or overwritten).
 */
export async function movePortfolio(from: PortfolioOwner, toCourseId: string): Promise<MoveResult> {
  const there = await Portfolio.findOne({ userId: from.userId, courseId: toCourseId }).lean();
  const here = await Portfolio.findOne({ userId: from.userId, courseId: from.courseId }).lean();
  if (here && there) return { moved: false, why: 'taken' };
  if (!here && !there) return { moved: false, why: 'none' };
  if (here) {
    const r = await Portfolio.updateOne({ _id: here._id, courseId: from.courseId }, { $set: { courseId: toCourseId } }).catch((err: { code?: number }) => (err.code === 11000 ? null : Promise.reject(err)));
    if (!r) return { moved: false, why: 'taken' }; // one was started there meanwhile
  }
  // This process's remembered copy still says the old course. (Another process's expires within its minute;
  // meanwhile the old course's deferred state refuses every write there.)
  forgetOwnPortfolio(from);
  const owner = { ownerId: from.userId, courseId: from.courseId };
  await Evidence.updateMany(owner, { $set: { courseId: toCourseId } });
  await moveStoredFiles(owner, toCourseId);
  if (!(await Plan.exists({ ownerId: from.userId, courseId: toCourseId }))) await Plan.updateOne(owner, { $set: { courseId: toCourseId } });
  return { moved: true };
}

/**
 * Deletes a candidate's portfolio in one course with everything in it: sections, revisions, evidence (and the
 * stored files), planning. Used when a withdrawn portfolio's retention period ends. Idempotent.
 */
export async function deletePortfolio(owner: PortfolioOwner): Promise<{ deleted: boolean }> {
  const portfolio = await Portfolio.findOne({ userId: owner.userId, courseId: owner.courseId }).lean();
  const items = await Evidence.find({ ownerId: owner.userId, courseId: owner.courseId }, { file: 1 }).lean();
  for (const item of items) if (item.file?.fileId) await removeFile(item.file.fileId);
  await Evidence.deleteMany({ ownerId: owner.userId, courseId: owner.courseId });
  await Plan.deleteMany({ ownerId: owner.userId, courseId: owner.courseId });
  if (!portfolio) return { deleted: items.length > 0 };
  const sections = await Section.find({ portfolio: portfolio._id }, { _id: 1 }).lean();
  await SectionRevision.deleteMany({ section: { $in: sections.map((s) => s._id) } });
  await Section.deleteMany({ portfolio: portfolio._id });
  await Portfolio.deleteOne({ _id: portfolio._id });
  forgetOwnPortfolio(owner);
  return { deleted: true };
}
