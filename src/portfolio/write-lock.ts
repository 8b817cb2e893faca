import type { RequestHandler } from 'express';
import { conflict } from '../http/errors';
import { whoOf } from '../http/route-kit';

/**
 * A seam for the scheme: why a candidate's own portfolio may not be changed now (a withdrawal keeps it
 * read-only), or null. Set in boot.ts; without it nothing is locked. Every write under /portfolio asks it.
 */
export type WriteLock = (owner: { courseId: string; userId: string }) => Promise<string | null>;

let lock: WriteLock | null = null;

export function setWriteLock(fn: WriteLock): void {
  lock = fn;
}

export async function writeLockOf(owner: { courseId: string; userId: string }): Promise<string | null> {
  return lock ? lock(owner) : null;
}

/**
 * For the candidate's own pages under /portfolio: a page read shows why nothing can be changed
 * (`writeLock` in the view), and every write (forms, autosave, uploads, planning) is refused with 409 before
 * it reaches a route, so nothing changes.
 */
export function writeLockGuard(): RequestHandler {
  return (req, res, next) => {
    const who = whoOf(res);
    if (!who?.roles.includes('candidate')) return next();
    writeLockOf({ courseId: who.courseId, userId: who.userId })
      .then((why) => {
        if (!why) return next();
        if (req.method === 'GET' || req.method === 'HEAD') {
          res.locals.writeLock = why;
          return next();
        }
        next(conflict(why));
      })
      .catch(next);
  };
}
