import { Types } from 'mongoose';
import { User } from '../people/user.model';
import { addEvidenceReadRule, allowPortfolio } from '../portfolio';
import { CoMentorShare, MentorAssignment } from './models';

/**
 * Who may read, comment on and review what, in one place. Mentors reach the candidates assigned to them
 * (narrowed by `role_scope_mentor` when the launch carried it); coordinators reach every candidate in
 * their course; a co-mentor reaches only the sections shared with them; nobody crosses courses.
 */
export interface Asker {
  userId: string;
  courseId: string;
  sub: string;
  roles: readonly string[];
  mentorScope?: string[];
}

/** The candidate a section or portfolio belongs to. */
export interface CandidateRef {
  courseId: string;
  userId: string; // our User _id
  sub?: string; // filled in when the caller already knows it
}

export type SectionAction = 'read' | 'comment' | 'review';
export type CohortAction = 'manage_cohort' | 'sign_off';

const has = (who: Asker, role: string) => who.roles.includes(role);
const inScope = (who: Asker, candidateSub: string) => !who.mentorScope || who.mentorScope.includes(candidateSub);

async function subOf(candidate: CandidateRef): Promise<string | null> {
  if (candidate.sub) return candidate.sub;
  if (!Types.ObjectId.isValid(candidate.userId)) return null;
  const user = await User.findById(candidate.userId, { sub: 1 }).lean();
  return user?.sub ?? null;
}

/** True when `who` mentors this candidate: assigned (or the coordinator), and inside any mentor scope. */
export async function mentors(who: Asker, candidate: CandidateRef): Promise<boolean> {
  if (who.courseId !== candidate.courseId || who.userId === candidate.userId) return false;
  if (!has(who, 'mentor') && !has(who, 'coordinator')) return false;
  const sub = await subOf(candidate);
  if (!sub || !inScope(who, sub)) return false;
  if (has(who, 'coordinator')) return true;
  return Boolean(await MentorAssignment.exists({ courseId: who.courseId, mentorSub: who.sub, candidateSub: sub }));
}

/** True when the section's owner shared it with `who` (co-mentoring). */
export async function sharedWith(who: Asker, sectionId: string, candidate: CandidateRef): Promise<boolean> {
  if (who.courseId !== candidate.courseId || !has(who, 'candidate') || !Types.ObjectId.isValid(sectionId)) return false;
  return Boolean(await CoMentorShare.exists({ section: sectionId, peerId: who.userId, ownerId: candidate.userId, courseId: who.courseId }));
}

/**
 * Another way a section may be shared for reading and commenting (not reviewing), set by boot: the learning set's
 * whole-set sharing lives in community, which mentoring must not import.
 */
export type SectionShareRule = (who: Asker, sectionId: string, candidate: CandidateRef) => Promise<boolean>;
const shareRules: SectionShareRule[] = [];
export function addSectionShareRule(rule: SectionShareRule): void {
  if (!shareRules.includes(rule)) shareRules.push(rule);
}

/** May `who` read, comment on or review this candidate's section? */
export async function canOnSection(who: Asker, action: SectionAction, sectionId: string, candidate: CandidateRef): Promise<boolean> {
  if (who.courseId !== candidate.courseId) return false;
  const owner = who.userId === candidate.userId;
  if (action === 'review') return !owner && (await mentors(who, candidate));
  if (owner) return true;
  if ((await mentors(who, candidate)) || (await sharedWith(who, sectionId, candidate))) return true;
  for (const rule of shareRules) if (await rule(who, sectionId, candidate)) return true;
  return false;
}

/** May `who` open this candidate's whole portfolio (every section)? Mentors and the coordinator only. */
export async function canReadPortfolio(who: Asker, candidate: CandidateRef): Promise<boolean> {
  if (who.courseId !== candidate.courseId) return false;
  return who.userId === candidate.userId || (await mentors(who, candidate));
}

/** Sharing a section with a peer, and withdrawing it: the owning candidate only, peers in the same course. */
export function canShare(who: Asker, candidate: CandidateRef): boolean {
  return has(who, 'candidate') && who.userId === candidate.userId && who.courseId === candidate.courseId;
}

export function canOnCohort(who: Asker, _action: CohortAction, courseId: string): boolean {
  return has(who, 'coordinator') && who.courseId === courseId;
}

/** Comment authors edit within a short window and delete their own; either side resolves a thread. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;
export function canEditComment(who: Asker, comment: { authorId: string; createdAt: Date; deletedAt: Date | null }, now = new Date()): boolean {
  return comment.authorId === who.userId && !comment.deletedAt && now.getTime() - new Date(comment.createdAt).getTime() <= EDIT_WINDOW_MS;
}
export function canDeleteComment(who: Asker, comment: { authorId: string; deletedAt: Date | null }): boolean {
  return comment.authorId === who.userId && !comment.deletedAt;
}

let registered = false;
/** Teaches the portfolio and evidence policies about mentors (read only; co-mentors read through mentoring's pages). */
export function registerMentoringPolicy(): void {
  if (registered) return;
  registered = true;
  allowPortfolio(async (who, action, portfolio) => {
    if (!portfolio || (action !== 'view' && action !== 'view_history')) return false;
    const sub = (who as { sub?: string }).sub;
    if (!sub) return false;
    return mentors({ ...who, sub }, { courseId: portfolio.courseId, userId: portfolio.userId });
  });
  addEvidenceReadRule(async (who, item) => {
    const sub = (who as { sub?: string }).sub;
    if (!sub || !who.roles) return false;
    return mentors({ ...who, sub, roles: who.roles }, { courseId: item.courseId, userId: item.ownerId });
  });
}
