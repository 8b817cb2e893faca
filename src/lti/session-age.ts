import { createSecretKey } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { REFUSALS, refusalError } from './refusals';

/**
 * ltijs's session token (ltik) never expires. It is a JWT signed with our LTI key and carries its iat:
 * refuse one older than the configured session length. Invalid ltiks are left for ltijs to refuse.
 */
export function sessionMaxAge(ltiKey: string, maxAgeMs: number): RequestHandler {
  const key = createSecretKey(Buffer.from(ltiKey)); // a string secret costs jsonwebtoken ~1 ms per verify
  return (req, _res, next) => {
    const ltik = (req as { token?: unknown }).token;
    if (typeof ltik !== 'string') return next();
    let iat: unknown;
    try {
      iat = (jwt.verify(ltik, key, { algorithms: ['HS256'] }) as { iat?: unknown }).iat;
    } catch {
      return next();
    }
    if (typeof iat !== 'number' || Date.now() - iat * 1000 > maxAgeMs) return next(refusalError(REFUSALS.sessionExpired));
    next();
  };
}
