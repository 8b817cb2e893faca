import { Router } from 'express';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { AppError } from '../http/errors';
import type { Who } from '../http/who';
import { h, render, urlOf, whoOf } from '../http/route-kit';
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

  router.get('/', h(async (req, res) => {
    const who = whoOf(res);
    const q = resultQuery.safeParse(req.query);
    const pageNumber = pageNumberOf(req.query);
    const page = presentRoster(await rosterPageOf(conn(), who.courseId, pageNumber, PAGE_SIZE));
    const pages = paginate(pageNumber, page.total, (n) => urlOf(res, `/gradebook/roster?page=${n}#roster-heading`));
    await render(res, 'roster/index', {
      title: `Course roster${pages.count > 1 ? ` (page ${pages.current} of ${pages.count})` : ''}`,
      page,
      pages,
      result: q.success ? q.data : {},
    }, '/gradebook/roster');
  }));

  router.post('/sync', h(async (_req, res) => {
    const who = whoOf(res);
    const outcome = await syncRosterNow(context(who), who.courseId);
    if (!outcome.ok && 'unavailable' in outcome && outcome.unavailable) throw new AppError(409, 'roster_unavailable', outcome.error);
    if (!outcome.ok && 'busy' in outcome && outcome.busy) throw new AppError(409, 'roster_busy', outcome.error);
    const query = outcome.ok ? `synced=ok&members=${outcome.members}&left=${outcome.left}` : 'synced=failed';
    res.redirect(303, urlOf(res, `/gradebook/roster?${query}`));
  }));
  return router;
}
