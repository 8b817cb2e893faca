import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config';
import { renderError, renderPage } from '../http/render-page';
import type { LtijsProvider } from './ltijs-platforms';
import { storeDynamicRegistration } from './platforms';
import { dynamicRegistrationRequest, toolUrls } from './tool-config';
import { readPlatformConfiguration, RegistrationProblem, sendRegistration } from './registration-client';

/**
 * LTI Dynamic Registration 1.0, the tool's side, for ltijs's `onDynamicRegistration`: the VLE opens
 * /lti/register?openid_configuration=…&registration_token=… in a frame or window; we read and check its
 * configuration, register, store the platform and its deployment, and answer the page that closes the frame.
 */
export interface RegistrationDeps {
  config: Config;
  lti: LtijsProvider;
  log: Logger;
  platformOrigins?: { refresh(): Promise<void> };
}

const querySchema = z.object({
  openid_configuration: z.string().min(1),
  registration_token: z.string().min(1).optional(),
});

const TITLES = { failed: 'Registration did not finish', missing: 'This page is for your VLE' };
const MISSING = {
  message: 'This address is where a VLE registers CMALT Portfolio. It needs the registration details your VLE adds to it.',
  hint: 'In your VLE\'s administration pages, choose to add an LTI Advantage tool by dynamic registration and paste this address there.',
};

/**
 * The VLE frames this page before it is registered, so the CSP's frame-ancestors (the registered platforms)
 * would block it: let the site that sent the registration request frame it.
 */
function letRegisteringSiteFrame(res: Response, openidConfiguration: unknown): void {
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string' || typeof openidConfiguration !== 'string') return;
  let origin: string;
  try {
    origin = new URL(openidConfiguration).origin;
  } catch {
    return;
  }
  if (!/^https?:\/\//.test(origin)) return;
  const rest = policy.split(';').map((d) => d.trim()).filter((d) => d && !d.startsWith('frame-ancestors'));
  res.setHeader('Content-Security-Policy', [...rest, `frame-ancestors 'self' ${origin}`].join('; '));
}

export function dynamicRegistrationHandler(deps: RegistrationDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    letRegisteringSiteFrame(res, req.query.openid_configuration);
    const query = querySchema.safeParse({ ...req.query, ...(typeof req.body === 'object' ? req.body : {}) });
    if (!query.success) {
      await renderError(res, 400, TITLES.missing, MISSING.message, MISSING.hint);
      return;
    }
    try {
      const configuration = await readPlatformConfiguration(query.data.openid_configuration, deps.config.env);
      const productFamily = configuration['https://purl.imsglobal.org/spec/lti-platform-configuration']?.product_family_code;
      const registered = await sendRegistration(
        configuration.registration_endpoint,
        query.data.registration_token,
        dynamicRegistrationRequest(toolUrls(deps.config), { productFamily, claimsSupported: configuration.claims_supported }),
      );
      const active = deps.config.ltiAutoActivate;
      const { platform, created } = await storeDynamicRegistration(
        deps.lti,
        {
          name: `${productFamily ?? 'VLE'} at ${new URL(configuration.issuer).host}`,
          issuer: configuration.issuer,
          clientId: registered.clientId,
          authEndpoint: configuration.authorization_endpoint,
          tokenEndpoint: configuration.token_endpoint,
          audience: configuration.authorization_server,
          jwksUri: configuration.jwks_uri,
          deploymentId: registered.deploymentId,
        },
        active,
      );
      await deps.platformOrigins?.refresh();
      deps.log.info({ issuer: platform.issuer, clientId: platform.clientId, deploymentId: registered.deploymentId, created, active }, 'platform registered dynamically');
      await renderPage(res, 200, 'lti/registration-complete', {
        title: active ? 'CMALT Portfolio is registered' : 'Registration received',
        active,
        issuer: platform.issuer,
        deploymentId: registered.deploymentId,
        adminUrl: toolUrls(deps.config).admin,
      });
    } catch (err) {
      if (err instanceof RegistrationProblem) {
        deps.log.warn({ reason: err.message }, 'dynamic registration refused');
        await renderError(res, err.status, TITLES.failed, err.message, err.hint);
        return;
      }
      deps.log.error({ err }, 'dynamic registration failed');
      await renderError(res, 500, TITLES.failed, 'Something went wrong while saving the registration, so nothing was saved.', 'Start the registration again from the VLE. If it happens again, tell whoever runs CMALT Portfolio.');
    }
  };
}
