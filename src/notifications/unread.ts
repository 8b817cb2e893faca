import type { RequestHandler } from 'express';
import { unreadCount } from './service';

/**
 * Sets res.locals.unread (the navigation's count) for pages: one count per page view; scripts' calls and
 * form posts (which redirect to a page) skip it.
 */
export function unreadForPages(): RequestHandler {
  return async (req, res, next) => {
    const who = res.locals.who as { userId: string; courseId: string } | undefined;
    if (req.method !== 'GET' || !who || !req.accepts('html')) return next();
    try {
      res.locals.unread = await unreadCount(who.userId, who.courseId);
      next();
    } catch (err) {
      next(err);
    }
  };
}
