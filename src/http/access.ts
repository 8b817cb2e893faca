import type { RequestHandler } from 'express';
import type { AppRole } from '../people/roles';
import { forbidden, unauthorised } from './errors';

/** Lets the request through when the launched user holds one of `roles` in this course. */
export function requireRole(...roles: AppRole[]): RequestHandler {
  return (_req, res, next) => {
    const who = res.locals.who as { roles: AppRole[] } | undefined;
    if (!who) return next(unauthorised());
    if (!roles.some((r) => who.roles.includes(r))) return next(forbidden('Your role in this course does not give access to this page.'));
    next();
  };
}
