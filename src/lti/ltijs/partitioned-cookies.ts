import type { CookieOptions, RequestHandler, Response } from 'express';

/** Adds Partitioned (CHIPS) to ltijs's cross-site cookies, which its own options cannot express. */
export const partitionedCookies: RequestHandler = (_req, res, next) => {
  const cookie = res.cookie.bind(res) as (name: string, value: unknown, options?: CookieOptions) => Response;
  (res as { cookie: unknown }).cookie = (name: string, value: unknown, options: CookieOptions = {}) =>
    cookie(name, value, options.secure && String(options.sameSite).toLowerCase() === 'none' ? { ...options, partitioned: true } : options);
  next();
};
