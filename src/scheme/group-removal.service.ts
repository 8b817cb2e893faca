import { Types } from 'mongoose';
import { MentorGroup } from './groups.model';
import { GROUP_MESSAGES, groupIn } from './groups.service';
import { Meeting } from './meetings.model';
import { cancelMeeting } from './meetings.service';
import { refusal, type Result } from './settings.service';

/**
 * Deleting a mentor group. Its meetings still to come are cancelled (each through `cancelMeeting`, so the group
 * is emailed and the change reaches calendars) before the group goes: turning them into whole-set meetings would
 * put a small group's meeting in everyone's calendar. Its past meetings are kept, with their attendance and notes,
 * for the reports; only the coordinator sees them now, under "a mentor group".
 */
export async function groupRemovalPreview(courseId: string, id: string, now = new Date()) {
  const g = await groupIn(courseId, id);
  if (!g) return null;
  const [upcoming, past] = await Promise.all([
    Meeting.countDocuments({ courseId, groupId: String(g._id), cancelled: false, startsAt: { $gt: now } }),
    Meeting.countDocuments({ courseId, groupId: String(g._id), startsAt: { $lte: now } }),
  ]);
  return { group: g, upcoming, past };
}

export async function deleteGroup(courseId: string, id: string, now = new Date()): Promise<Result<{ cancelled: number }>> {
  if (!Types.ObjectId.isValid(id) || !(await groupIn(courseId, id))) return refusal(404, GROUP_MESSAGES.notFound);
  const toCancel = await Meeting.find({ courseId, groupId: id, cancelled: false, startsAt: { $gt: now } }, { _id: 1 }).limit(500).lean();
  let cancelled = 0;
  for (const m of toCancel) if ((await cancelMeeting(courseId, String(m._id))).ok) cancelled++; // a meeting cancelled meanwhile is simply skipped
  const gone = await MentorGroup.deleteOne({ _id: id, courseId });
  if (!gone.deletedCount) return refusal(404, GROUP_MESSAGES.notFound); // deleted meanwhile by another coordinator
  return { ok: true, cancelled };
}
