import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A stateless token bound to the session: HMAC(LTI key, ltik). Another session's token never matches. */
export function csrfTokenFor(ltiKey: string, ltik: string): string {
  return createHmac('sha256', ltiKey).update(`csrf:${ltik}`).digest('base64url');
}

export const csrfRefused = () =>
  new AppError(403, 'csrf_failed', 'This form has expired or did not come from CMALT Portfolio, so nothing was changed.', {
    heading: 'Please try that again',
    hint: 'Go back, reload the page and submit the form again. If you opened CMALT Portfolio a while ago, open it again from your course.',
  });

/** Every state-changing request behind the launch check carries the token in `_csrf` or `X-CSRF-Token`. */
export function requireCsrf(ltiKey: string): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const ltik: unknown = res.locals.ltik;
    // A no-JavaScript file form (multipart) is parsed after this check, so its action URL carries the token.
    const fromQuery = req.is('multipart/form-data') ? req.query._csrf : undefined;
    const sent = req.get('x-csrf-token') ?? (req.body && typeof req.body === 'object' ? req.body._csrf : undefined) ?? fromQuery;
    if (typeof ltik !== 'string' || typeof sent !== 'string') return next(csrfRefused());
    const expected = Buffer.from(csrfTokenFor(ltiKey, ltik));
    const given = Buffer.from(sent);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return next(csrfRefused());
    next();
  };
}
