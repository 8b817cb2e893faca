import { Types } from 'mongoose';
import { z } from 'zod';
import { Membership } from '../people/membership.model';
import { User } from '../people/user.model';
import { MentorGroup, type GroupDoc } from './groups.model';
import { Application } from './scheme.model';
import { refusal, type Result } from './settings.service';

export const GROUPS_PAGE_SIZE = 20;
export const GROUP_MESSAGES = {
  name: 'Enter a name for the group, up to 120 characters.',
  mentor: 'Choose the group’s mentor from the course’s mentors.',
  members: 'Choose at least one person with a place in the learning set.',
  notMember: 'Only people with a place in the learning set can be in a group. Nothing was saved.',
  notFound: 'We could not find that group in this course.',
  group: 'Choose the whole set or one of its groups.',
};

const ids = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().regex(/^[0-9a-f]{24}$/i, GROUP_MESSAGES.notMember)).max(500, GROUP_MESSAGES.notMember));
export const groupSchema = z.object({
  name: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().min(1, GROUP_MESSAGES.name).max(120, GROUP_MESSAGES.name)),
  mentorId: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().regex(/^[0-9a-f]{24}$/i, GROUP_MESSAGES.mentor)),
  memberIds: ids.pipe(z.array(z.string()).min(1, GROUP_MESSAGES.members)),
});
export type GroupInput = z.infer<typeof groupSchema>;

/** The course's mentors, by name (a course has tens, not thousands). */
export async function courseMentors(courseId: string): Promise<Array<{ userId: string; name: string }>> {
  if (!Types.ObjectId.isValid(courseId)) return [];
  const ms = await Membership.find({ course: courseId, appRoles: 'mentor' }, { user: 1 }).limit(500).lean();
  const users = await User.find({ _id: { $in: ms.map((m) => m.user) } }, { name: 1 }).sort({ name: 1 }).lean();
  return users.map((u) => ({ userId: String(u._id), name: u.name || 'Unnamed mentor' }));
}

/** The people with a place, who may be put in a group. */
export async function placeHolders(courseId: string): Promise<Array<{ userId: string; name: string }>> {
  const apps = await Application.find({ courseId, state: 'accepted' }, { userId: 1, name: 1 }).sort({ name: 1 }).limit(500).lean();
  return apps.map((a) => ({ userId: a.userId, name: a.name || 'Unnamed candidate' }));
}

async function check(courseId: string, input: GroupInput): Promise<Result | (Result & { field: string })> {
  if (!(await courseMentors(courseId)).some((m) => m.userId === input.mentorId)) return { ...refusal(422, GROUP_MESSAGES.mentor), field: 'mentorId' };
  const unique = [...new Set(input.memberIds)];
  const known = await Application.countDocuments({ courseId, state: 'accepted', userId: { $in: unique } });
  if (known !== unique.length) return { ...refusal(422, GROUP_MESSAGES.notMember), field: 'memberIds' };
  return { ok: true };
}

export type GroupRefusal = { ok: false; status: number; message: string; field?: string };

export async function createGroup(courseId: string, input: GroupInput): Promise<Result<{ id: string }> | GroupRefusal> {
  const ok = await check(courseId, input);
  if (!ok.ok) return ok;
  const g = await MentorGroup.create({ courseId, name: input.name, mentorId: input.mentorId, memberIds: [...new Set(input.memberIds)] });
  return { ok: true, id: String(g._id) };
}

export async function updateGroup(courseId: string, id: string, input: GroupInput): Promise<Result | GroupRefusal> {
  if (!(await groupIn(courseId, id))) return refusal(404, GROUP_MESSAGES.notFound);
  const ok = await check(courseId, input);
  if (!ok.ok) return ok;
  await MentorGroup.updateOne({ _id: id, courseId }, { $set: { name: input.name, mentorId: input.mentorId, memberIds: [...new Set(input.memberIds)] } });
  return { ok: true };
}

export async function groupIn(courseId: string, id: string): Promise<GroupDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return (await MentorGroup.findOne({ _id: id, courseId }).lean()) as GroupDoc | null;
}

export async function listGroups(courseId: string, page: number) {
  const total = await MentorGroup.countDocuments({ courseId });
  const pages = Math.max(1, Math.ceil(total / GROUPS_PAGE_SIZE));
  const at = Math.min(Math.max(1, page), pages);
  const items = (await MentorGroup.find({ courseId }).sort({ name: 1, _id: 1 }).skip((at - 1) * GROUPS_PAGE_SIZE).limit(GROUPS_PAGE_SIZE).lean()) as GroupDoc[];
  return { items, total, page: at, pages };
}

/** Every group's name by id, for the meeting lists and the scheduling form (a course has a handful). */
export async function groupNames(courseId: string): Promise<Map<string, string>> {
  const all = await MentorGroup.find({ courseId }, { name: 1 }).sort({ name: 1 }).limit(200).lean();
  return new Map(all.map((g) => [String(g._id), g.name]));
}

/**
 * Which meetings a person sees: the coordinator all; anyone else the whole set's and those of the groups they
 * are a member or the mentor of. Merged into every meeting query, so another group's meeting is not found (404).
 */
export async function meetingScope(who: { courseId: string; userId: string; roles: readonly string[] }): Promise<Record<string, unknown>> {
  if (who.roles.includes('coordinator')) return {};
  const mine = await MentorGroup.find({ courseId: who.courseId, $or: [{ memberIds: who.userId }, { mentorId: who.userId }] }, { _id: 1 }).lean();
  return { $or: [{ groupId: null }, { groupId: { $in: mine.map((g) => String(g._id)) } }] };
}

/** Who a group's meeting is for: its members (still with a place) and its mentor, as userIds. */
export async function groupAudience(courseId: string, groupId: string): Promise<{ memberIds: string[]; mentorId: string } | null> {
  const g = await groupIn(courseId, groupId);
  return g ? { memberIds: g.memberIds, mentorId: g.mentorId } : null;
}
