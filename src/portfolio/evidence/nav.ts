import type { Response } from 'express';
import type { Who } from '../../http/identity';
import { navFor } from '../../lti/landing';

/** The main navigation on evidence and planning pages, the same as on every other page. */
export function portfolioNav(res: Response, current: '/portfolio/evidence' | '/portfolio/planning') {
  return navFor(res.locals.who as Who, current, res.locals.url as (p: string) => string, res.locals.unread as number | undefined);
}
