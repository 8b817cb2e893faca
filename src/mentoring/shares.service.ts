import { Types } from 'mongoose';
import type { NotifyOptions } from '../notifications';
import { CoMentorShare, type CoMentorShareDoc } from './models';
import { tell } from './notify';
import type { LoadedSection } from './sections.service';

export const SHARE_MESSAGES = {
  notPeer: 'Please choose another candidate in this course.',
  already: 'This section is already shared with that person.',
  missing: 'We could not find that invitation; it may already have been withdrawn.',
};

export type ShareResult = { ok: true } | { ok: false; status: number; message: string };

/** Co-mentoring: the owner invites a peer (already checked to be a candidate in the course) to one section. */
export async function shareSection(loaded: LoadedSection, owner: { userId: string; name: string }, peerId: string, notifyOptions: NotifyOptions): Promise<ShareResult> {
  if (peerId === owner.userId) return { ok: false, status: 422, message: SHARE_MESSAGES.notPeer };
  try {
    await CoMentorShare.create({ courseId: loaded.candidate.courseId, section: loaded.section._id, ownerId: owner.userId, peerId });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { ok: false, status: 409, message: SHARE_MESSAGES.already };
    throw err;
  }
  await tell(notifyOptions, [peerId], {
    courseId: loaded.candidate.courseId,
    kind: 'comment',
    text: `${owner.name} invited you to read and comment on ${loaded.area.displayTitle}.`,
    path: `/mentoring/sections/${String(loaded.section._id)}`,
    key: `share:${String(loaded.section._id)}:${Date.now()}`,
  });
  return { ok: true };
}

/** Withdrawing takes effect at once: the peer's next request is refused. */
export async function withdrawShare(loaded: LoadedSection, ownerId: string, shareId: string): Promise<ShareResult> {
  if (!Types.ObjectId.isValid(shareId)) return { ok: false, status: 404, message: SHARE_MESSAGES.missing };
  const r = await CoMentorShare.deleteOne({ _id: shareId, section: loaded.section._id, ownerId });
  return r.deletedCount ? { ok: true } : { ok: false, status: 404, message: SHARE_MESSAGES.missing };
}

export async function sharesOf(sectionId: Types.ObjectId | string): Promise<CoMentorShareDoc[]> {
  return (await CoMentorShare.find({ section: sectionId }).sort({ createdAt: 1 }).lean()) as CoMentorShareDoc[];
}

export async function sharedWithMe(peerId: string, courseId: string): Promise<CoMentorShareDoc[]> {
  return (await CoMentorShare.find({ peerId, courseId }).sort({ createdAt: -1 }).lean()) as CoMentorShareDoc[];
}
