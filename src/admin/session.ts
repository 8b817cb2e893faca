import { createHmac, randomUUID } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { Config } from '../config';
import { renderError } from '../http/render-page';

/**
 * The installer session: a signed token with an expiry, kept in a partitioned cookie and, because VLE
 * frames often block third-party cookies, also carried in links and forms. Signed with a key derived
 * from LTI_KEY so that an ltijs session token (signed with LTI_KEY itself) can never pass as one.
 */
export const SESSION_COOKIE = 'cmalt_installer';
export const SESSION_FIELD = 'session';
export const SESSION_HOURS = 2;
const TICKET_SECONDS = 60;
const AUDIENCE = { session: 'cmalt-installer-session', ticket: 'cmalt-installer-ticket', login: 'cmalt-installer-login' };

export interface InstallerSession {
  id: string; // jti
  via: 'token' | 'launch';
  name: string;
  expiresAt: number;
}

export interface InstallerIdentity {
  issuer: string;
  sub: string;
  name?: string;
}

const keyFor = (config: Pick<Config, 'ltiKey'>, purpose: string) =>
  createHmac('sha256', config.ltiKey).update(`cmalt installer ${purpose}`).digest();

export function signSession(config: Pick<Config, 'ltiKey'>, who: { via: 'token' | 'launch'; name: string }): string {
  return jwt.sign({ via: who.via, name: who.name }, keyFor(config, 'session'), {
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
    return { id: claims.jti, via: claims.via, name: String(claims.name ?? 'Installer'), expiresAt: (claims.exp ?? 0) * 1000 };
  } catch {
    return null;
  }
}

/** A one-minute ticket a launch hands to the browser; /admin/enter exchanges it once for a session. */
export function signTicket(config: Pick<Config, 'ltiKey'>, who: InstallerIdentity): string {
  return jwt.sign({ iss_platform: who.issuer, sub: who.sub, name: who.name ?? '' }, keyFor(config, 'ticket'), {
    algorithm: 'HS256',
    audience: AUDIENCE.ticket,
    expiresIn: TICKET_SECONDS,
    jwtid: randomUUID(),
  });
}

export function verifyTicket(config: Pick<Config, 'ltiKey'>, ticket: unknown): { id: string; name: string; expiresAt: Date } | null {
  if (typeof ticket !== 'string' || !ticket) return null;
  try {
    const claims = jwt.verify(ticket, keyFor(config, 'ticket'), { algorithms: ['HS256'], audience: AUDIENCE.ticket }) as jwt.JwtPayload;
    if (!claims.jti || !claims.sub) return null;
    return { id: claims.jti, name: String(claims.name || 'Administrator'), expiresAt: new Date((claims.exp ?? 0) * 1000) };
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

/** What pages need to keep the session going: links and hidden fields carry it when the cookie did not arrive. */
export interface InstallerLocals {
  installer: InstallerSession;
  csrfToken: string;
  sessionToken?: string; // set only when the cookie is missing
  adminUrl: (path: string) => string;
}

export function installerLocals(config: Config, session: InstallerSession, token: string, fromCookie: boolean): InstallerLocals {
  const carry = fromCookie ? undefined : token;
  return {
    installer: session,
    csrfToken: csrfTokenFor(config, session),
    sessionToken: carry,
    adminUrl: (path: string) => {
      if (!carry) return path;
      return `${path}${path.includes('?') ? '&' : '?'}${SESSION_FIELD}=${encodeURIComponent(carry)}`;
    },
  };
}

/** Reads the session from the cookie or, failing that, the query or form field. */
export function readSession(config: Config, req: Request): { session: InstallerSession; token: string; fromCookie: boolean } | null {
  const cookieToken = req.cookies?.[SESSION_COOKIE];
  const fromCookie = verifySession(config, cookieToken);
  if (fromCookie) return { session: fromCookie, token: cookieToken, fromCookie: true };
  const carried = (req.body && typeof req.body === 'object' ? req.body[SESSION_FIELD] : undefined) ?? req.query[SESSION_FIELD];
  const fromField = verifySession(config, carried);
  return fromField ? { session: fromField, token: carried as string, fromCookie: false } : null;
}

export function requireInstaller(config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    const found = readSession(config, req);
    if (!found) {
      if (req.method === 'GET' || req.method === 'HEAD') res.redirect(303, '/admin/login');
      else void renderError(res, 401, 'Please sign in again', 'Your installer session has ended, so nothing was changed.', 'Sign in at /admin/login and try again.');
      return;
    }
    if (found.fromCookie && req.method === 'GET' && req.query[SESSION_FIELD] !== undefined) {
      // The cookie arrived, so the token need not sit in the address bar or history: drop it.
      const url = new URL(req.originalUrl, 'http://x');
      url.searchParams.delete(SESSION_FIELD);
      res.redirect(303, `${url.pathname}${url.search}`);
      return;
    }
    Object.assign(res.locals, installerLocals(config, found.session, found.token, found.fromCookie));
    next();
  };
}

export function startSession(config: Config, res: Response, who: { via: 'token' | 'launch'; name: string }): string {
  const token = signSession(config, who);
  res.cookie(SESSION_COOKIE, token, sessionCookieOptions());
  return token;
}
