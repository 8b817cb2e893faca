import { createHmac, randomUUID } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { Config } from '../config';
import { renderError } from '../http/route-kit';
import { EndedInstallerSession, UsedInstallerTicket } from './ticket.model';

/**
 * The installer session: a signed token with an expiry, kept only in a partitioned, HttpOnly cookie (never in a
 * URL, where it would reach history, logs and Referer). Signed with a key derived from LTI_KEY so that an ltijs
 * session token (signed with LTI_KEY itself) can never pass as one. Signing out records the session's id, so a
 * copy of the cookie stops working at once.
 *
 * Scope: 'tool' is the installer of the whole tool (ADMIN_TOKEN, or a launch by someone in INSTALLERS); 'vle' is a
 * VLE's own Administrator, who may only see that VLE's registration (see vle-admin.routes.ts).
 */
export const SESSION_COOKIE = 'cmalt_installer';
export const SESSION_HOURS = 2;
const TICKET_SECONDS = 60;
const AUDIENCE = { session: 'cmalt-installer-session', ticket: 'cmalt-installer-ticket', login: 'cmalt-installer-login' };

/** Which registration a VLE Administrator's session may see: the one their launch came through. */
export interface VleScope {
  issuer: string;
  clientId: string;
}

export interface InstallerSession {
  id: string; // jti
  via: 'token' | 'launch';
  name: string;
  expiresAt: number;
  /** Set for a VLE Administrator: only this registration, read-only. Unset: the whole tool. */
  vle?: VleScope;
}

export interface InstallerIdentity {
  issuer: string;
  sub: string;
  clientId: string;
  name?: string;
}

export interface InstallerTicket {
  id: string;
  name: string;
  expiresAt: Date;
  issuer: string;
  sub: string;
  clientId: string;
}

const keyFor = (config: Pick<Config, 'ltiKey'>, purpose: string) =>
  createHmac('sha256', config.ltiKey).update(`cmalt installer ${purpose}`).digest();

export function signSession(config: Pick<Config, 'ltiKey'>, who: { via: 'token' | 'launch'; name: string; vle?: VleScope }): string {
  const vle = who.vle ? { vle_iss: who.vle.issuer, vle_client: who.vle.clientId } : {};
  return jwt.sign({ via: who.via, name: who.name, ...vle }, keyFor(config, 'session'), {
    algorithm: 'HS256',
    audience: AUDIENCE.session,
    expiresIn: SESSION_HOURS * 3600,
    jwtid: randomUUID(),
  });
}

export function verifySession(config: Pick<Config, 'ltiKey'>, token: unknown): InstallerSession | null {
  if (typeof token !== 'string' || !token) return null;
  try {
    const claims = jwt.verify(token, keyFor(config, 'session'), { algorithms: ['HS256'], audience: AUDIENCE.session }) as jwt.JwtPayload;
    if (!claims.jti || (claims.via !== 'token' && claims.via !== 'launch')) return null;
    const vle = typeof claims.vle_iss === 'string' && typeof claims.vle_client === 'string' ? { issuer: claims.vle_iss, clientId: claims.vle_client } : undefined;
    return { id: claims.jti, via: claims.via, name: String(claims.name ?? 'Installer'), expiresAt: (claims.exp ?? 0) * 1000, vle };
  } catch {
    return null;
  }
}

/** A one-minute ticket a launch hands to the browser; /admin/enter exchanges it once for a session. */
export function signTicket(config: Pick<Config, 'ltiKey'>, who: InstallerIdentity): string {
  return jwt.sign({ iss_platform: who.issuer, sub: who.sub, client_id: who.clientId, name: who.name ?? '' }, keyFor(config, 'ticket'), {
    algorithm: 'HS256',
    audience: AUDIENCE.ticket,
    expiresIn: TICKET_SECONDS,
    jwtid: randomUUID(),
  });
}

export function verifyTicket(config: Pick<Config, 'ltiKey'>, ticket: unknown): InstallerTicket | null {
  if (typeof ticket !== 'string' || !ticket) return null;
  try {
    const claims = jwt.verify(ticket, keyFor(config, 'ticket'), { algorithms: ['HS256'], audience: AUDIENCE.ticket }) as jwt.JwtPayload;
    if (!claims.jti || !claims.sub || typeof claims.iss_platform !== 'string' || typeof claims.client_id !== 'string') return null;
    return {
      id: claims.jti,
      name: String(claims.name || 'Administrator'),
      expiresAt: new Date((claims.exp ?? 0) * 1000),
      issuer: claims.iss_platform,
      sub: claims.sub,
      clientId: claims.client_id,
    };
  } catch {
    return null;
  }
}

/** The login form's own anti-forgery token: there is no session yet to tie it to. */
export function signLoginForm(config: Pick<Config, 'ltiKey'>): string {
  return jwt.sign({}, keyFor(config, 'login'), { algorithm: 'HS256', audience: AUDIENCE.login, expiresIn: 3600 });
}

export function verifyLoginForm(config: Pick<Config, 'ltiKey'>, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  try {
    jwt.verify(token, keyFor(config, 'login'), { algorithms: ['HS256'], audience: AUDIENCE.login });
    return true;
  } catch {
    return false;
  }
}

export function csrfTokenFor(config: Pick<Config, 'ltiKey'>, session: InstallerSession): string {
  return createHmac('sha256', keyFor(config, 'csrf')).update(session.id).digest('base64url');
}

export function sessionCookieOptions(): CookieOptions {
  return { httpOnly: true, secure: true, sameSite: 'none', partitioned: true, path: '/admin', maxAge: SESSION_HOURS * 3600_000 };
}

/** What pages need: who is signed in, the form token, and links (kept as a function so views need not change). */
export interface InstallerLocals {
  installer: InstallerSession;
  csrfToken: string;
  adminUrl: (path: string) => string;
}

export function installerLocals(config: Config, session: InstallerSession): InstallerLocals {
  return { installer: session, csrfToken: csrfTokenFor(config, session), adminUrl: (path: string) => path };
}

/** Spends a ticket: true the first time, false if it was already exchanged for a session (on any instance). */
export async function useTicketOnce(ticket: InstallerTicket): Promise<boolean> {
  try {
    await UsedInstallerTicket.create({ _id: ticket.id, expiresAt: ticket.expiresAt });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

/** The session from the cookie, unless it was signed out. A token anywhere else (query, form) is ignored. */
export async function readSession(config: Config, req: Request): Promise<{ session: InstallerSession; token: string } | null> {
  const token = req.cookies?.[SESSION_COOKIE];
  const session = verifySession(config, token);
  if (!session || (await EndedInstallerSession.exists({ _id: session.id }))) return null;
  return { session, token };
}

const NO_COOKIE = {
  heading: 'Open the installer pages in a new window',
  message: 'Your browser did not send back the installer pages\' cookie, which happens inside a VLE frame that blocks cookies from other sites. For safety the session is never carried in the address instead.',
  hint: 'Open CMALT Portfolio\'s /admin address in a new browser tab and sign in there, or set the tool to open in a new window in your VLE and launch it again.',
};

export function requireInstaller(config: Config) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const found = await readSession(config, req);
      if (!found) {
        if (req.query.entered !== undefined) return void renderError(res, 401, NO_COOKIE.heading, NO_COOKIE.message, NO_COOKIE.hint);
        if (req.method === 'GET' || req.method === 'HEAD') res.redirect(303, '/admin/login');
        else void renderError(res, 401, 'Please sign in again', 'Your installer session has ended, so nothing was changed.', 'Sign in at /admin/login and try again.');
        return;
      }
      if (req.method === 'GET' && req.query.entered !== undefined) return res.redirect(303, req.baseUrl || '/admin'); // the cookie came back: a clean address
      Object.assign(res.locals, installerLocals(config, found.session));
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function startSession(config: Config, res: Response, who: { via: 'token' | 'launch'; name: string; vle?: VleScope }): string {
  const token = signSession(config, who);
  res.cookie(SESSION_COOKIE, token, sessionCookieOptions());
  return token;
}

/** Signing out: this session's id is recorded as ended until it would have expired anyway. */
export async function endSession(session: InstallerSession): Promise<void> {
  try {
    await EndedInstallerSession.create({ _id: session.id, expiresAt: new Date(session.expiresAt) });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err; // signed out twice: already ended
  }
}
