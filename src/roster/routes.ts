import { Router } from 'express';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { AppError } from '../http/errors';
import type { Who } from '../http/who';
import { navFor } from '../http/nav';
import { PAGE_SIZE, pageNumberOf, paginate } from '../http/pages';
import { DEFAULT_RETRY, type VleJobContext } from '../vle/context';
import { createPlatformClient, ltijsCredentials, type PlatformClient } from '../vle/platform-client';
import { presentRoster } from './presenter';
import { rosterPageOf, syncRosterNow } from './service';

export interface RosterRouterDeps {
  log: Logger;
  lti: { getPlatform(url: string, clientId: string): Promise<unknown> };
  connection?: Connection;
}

const resultQuery = z.object({ synced: z.enum(['ok', 'failed']).optional(), members: z.coerce.number().int().min(0).optional(), left: z.coerce.number().int().min(0).optional() }).passthrough();
const SYNC_LEASE_MS = 5 * 60_000; // a large roster over a slow VLE must finish inside it

/** /gradebook/roster: the course roster from the VLE (NRPS), with who has never opened the tool. */
export function rosterRouter(deps: RosterRouterDeps): Router {
  const conn = () => deps.connection ?? mongoose.connection;
  let platform: PlatformClient | undefined;
  const context = (who: Who): VleJobContext => {
    platform ??= createPlatformClient({ credentials: ltijsCredentials(deps.lti) });
    return {
      connection: conn(),
      log: deps.log,
      platform,
      ownerId: `roster-page:${who.userId}:${process.pid}`,
      leaseMs: SYNC_LEASE_MS,
      retry: DEFAULT_RETRY,
      now: () => new Date(),
    };
  };
  const router = Router();
  router.use(requireRole('coordinator'));

  router.get('/', async (req, res, next) => {
    try {
      const who = res.locals.who as Who;
      const q = resultQuery.safeParse(req.query);
      const pageNumber = pageNumberOf(req.query);
      const page = presentRoster(await rosterPageOf(conn(), who.courseId, pageNumber, PAGE_SIZE));
      const pages = paginate(pageNumber, page.total, (n) => res.locals.url(`/gradebook/roster?page=${n}#roster-heading`));
      res.render('roster/index', {
        title: `Course roster${pages.count > 1 ? ` (page ${pages.current} of ${pages.count})` : ''}`,
        nav: navFor(who, '/gradebook/roster', res.locals.url, res.locals.unread),
        page,
        pages,
        result: q.success ? q.data : {},
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/sync', async (_req, res, next) => {
    try {
      const who = res.locals.who as Who;
      const outcome = await syncRosterNow(context(who), who.courseId);
      if (!outcome.ok && 'unavailable' in outcome && outcome.unavailable) throw new AppError(409, 'roster_unavailable', outcome.error);
      if (!outcome.ok && 'busy' in outcome && outcome.busy) throw new AppError(409, 'roster_busy', outcome.error);
      const query = outcome.ok ? `synced=ok&members=${outcome.members}&left=${outcome.left}` : 'synced=failed';
      res.redirect(303, res.locals.url(`/gradebook/roster?${query}`));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
