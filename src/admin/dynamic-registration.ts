import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { MongoRateLimitStore } from '../http/rate-limit-store';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config';
import { renderError, renderPage } from '../http/route-kit';
import type { LtijsProvider } from './ltijs-platforms';
import { issuerRegisteredElsewhere, storeDynamicRegistration } from './platforms.service';
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

const TITLES = { failed: 'Registration did not finish', missing: 'This page is for your VLE', full: 'Too many registrations are waiting' };
const FULL = {
  message: 'CMALT Portfolio already has as many VLE registrations waiting for its installer as it accepts, so this one was not started and nothing was saved.',
  hint: 'Ask whoever runs CMALT Portfolio to activate or remove the waiting registrations on its installer page, then register again.',
};
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

/** Registrations waiting for the installer: inactive platforms. */
async function pendingRegistrations(lti: LtijsProvider): Promise<number> {
  let waiting = 0;
  for (const platform of await lti.getAllPlatforms()) if (!(await platform.platformActive())) waiting += 1;
  return waiting;
}

/**
 * Dynamic registration is open to anyone who can reach the tool: each attempt costs two outbound calls and a key
 * pair, so attempts are counted per client address (in the database, so every instance counts the same).
 */
export function registrationRateLimit(deps: { config: Config; log: Logger }): RequestHandler {
  return rateLimit({
    windowMs: 3600_000,
    limit: deps.config.registration.perHour,
    store: new MongoRateLimitStore('dynamic-registration:'),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      (req.log ?? deps.log).warn('dynamic registration rate limited');
      void renderError(res, 429, 'Too many registrations from here', 'This computer has started more VLE registrations in the last hour than CMALT Portfolio accepts, so this one was not started.', 'Wait an hour, then start the registration again from your VLE.');
    },
  });
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
      // before anything is fetched or stored: a flood of registrations cannot pile up unseen
      if ((await pendingRegistrations(deps.lti)) >= deps.config.registration.pendingMax) {
        (req.log ?? deps.log).warn('dynamic registration refused: too many waiting');
        return void (await renderError(res, 503, TITLES.full, FULL.message, FULL.hint));
      }
      const configuration = await readPlatformConfiguration(query.data.openid_configuration, deps.config.env);
      const productFamily = configuration['https://purl.imsglobal.org/spec/lti-platform-configuration']?.product_family_code;
      const registered = await sendRegistration(
        configuration.registration_endpoint,
        query.data.registration_token,
        dynamicRegistrationRequest(toolUrls(deps.config), { productFamily, claimsSupported: configuration.claims_supported }),
      );
      // an issuer already registered under another client could be a VLE posing as another: never switched on by itself
      const shared = await issuerRegisteredElsewhere(deps.lti, configuration.issuer, registered.clientId);
      const active = deps.config.ltiAutoActivate && !shared;
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
      if (shared) deps.log.warn({ issuer: platform.issuer, clientId: platform.clientId }, 'a dynamic registration reuses an issuer registered under another client: left inactive');
      await renderPage(res, 200, 'lti/registration-complete', {
        title: active ? 'CMALT Portfolio is registered' : 'Registration received',
        active,
        issuer: platform.issuer,
        deploymentId: registered.deploymentId,
        adminUrl: toolUrls(deps.config).admin,
      });
    } catch (err) {
      if (err instanceof RegistrationProblem) {
        (req.log ?? deps.log).warn({ reason: err.message, detail: err.detail }, 'dynamic registration refused');
        await renderError(res, err.status, TITLES.failed, err.message, err.hint);
        return;
      }
      deps.log.error({ err }, 'dynamic registration failed');
      await renderError(res, 500, TITLES.failed, 'Something went wrong while saving the registration, so nothing was saved.', 'Start the registration again from the VLE. If it happens again, tell whoever runs CMALT Portfolio.');
    }
  };
}
