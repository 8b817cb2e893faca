import { createSecretKey } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { boundTabAsks, cookielessSessionEnded, renderResume } from './bind';
import { CookielessSession } from './models';
import { REFUSALS, refusalError } from '../refusals';

/**
 * Before ltijs's session check: an ltik from a launch proved through platform storage stands without ltijs's
 * session cookie (the browser keeps none for us), and a page whose address carries it opens only for the tab that
 * launched it (bind.ts). Any other ltik still needs its cookie; a cookie that did come is always checked by ltijs.
 */
export function cookielessSession(ltiKey: string, clock: () => Date = () => new Date()): RequestHandler {
  const key = createSecretKey(Buffer.from(ltiKey)); // a string secret costs jsonwebtoken ~1 ms per verify
  return async (req, _res, next) => {
    const ltik = (req as { token?: unknown }).token;
    if (typeof ltik !== 'string') return next();
    const cookies = req.signedCookies as Record<string, unknown> | undefined;
    // With its session cookie present the request is ltijs's to check; only a cookie-less one needs us.
    const claimed = jwt.decode(ltik) as { platformCode?: unknown } | null;
    if (!cookies || (typeof claimed?.platformCode === 'string' && cookies[claimed.platformCode])) return next();
    let payload: Record<string, unknown>;
    try {
      payload = jwt.verify(ltik, key, { algorithms: ['HS256'] }) as Record<string, unknown>;
    } catch {
      return next(); // ltijs refuses it
    }
    const { s, user, platformCode } = payload;
    if (typeof s !== 'string' || typeof user !== 'string' || typeof platformCode !== 'string') return next();
    if (cookies[platformCode]) return next();
    try {
      const session = await CookielessSession.findOne({ state: s, user, platformCode }, { bindHash: 1, createdAt: 1 }).lean();
      if (!session) return next(); // ltijs refuses it: no cookie
      if (cookielessSessionEnded(session.createdAt, clock())) return next(refusalError(REFUSALS.sessionExpired));
      const fromAddress = (req.method === 'GET' || req.method === 'HEAD') && req.query.ltik === ltik;
      if (fromAddress && !(await boundTabAsks(req, session, s))) return renderResume(req, _res, ltik);
      cookies[platformCode] = user;
      _res.locals.boundSession = true; // pages tell frame.js to open links with a pass (bind.ts)
      next();
    } catch (err) {
      next(err);
    }
  };
}
