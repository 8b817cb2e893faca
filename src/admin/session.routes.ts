import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { MongoRateLimitStore } from '../http/rate-limit-store';
import type { Config } from '../config';
import type { Logger } from 'pino';
import { h, renderError, renderPage } from '../http/route-kit';
import { sameSecret } from '../http/same-secret';
import { endSession, readSession, requireInstaller, SESSION_COOKIE, sessionCookieOptions, signLoginForm, startSession, useTicketOnce, verifyLoginForm, verifyTicket, type InstallerSession } from './session.service';
import { checkCsrf } from './csrf';

/** Signing in as the installer: the ADMIN_TOKEN form, the ticket from an Administrator launch, and signing out. */
export const LOGIN_ATTEMPTS = { limit: 5, windowMinutes: 15 };

const TEXT = {
  wrongToken: 'That admin token is not right. Check it and try again.',
  tooMany: `Too many wrong admin tokens from this computer. Wait ${LOGIN_ATTEMPTS.windowMinutes} minutes, then try again.`,
  expiredForm: 'This sign-in form had expired. Please try again.',
  ticketRefused: 'This sign-in link has expired or was already used.',
  ticketHint: 'Launch CMALT Portfolio again from your VLE as an administrator, or sign in with the admin token.',
};

/** Where a sign-in lands: "entered" lets /admin explain a cookie the browser did not send back. */
const AFTER_SIGN_IN = '/admin?entered=1';

/** Whether a launch's person is named in INSTALLERS (issuer and sub exactly as the VLE sends them). */
const isNamedInstaller = (config: Config, who: { issuer: string; sub: string }) =>
  config.installers.some((i) => i.issuer === who.issuer && i.sub === who.sub);

export function sessionRoutes(deps: { config: Config; log: Logger }): Router {
  const { config, log } = deps;
  const router = Router();
  const showLogin = (res: express.Response, status: number, error?: string) =>
    renderPage(res, status, 'admin/login', {
      title: 'Sign in as the installer',
      tokenConfigured: Boolean(config.adminToken),
      loginForm: signLoginForm(config),
      error,
    });

  router.get('/login', h(async (req, res) => {
    if (await readSession(config, req)) return res.redirect(303, '/admin');
    await showLogin(res, config.adminToken ? 200 : 403);
  }));

  const limiter = rateLimit({
    windowMs: LOGIN_ATTEMPTS.windowMinutes * 60_000,
    limit: LOGIN_ATTEMPTS.limit,
    skipSuccessfulRequests: true, // only wrong tokens count
    store: new MongoRateLimitStore('admin-login:'), // every instance counts the same attempts
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      log.warn('installer sign-in rate limited');
      void renderError(res, 429, 'Too many attempts', TEXT.tooMany);
    },
  });

  router.post('/login', limiter, h(async (req, res) => {
    if (!config.adminToken) return showLogin(res, 403);
    if (!verifyLoginForm(config, req.body?.loginForm)) return showLogin(res, 400, TEXT.expiredForm);
    const given = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    if (!given || !sameSecret(given, config.adminToken)) {
      log.warn('installer sign-in with a wrong admin token');
      return showLogin(res, 401, TEXT.wrongToken);
    }
    startSession(config, res, { via: 'token', name: 'Installer (admin token)' });
    res.redirect(303, AFTER_SIGN_IN);
  }));

  // An Administrator launch sends the browser here with a one-minute ticket (see installerHandoverUrl).
  router.get('/enter', h(async (req, res) => {
    const ticket = verifyTicket(config, req.query.ticket);
    if (!ticket) return renderError(res, 401, 'Sign-in link not accepted', TEXT.ticketRefused, TEXT.ticketHint);
    if (!(await useTicketOnce(ticket))) return renderError(res, 401, 'Sign-in link not accepted', TEXT.ticketRefused, TEXT.ticketHint);
    // A VLE role never makes anyone installer of the whole tool: only INSTALLERS does; others see their own VLE.
    const vle = isNamedInstaller(config, ticket) ? undefined : { issuer: ticket.issuer, clientId: ticket.clientId };
    startSession(config, res, { via: 'launch', name: ticket.name, vle });
    log.info({ issuer: ticket.issuer, scope: vle ? 'vle' : 'tool' }, 'installer signed in from a launch');
    res.redirect(303, AFTER_SIGN_IN);
  }));

  router.post('/logout', express.urlencoded({ extended: false }), requireInstaller(config), checkCsrf(config), h(async (_req, res) => {
    await endSession(res.locals.installer as InstallerSession);
    const { maxAge: _ignored, ...options } = sessionCookieOptions();
    res.clearCookie(SESSION_COOKIE, options);
    res.redirect(303, '/admin/login');
  }));

  return router;
}
