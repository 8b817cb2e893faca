import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { CookielessSession } from './models';

/**
 * Before ltijs's session check: an ltik from a launch proved through platform storage stands without ltijs's
 * session cookie (the browser keeps none for us). Any other ltik still needs its cookie; a cookie that did
 * come is always checked by ltijs.
 */
export function cookielessSession(ltiKey: string): RequestHandler {
  return async (req, _res, next) => {
    const ltik = (req as { token?: unknown }).token;
    if (typeof ltik !== 'string') return next();
    let payload: Record<string, unknown>;
    try {
      payload = jwt.verify(ltik, ltiKey) as Record<string, unknown>;
    } catch {
      return next(); // ltijs refuses it
    }
    const { s, user, platformCode } = payload;
    if (typeof s !== 'string' || typeof user !== 'string' || typeof platformCode !== 'string') return next();
    const cookies = req.signedCookies as Record<string, unknown> | undefined;
    if (!cookies || cookies[platformCode]) return next();
    try {
      if (await CookielessSession.exists({ state: s, user, platformCode })) cookies[platformCode] = user;
      next();
    } catch (err) {
      next(err);
    }
  };
}
