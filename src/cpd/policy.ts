/**
 * Who may do what with CPD. The record belongs to the person: only they read or change it, from any course
 * and in any role. A coordinator sees their course's training matrix and submission states, and reads only
 * what was submitted to their course. A line manager reads one submission through its signed link (routes).
 */
export interface Asker {
  userId: string;
  courseId: string;
  roles: readonly string[];
}

export type CpdAction = 'keep-record' | 'see-course' | 'review-course-submission';

export function can(who: Asker, action: CpdAction, thing?: { courseId?: string }): boolean {
  switch (action) {
    case 'keep-record':
      return who.roles.some((r) => r !== 'installer');
    case 'see-course':
      return who.roles.includes('coordinator');
    case 'review-course-submission':
      return who.roles.includes('coordinator') && thing?.courseId === who.courseId;
  }
}
