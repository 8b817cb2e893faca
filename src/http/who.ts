import type { AppRole } from '../people/roles';

/** Who is asking: built only from the validated launch (ltijs's token) and our records of it. */
export interface Who {
  userId: string;
  courseId: string;
  issuer: string;
  sub: string;
  name: string;
  email?: string;
  roles: AppRole[];
  role: AppRole;
  courseTitle: string;
  mentorScope?: string[];
  ltik: string;
  csrfToken: string;
}

/** Adds the session token to an in-tool link, keeping any query it already has. */
export function urlWithLtik(path: string, ltik: string): string {
  const [base, hash] = path.split('#');
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}ltik=${encodeURIComponent(ltik)}${hash !== undefined ? `#${hash}` : ''}`;
}
