import { Resource } from './models';

/** Who may do what in a course's space. The course is always the asker's own launched course, never from the URL. */

export interface Asker {
  userId: string;
  courseId: string;
  roles: readonly string[];
}

export interface PostFacts {
  courseId: string;
  authorId: string;
  hidden: boolean;
  removedAt: Date | null;
}

const MEMBER_ROLES = ['candidate', 'mentor', 'coordinator'];

/** The space is for people launched into the course as a candidate, mentor or coordinator. */
export const canUseSpace = (who: Asker): boolean => who.roles.some((r) => MEMBER_ROLES.includes(r));

/** Pinning, hiding and removing are the coordinator's. */
export const canModerate = (who: Asker): boolean => who.roles.includes('coordinator');

/** A post is readable in its own course only; a hidden one by the coordinator and its author; a removed one by nobody. */
export function canReadPost(who: Asker, post: PostFacts): boolean {
  if (!canUseSpace(who) || post.courseId !== who.courseId || post.removedAt) return false;
  return !post.hidden || canModerate(who) || post.authorId === who.userId;
}

/** A member may read an evidence item another member shared with their course as a resource (and not removed). */
export async function sharedEvidenceReadable(who: { userId: string; courseId: string; roles?: readonly string[] }, item: { courseId: string; _id?: unknown }): Promise<boolean> {
  if (!canUseSpace({ ...who, roles: who.roles ?? [] }) || who.courseId !== item.courseId || item._id === undefined) return false;
  return (await Resource.countDocuments({ courseId: who.courseId, evidenceId: String(item._id), removedAt: null })) > 0;
}
