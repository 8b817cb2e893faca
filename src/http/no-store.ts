import type { RequestHandler } from 'express';

/**
 * Every launched page, and every answer on the way to one, carries a person's session and their portfolio:
 * browsers and proxies must keep no copy (a shared computer's back button, a proxy's cache). `except`: paths
 * that are public and cacheable (the tool's JWKS).
 */
export function noStore(except: string[] = []): RequestHandler {
  return (req, res, next) => {
    if (!except.includes(req.path)) res.set('Cache-Control', 'no-store');
    next();
  };
}
