import express, { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../http/errors';
import { checkCsrf } from './csrf';
import type { LtijsProvider } from './ltijs-platforms';
import { emptyPlatformForm, KEY_TYPES, readPlatformForm, validatePlatformForm } from './platform.schema';
import * as platforms from './platforms.service';
import { check, h, renderPage } from '../http/route-kit';
import { adminNav } from './nav';

/** The installer's list of VLEs: add by hand, activate, deactivate and remove platforms and deployments. */
const NOTICES: Record<string, string> = {
  added: 'The VLE was added.',
  activated: 'Activated: launches are accepted.',
  deactivated: 'Deactivated: new launches are refused and open sessions end, until you activate it again. Nothing anyone saved is lost.',
  removed: 'Removed.',
  'deployment-added': 'The deployment was added and is active.',
};

const idParam = z.string().regex(/^[\w.:-]{1,200}$/);
const deploymentForm = z.object({
  deploymentId: z.string().trim().min(1, 'Enter the deployment ID the VLE shows').max(255).regex(/^[\w.:-]+$/, 'Deployment IDs can only use letters, numbers and . _ : - characters'),
  label: z.string().trim().max(100, 'Use 100 characters or fewer').optional().default(''),
});

export function platformRoutes(deps: { config: Config; lti: LtijsProvider; log: Logger; platformOrigins?: { refresh(): Promise<void> } }): Router {
  const { config, lti, log } = deps;
  const router = Router();
  const csrf = checkCsrf(config);
  const go = async (res: express.Response, path: string, notice: string) => {
    await deps.platformOrigins?.refresh(); // the CSP's frame-ancestors lists the registered platforms
    res.redirect(303, (res.locals.adminUrl as (p: string) => string)(`${path}${path.includes('?') ? '&' : '?'}notice=${notice}`));
  };
  const platformId = (req: express.Request) => {
    const parsed = idParam.safeParse(req.params.id);
    if (!parsed.success) throw new AppError(404, 'not_found', platforms.MESSAGES.platformNotFound);
    return parsed.data;
  };

  const showList = async (res: express.Response, status: number, extra: Record<string, unknown> = {}) =>
    renderPage(res, status, 'admin/platforms', {
      title: 'VLEs that can launch CMALT Portfolio',
      nav: adminNav(res, '/admin'),
      platforms: await platforms.listPlatforms(lti),
      autoActivate: config.ltiAutoActivate,
      ...extra,
    });

  router.get('/', h(async (req, res) => showList(res, 200, { notice: NOTICES[String(req.query.notice)] })));

  router.get('/platforms/new', h(async (_req, res) =>
    renderPage(res, 200, 'admin/platform-new', { title: 'Add a VLE by hand', nav: adminNav(res, '/admin/platforms/new'), values: emptyPlatformForm(), errors: {}, keyTypes: KEY_TYPES }),
  ));

  router.post('/platforms', csrf, h(async (req, res) => {
    const values = readPlatformForm(req.body);
    const checked = validatePlatformForm(values, config.env);
    const again = (status: number, errors: Record<string, string>) =>
      renderPage(res, status, 'admin/platform-new', { title: 'Add a VLE by hand', nav: adminNav(res, '/admin/platforms/new'), values, errors, keyTypes: KEY_TYPES });
    if (!checked.ok) return again(422, checked.errors as Record<string, string>);
    try {
      await platforms.addPlatform(lti, checked.platform);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return again(409, { clientId: err.message });
      throw err;
    }
    log.info({ issuer: checked.platform.issuer, clientId: checked.platform.clientId }, 'platform added by hand');
    await go(res, '/admin', 'added');
  }));

  router.post('/platforms/:id/activate', csrf, h(async (req, res) => {
    await platforms.setPlatformActive(lti, platformId(req), true);
    await go(res, '/admin', 'activated');
  }));

  router.post('/platforms/:id/deactivate', csrf, h(async (req, res) => {
    await platforms.setPlatformActive(lti, platformId(req), false);
    await go(res, '/admin', 'deactivated');
  }));

  router.get('/platforms/:id/remove', h(async (req, res) => {
    const platform = await platforms.getPlatform(lti, platformId(req));
    await renderPage(res, 200, 'admin/confirm-remove', {
      title: 'Remove this VLE?',
      nav: adminNav(res, ''),
      what: `${platform.name} (${platform.issuer}, client ID ${platform.clientId})`,
      consequence: `Nobody will be able to launch CMALT Portfolio from this VLE, and its ${platform.deployments.length} deployment(s) will be removed too. Portfolios already written are kept.`,
      action: `/admin/platforms/${encodeURIComponent(platform.id)}/remove`,
    });
  }));

  router.post('/platforms/:id/remove', csrf, h(async (req, res) => {
    const removed = await platforms.removePlatform(lti, platformId(req));
    log.info({ issuer: removed.issuer, clientId: removed.clientId }, 'platform removed');
    await go(res, '/admin', 'removed');
  }));

  router.post('/platforms/:id/deployments', csrf, h(async (req, res) => {
    const id = platformId(req);
    const parsed = check(deploymentForm, req.body);
    if (!parsed.ok) {
      return showList(res, 422, { deploymentErrorFor: id, deploymentError: parsed.message, deploymentValue: String(req.body?.deploymentId ?? '') });
    }
    try {
      await platforms.addDeployment(lti, id, parsed.data);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) {
        return showList(res, 409, { deploymentErrorFor: id, deploymentError: err.message, deploymentValue: parsed.data.deploymentId });
      }
      throw err;
    }
    await go(res, '/admin', 'deployment-added');
  }));

  router.post('/deployments/:id/activate', csrf, h(async (req, res) => {
    await platforms.setDeploymentActive(String(req.params.id), true);
    await go(res, '/admin', 'activated');
  }));

  router.post('/deployments/:id/deactivate', csrf, h(async (req, res) => {
    await platforms.setDeploymentActive(String(req.params.id), false);
    await go(res, '/admin', 'deactivated');
  }));

  router.get('/deployments/:id/remove', h(async (req, res) => {
    const deployment = await platforms.getDeployment(String(req.params.id));
    await renderPage(res, 200, 'admin/confirm-remove', {
      title: 'Remove this deployment?',
      nav: adminNav(res, ''),
      what: `deployment ${deployment.deploymentId} of ${deployment.issuer} (client ID ${deployment.clientId})`,
      consequence: 'Launches from this deployment will be refused. Portfolios already written are kept.',
      action: `/admin/deployments/${encodeURIComponent(deployment.id)}/remove`,
    });
  }));

  router.post('/deployments/:id/remove', csrf, h(async (req, res) => {
    await platforms.removeDeployment(String(req.params.id));
    await go(res, '/admin', 'removed');
  }));

  return router;
}
