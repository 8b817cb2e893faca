import { createPublicKey } from 'node:crypto';
import { Router } from 'express';
import type { Config } from '../config';
import { notFound } from '../http/errors';
import type { LtijsProvider } from './ltijs-platforms';
import { adminNav } from './nav';
import { h, renderPage } from '../http/route-kit';
import { canvasConfiguration, LTI_SCOPES, toolUrls } from './tool-config';

/** What the installer copies into each VLE: the tool's addresses, its public keys, and per-VLE steps. */
export const VLES = {
  moodle: 'Moodle',
  canvas: 'Canvas',
  blackboard: 'Blackboard Learn',
  brightspace: 'Brightspace',
} as const;
type Vle = keyof typeof VLES;

/** The tool's JWKS as ltijs serves it at /lti/keys: one signing key per registered platform. */
async function toolKeyset(lti: LtijsProvider): Promise<{ keys: Array<Record<string, unknown>> }> {
  const keys = [];
  for (const platform of await lti.getAllPlatforms()) {
    const jwk = createPublicKey(await platform.platformPublicKey()).export({ format: 'jwk' });
    keys.push({ ...jwk, kid: await platform.platformId(), alg: 'RS256', use: 'sig' });
  }
  return { keys };
}

export function setupRoutes(deps: { config: Config; lti: LtijsProvider; platformOrigins?: { current(): string[] } }): Router {
  const { config, lti } = deps;
  const router = Router();
  const urls = toolUrls(config);

  router.get('/tool', h(async (_req, res) =>
    renderPage(res, 200, 'admin/tool', {
      title: 'Tool addresses and keys',
      nav: adminNav(res, '/admin/tool'),
      urls,
      scopes: LTI_SCOPES,
      keyset: JSON.stringify(await toolKeyset(lti), null, 2),
      frameOrigins: deps.platformOrigins?.current() ?? [],
    }),
  ));

  router.get('/setup/canvas.json', (_req, res) => {
    res.type('application/json').attachment('cmalt-portfolio-canvas.json').send(JSON.stringify(canvasConfiguration(urls), null, 2));
  });

  router.get('/setup/:vle', h(async (req, res) => {
    const vle = req.params.vle as Vle;
    if (!Object.prototype.hasOwnProperty.call(VLES, vle)) throw notFound('We have no instructions for that VLE. Choose Moodle, Canvas, Blackboard Learn or Brightspace.');
    await renderPage(res, 200, `admin/setup-${vle}`, {
      title: `Set up CMALT Portfolio in ${VLES[vle]}`,
      nav: adminNav(res, `/admin/setup/${vle}`),
      urls,
      scopes: LTI_SCOPES,
      canvasJson: vle === 'canvas' ? JSON.stringify(canvasConfiguration(urls), null, 2) : undefined,
    });
  }));

  return router;
}
