import { MentorAssignment, type MentorAssignmentDoc } from './models';

export const ASSIGN_MESSAGES = {
  same: 'A candidate cannot mentor themselves. Please choose someone else.',
  notCandidate: 'Please choose a candidate from this course.',
  notMentor: 'Please choose a mentor from this course.',
  already: 'That mentor is already assigned to this candidate.',
  missing: 'That mentor is not assigned to this candidate.',
};

export type AssignResult = { ok: true } | { ok: false; status: number; message: string };

/** Assigns a mentor to a candidate (both by LTI sub, checked against the course's people by the caller). */
export async function assignMentor(courseId: string, mentorSub: string, candidateSub: string, assignedBy: string): Promise<AssignResult> {
  if (mentorSub === candidateSub) return { ok: false, status: 422, message: ASSIGN_MESSAGES.same };
  try {
    await MentorAssignment.create({ courseId, mentorSub, candidateSub, assignedBy });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { ok: false, status: 409, message: ASSIGN_MESSAGES.already };
    throw err;
  }
  return { ok: true };
}

export async function unassignMentor(courseId: string, mentorSub: string, candidateSub: string): Promise<AssignResult> {
  const r = await MentorAssignment.deleteOne({ courseId, mentorSub, candidateSub });
  return r.deletedCount ? { ok: true } : { ok: false, status: 404, message: ASSIGN_MESSAGES.missing };
}

export async function assignmentsIn(courseId: string): Promise<MentorAssignmentDoc[]> {
  return (await MentorAssignment.find({ courseId }).sort({ createdAt: 1 }).lean()) as MentorAssignmentDoc[];
}

/** The assignments of some candidates only (one page of the cohort). */
export async function assignmentsFor(courseId: string, candidateSubs: string[]): Promise<MentorAssignmentDoc[]> {
  return (await MentorAssignment.find({ courseId, candidateSub: { $in: candidateSubs } }).sort({ createdAt: 1 }).lean()) as MentorAssignmentDoc[];
}

export async function candidateSubsOf(courseId: string, mentorSub: string): Promise<string[]> {
  return (await MentorAssignment.find({ courseId, mentorSub }, { candidateSub: 1 }).lean()).map((a) => a.candidateSub);
}
