import { Types } from 'mongoose';
import type { SectionDoc } from '../portfolio';
import { anyChange, changesBetween, snapshotFromText, snapshotOf, type SectionChanges, type SectionSnapshot } from './change-view';
import { MentorReview, SectionVisit, type MentorReviewDoc, type SectionVisitDoc } from './models';

/** Which earlier reading the change view compares with. */
export type ChangeBase = 'visit' | 'review';

export interface SinceLastVisit {
  firstVisit: boolean;
  lastVisitAt: Date | null;
  /** When this reader last reviewed the section with a snapshot kept, if ever. */
  reviewedAt: Date | null;
  base: ChangeBase;
  /** When the reading compared with happened (the visit or the review). */
  baseAt: Date | null;
  changed: boolean;
  changes: SectionChanges | null;
}

const visitSnapshot = (v: SectionVisitDoc): SectionSnapshot =>
  v.paragraphs ? { paragraphs: v.paragraphs, evidence: v.evidence ?? null } : snapshotFromText(v.snapshotText ?? '');

/**
 * What changed since this reader last read the section (or, with base 'review', since their last review), then
 * remembers this visit, so the next visit compares with exactly what was on the screen this time.
 */
export async function visitSection(
  readerId: string,
  section: Pick<SectionDoc, '_id' | 'version' | 'body' | 'examples'>,
  base: ChangeBase = 'visit',
  now = new Date(),
): Promise<SinceLastVisit> {
  const sectionId = new Types.ObjectId(String(section._id));
  const seen = await snapshotOf(section);
  const previous = (await SectionVisit.findOne({ readerId, section: sectionId }).lean()) as SectionVisitDoc | null;
  const review = (await MentorReview.findOne({ section: sectionId, mentorId: readerId, seen: { $ne: null } }).sort({ createdAt: -1 }).lean()) as MentorReviewDoc | null;
  await SectionVisit.updateOne(
    { readerId, section: sectionId },
    { $set: { version: section.version, paragraphs: seen.paragraphs, evidence: seen.evidence ?? [], at: now }, $unset: { snapshotText: '' } },
    { upsert: true },
  );
  const reviewedAt = review?.createdAt ?? null;
  if (!previous && !review) return { firstVisit: true, lastVisitAt: null, reviewedAt, base: 'visit', baseAt: null, changed: false, changes: null };
  // Asked for the review (or never visited since the visits were kept): compare with what the review saw.
  const useReview = !!review && (base === 'review' || !previous);
  const then = useReview ? { paragraphs: review!.seen!.paragraphs ?? [], evidence: review!.seen!.evidence ?? null } : visitSnapshot(previous!);
  const unchangedVersion = !useReview && previous!.version === section.version;
  const changes = unchangedVersion ? null : changesBetween(then, seen);
  return {
    firstVisit: false,
    lastVisitAt: previous?.at ?? null,
    reviewedAt,
    base: useReview ? 'review' : 'visit',
    baseAt: useReview ? reviewedAt : previous!.at,
    changed: !!changes && anyChange(changes),
    changes,
  };
}

/** Last visits of one reader, by section id (the dashboard marks sections changed since). */
export async function lastVisits(readerId: string, sectionIds: Types.ObjectId[]): Promise<Map<string, SectionVisitDoc>> {
  const visits = (await SectionVisit.find({ readerId, section: { $in: sectionIds } }, { paragraphs: 0, evidence: 0, snapshotText: 0 }).lean()) as SectionVisitDoc[];
  return new Map(visits.map((v) => [String(v.section), v]));
}

/** Who has read a section (other than its owner, whose visits are not kept), most recent first. */
export async function readersOf(sectionId: string | Types.ObjectId): Promise<Array<{ readerId: string; at: Date }>> {
  const visits = await SectionVisit.find({ section: sectionId }, { readerId: 1, at: 1 }).sort({ at: -1 }).limit(500).lean();
  return visits.map((v) => ({ readerId: v.readerId, at: v.at }));
}
