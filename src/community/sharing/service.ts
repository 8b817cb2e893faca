import { Types } from 'mongoose';
import { commentCountsBy, readersOf } from '../../mentoring';
import { findPortfolio, frameworks, loadPortfolio } from '../../portfolio';
import { canUseSpace } from '../policy';
import type { Member } from '../service';
import { SetShare, type SetShareDoc } from './models';
import { User } from '../../people/user.model';

export const SHARED_PAGE = 20;

export const SHARING_MESSAGES = {
  notCandidate: 'Only candidates share sections of their own portfolio.',
  noPortfolio: 'Start your portfolio first, then share a section of it.',
  already: 'That section is already shared with the set.',
  choose: 'Choose one of your sections to share.',
  stopped: 'This section is no longer shared.',
};

/** The person's own sections in this course, for the "share with the set" choice; [] without a portfolio. */
export async function ownSections(who: Member): Promise<Array<{ sectionId: string; title: string }>> {
  const portfolio = await findPortfolio({ userId: who.userId, courseId: who.courseId });
  if (!portfolio) return [];
  const loaded = await loadPortfolio(frameworks(), portfolio);
  return loaded.areas.flatMap((a) => {
    const s = loaded.sections.find((x) => x.areaId === a.id);
    return s ? [{ sectionId: String(s._id), title: a.displayTitle }] : [];
  });
}

export type ShareOutcome = { ok: true; share: SetShareDoc } | { ok: false; status: number; message: string };

/** A candidate shares one of their own sections (looked up in their own portfolio of this course, never by URL). */
export async function shareWithSet(who: Member, sectionId: string): Promise<ShareOutcome> {
  if (!who.roles.includes('candidate')) return { ok: false, status: 403, message: SHARING_MESSAGES.notCandidate };
  const mine = (await ownSections(who)).find((s) => s.sectionId === sectionId);
  if (!mine) return { ok: false, status: 422, message: SHARING_MESSAGES.choose };
  if (await SetShare.exists({ sectionId, stoppedAt: null })) return { ok: false, status: 409, message: SHARING_MESSAGES.already };
  const share = await SetShare.create({ courseId: who.courseId, ownerId: who.userId, ownerName: who.name, sectionId, areaTitle: mine.title });
  return { ok: true, share: share.toObject() as SetShareDoc };
}

/** Stops sharing at once: the next request by a peer is refused. Only the candidate who shared it. */
export async function stopSharing(who: Member, id: string): Promise<'stopped' | 'not_found'> {
  if (!Types.ObjectId.isValid(id)) return 'not_found';
  const r = await SetShare.updateOne({ _id: id, courseId: who.courseId, ownerId: who.userId, stoppedAt: null }, { $set: { stoppedAt: new Date() } });
  return r.modifiedCount ? 'stopped' : 'not_found';
}

/** One page of the sections shared with the set, newest first. */
export async function sharedInSet(courseId: string, page: number): Promise<{ items: SetShareDoc[]; more: boolean }> {
  const rows = await SetShare.find({ courseId, stoppedAt: null }).sort({ createdAt: -1, _id: -1 }).skip((page - 1) * SHARED_PAGE).limit(SHARED_PAGE + 1).lean<SetShareDoc[]>();
  return { items: rows.slice(0, SHARED_PAGE), more: rows.length > SHARED_PAGE };
}

/** The person's own shares (still shared), with who read each and how many comments each reader left. */
export async function mySharesWithReaders(who: Member): Promise<Array<{ share: SetShareDoc; readers: Array<{ readerId: string; at: Date; comments: number }> }>> {
  const shares = await SetShare.find({ courseId: who.courseId, ownerId: who.userId, stoppedAt: null }).sort({ createdAt: -1 }).limit(50).lean<SetShareDoc[]>();
  return Promise.all(shares.map(async (share) => {
    const [visits, counts] = await Promise.all([readersOf(share.sectionId), commentCountsBy(share.sectionId)]);
    const readers = visits.filter((v) => v.readerId !== who.userId).map((v) => ({ ...v, comments: counts.get(v.readerId) ?? 0 }));
    return { share, readers };
  }));
}

/**
 * The read rule boot gives mentoring: a member of the section's own course may read (and comment on) a section its
 * owner shares with the set, while it is shared.
 */
export async function sectionSharedWithSet(who: { userId: string; courseId: string; roles: readonly string[] }, sectionId: string, candidate: { courseId: string; userId: string }): Promise<boolean> {
  if (!canUseSpace(who) || who.courseId !== candidate.courseId) return false;
  return Boolean(await SetShare.exists({ sectionId, courseId: who.courseId, ownerId: candidate.userId, stoppedAt: null }));
}

/** Readers' names by user id, for the owner's list of who read their shared section. */
export async function readerNames(ids: string[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
  const users = valid.length ? await User.find({ _id: { $in: valid } }, { name: 1 }).lean() : [];
  return new Map(users.map((u) => [String(u._id), u.name || 'Unnamed person']));
}
