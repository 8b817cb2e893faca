import { Router } from 'express';
import type { LtijsProvider } from './ltijs-platforms';
import { listPlatforms } from './platforms.service';
import { h, renderError, renderPage } from '../http/route-kit';
import type { InstallerSession } from './session.service';

/**
 * A VLE Administrator's session (from a launch by someone not in INSTALLERS): the registration their launch came
 * through, read-only, and nothing else. Every other installer page answers 403, so no other VLE is seen, and no
 * platform is added, changed or removed, whatever URL is guessed.
 */
export const VLE_ADMIN_TEXT = {
  refusedHeading: 'Only the tool’s installer can do this',
  refused: 'You signed in from your VLE as its administrator, so you can see this VLE’s registration but not change the tool’s VLEs. Nothing was changed.',
  refusedHint: 'Ask whoever runs CMALT Portfolio (who holds its admin token) to make this change.',
};

export function vleAdminRoutes(deps: { lti: LtijsProvider }): Router {
  const router = Router();
  router.use((req, res, next) => {
    const session = res.locals.installer as InstallerSession;
    if (!session.vle) return next('router'); // the whole tool's installer: every page
    if (req.method !== 'GET' || req.path !== '/') {
      return void renderError(res, 403, VLE_ADMIN_TEXT.refusedHeading, VLE_ADMIN_TEXT.refused, VLE_ADMIN_TEXT.refusedHint);
    }
    next();
  });
  router.get('/', h(async (_req, res) => {
    const scope = (res.locals.installer as InstallerSession).vle!;
    const own = (await listPlatforms(deps.lti, { keepPractice: true })).filter((p) => p.issuer === scope.issuer && p.clientId === scope.clientId);
    await renderPage(res, 200, 'admin/vle-registration', { title: 'This VLE’s registration', nav: [], platforms: own });
  }));
  return router;
}
