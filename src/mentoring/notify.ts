import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { User } from '../people/user.model';
import { notify, type NotifyOptions } from '../notifications';
import type { NotificationKind } from '../notifications';
import { MentorAssignment } from './models';

/** User ids of the people assigned to mentor a candidate (those who have launched; others hear when they do). */
export async function mentorIdsOf(courseId: string, candidateSub: string): Promise<string[]> {
  const subs = (await MentorAssignment.find({ courseId, candidateSub }, { mentorSub: 1 }).lean()).map((a) => a.mentorSub);
  if (!subs.length) return [];
  const course = await Course.findById(courseId, { issuer: 1 }).lean();
  if (!course) return [];
  const users = await User.find({ issuer: course.issuer, sub: { $in: subs } }, { _id: 1 }).lean();
  return users.map((u) => String(u._id));
}

/** User ids of the course's coordinators (from their latest launches). */
export async function coordinatorIdsOf(courseId: string): Promise<string[]> {
  const ms = await Membership.find({ course: courseId, appRoles: 'coordinator' }, { user: 1 }).lean();
  return ms.map((m) => String(m.user));
}

/** Tells each of `userIds` once about one event (the key makes a repeated event harmless). */
export async function tell(
  options: NotifyOptions,
  userIds: string[],
  event: { courseId: string; kind: NotificationKind; text: string; path: string; key: string },
): Promise<void> {
  for (const userId of new Set(userIds)) {
    await notify({ userId, courseId: event.courseId, kind: event.kind, text: event.text, path: event.path, key: `${event.key}:${userId}` }, options);
  }
}
