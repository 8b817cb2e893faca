/**
 * Who may do what in the scheme. Applications, justifications and line managers' answers are the course's
 * coordinator's alone: every coordinator query is also filtered by the asker's own course, so an id from
 * another course is simply not found.
 */
export interface Asker {
  userId: string;
  courseId: string;
  roles: readonly string[];
  role?: string;
}

export type SchemeAction = 'manage' | 'apply';

export function canOnScheme(who: Asker, action: SchemeAction): boolean {
  if (action === 'manage') return who.roles.includes('coordinator');
  return who.roles.includes('candidate') && who.role !== 'mentor' && who.role !== 'coordinator';
}
