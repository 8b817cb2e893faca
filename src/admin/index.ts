import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { AppError } from '../http/errors';
import type { LtijsProvider } from './ltijs-platforms';
import { renderError } from '../http/route-kit';
import { platformRoutes } from './platforms.routes';
import { sessionRoutes } from './session.routes';
import { setupRoutes } from './setup.routes';
import { InstallerIdentity, requireInstaller, signTicket } from './session.service';
import { toolUrls } from './tool-config';
import { vleAdminRoutes } from './vle-admin.routes';

/**
 * The installer's pages at /admin. Mounted outside ltijs's launch check: they authenticate themselves, with
 * ADMIN_TOKEN or with a ticket from a launch that carried an institution/system Administrator role. Such a launch
 * gives the whole tool only to people named in INSTALLERS; anyone else sees their own VLE's registration only.
 */
export interface AdminDeps {
  config: Config;
  lti: LtijsProvider;
  log: Logger;
  /** Told after each change to the platforms, so the CSP's frame-ancestors follows at once; listed on the tool page. */
  platformOrigins?: { refresh(): Promise<void>; current(): string[] };
}

export function adminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  router.use(cookieParser());
  router.use(express.urlencoded({ extended: false, limit: '100kb' }));
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store'); // pages show keys and carry the session
    next();
  });
  router.use(sessionRoutes(deps));
  router.use(requireInstaller(deps.config));
  router.use(vleAdminRoutes(deps)); // a VLE Administrator: their own registration, read-only; nothing else
  router.use(setupRoutes(deps));
  router.use(platformRoutes(deps));
  router.use((_req, res) => void renderError(res, 404, 'Page not found', 'We could not find that installer page.'));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError) return void renderError(res, err.status, err.status === 404 ? 'Not found' : 'That did not work', err.message);
    deps.log.error({ err }, 'installer page failed');
    void renderError(res, 500, 'Something went wrong', 'Nothing was changed. Try again, and if it keeps happening check the tool\'s log.');
  });
  return router;
}

/**
 * For the launch handler: where to send someone whose launch carried an institution or system
 * Administrator role. The URL holds a one-minute, single-use ticket that /admin/enter turns into a session.
 */
export function installerHandoverUrl(config: Config, who: InstallerIdentity): string {
  return `${toolUrls(config).admin}/enter?ticket=${encodeURIComponent(signTicket(config, who))}`;
}

export type { InstallerIdentity } from './session.service';
export { toolUrls, canvasConfiguration, dynamicRegistrationRequest } from './tool-config';
export type { LtijsProvider } from './ltijs-platforms';
export { storeDynamicRegistration } from './platforms.service';
export { isAllowedPlatformUrl } from './urls';
export { dynamicRegistrationHandler, registrationRateLimit } from './dynamic-registration';
