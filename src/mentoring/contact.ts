import { Types } from 'mongoose';
import { Membership } from '../people/membership.model';
import { Section } from '../portfolio';
import { Comment, MentorReview } from './models';

/**
 * When each portfolio last had contact from a mentor or the coordinator: their newest comment on any of its
 * sections, or their newest review. A candidate's own comments, and a peer's, are not mentor contact.
 */
export async function lastMentorContact(courseId: string, portfolioIds: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  const ids = portfolioIds.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
  if (!ids.length || !Types.ObjectId.isValid(courseId)) return out;
  const staff = await Membership.find({ course: courseId, appRoles: { $in: ['mentor', 'coordinator'] } }, { user: 1 }).lean();
  const staffIds = staff.map((m) => String(m.user));
  const later = (key: string, at: Date) => {
    const seen = out.get(key);
    if (!seen || seen < at) out.set(key, at);
  };
  const reviews = await MentorReview.find({ portfolio: { $in: ids } }, { portfolio: 1, createdAt: 1 }).lean();
  for (const r of reviews) later(String(r.portfolio), new Date(r.createdAt));
  if (!staffIds.length) return out;
  const sections = await Section.find({ portfolio: { $in: ids } }, { portfolio: 1 }).lean();
  const portfolioOf = new Map(sections.map((s) => [String(s._id), String(s.portfolio)]));
  const comments = await Comment.find({ section: { $in: sections.map((s) => s._id) }, authorId: { $in: staffIds }, deletedAt: null }, { section: 1, createdAt: 1 }).lean();
  for (const c of comments) later(portfolioOf.get(String(c.section))!, new Date(c.createdAt));
  return out;
}
