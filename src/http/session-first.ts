import { createSecretKey } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import jwt from 'jsonwebtoken';

/** The ltik a request carries where it can be read before its body: the query or the Authorization header. */
function ltikBeforeBody(req: Request): string | undefined {
  if (typeof req.query.ltik === 'string') return req.query.ltik;
  const auth = req.get('authorization') ?? '';
  const bearer = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(auth);
  if (bearer) return bearer[1];
  const ltijs = /LTIK-AUTH-V1 Token=([\w-]+\.[\w-]+\.[\w-]+)/.exec(auth);
  return ltijs?.[1];
}

/**
 * Runs `parsers` (larger body limits than ltijs's 100 kB) only for a request that carries a session token the tool
 * signed and that has not outlived the session length: anonymous requests never get a large body parsed. The
 * tool's own forms and scripts carry the ltik in the query or the Authorization header. Without one, the request
 * goes on unparsed, to ltijs's own smaller parsers and its session check, which refuses it.
 */
export function largeBodiesAfterSession(ltiKey: string, maxAgeMs: number, parsers: RequestHandler[]): RequestHandler {
  const key = createSecretKey(Buffer.from(ltiKey));
  const parse = Router().use(...parsers);
  return (req, res, next) => {
    const ltik = ltikBeforeBody(req);
    if (!ltik) return next();
    try {
      const { iat } = jwt.verify(ltik, key, { algorithms: ['HS256'] }) as { iat?: number };
      if (typeof iat !== 'number' || Date.now() - iat * 1000 > maxAgeMs) return next();
    } catch {
      return next();
    }
    parse(req, res, next);
  };
}
