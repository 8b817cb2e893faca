import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import type { IssuedLogin } from '../launch-guard';
import { REFUSALS, refusalError } from '../refusals';
import type { LtiProvider } from '../ltijs/provider';
import { bindSecretOf, hashOf, issuePass, withPass } from './bind';
import { CookielessSession, LoginStart, NewWindowTicket, PendingStorageLaunch, type LoginParams } from './models';
import { newWindowTicket } from '../new-window';
import { storageKeys } from './login';
import { STORAGE_REFUSALS } from './refusals';
import { onLtijsRedirect } from '../ltijs/redirect';

export interface CookielessLaunchDeps {
  lti: LtiProvider;
  /** The tool's public URL: the only origin the page finishing a storage launch may post from. */
  publicUrl: string;
}

/** The form fields the storage page posts back to /lti/launch. */
export const FIELDS = { pending: 'lti_storage_launch', state: 'lti_storage_state', nonce: 'lti_storage_nonce', bind: 'lti_storage_bind' } as const;

const idOf = () => randomBytes(24).toString('base64url');
const stateCookie = (req: Request, state: string): unknown => (req.signedCookies as Record<string, unknown> | undefined)?.[`state${state}`];
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const nonceOf = (idToken: string): string | null => {
  const claims = jwt.decode(idToken);
  return claims && typeof claims === 'object' ? text(claims.nonce) : null;
};

/**
 * Before lti's launchCheck, on POST /lti/launch: takes the login this launch answers from our records (once:
 * a replayed or forged state finds none) and hands it to launchCheck. When the state cookie came back, nothing
 * else changes. When it did not: a login that used platform storage answers a page that fetches the state and nonce from the VLE and
 * posts them back here; any other login is checked in full and then answered with the new-window page.
 */
export function launchWithoutCookie(deps: CookielessLaunchDeps): RequestHandler {
  const toolOrigin = new URL(deps.publicUrl).origin;
  return async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body[FIELDS.pending] !== undefined) return await finishStorageLaunch(req, res, body, toolOrigin).then(() => next());
      if (typeof body.id_token !== 'string') return next();
      const state = text(body.state);
      const login = state ? await LoginStart.findOneAndDelete({ state }).lean() : null; // used once, like the state
      if (!login || !state) {
        await LoginStart.deleteOne({ nonce: nonceOf(body.id_token) ?? '' }); // the sign-in this token answers is spoilt
        return next(); // launchCheck refuses it
      }
      // ltijs keeps a state entry at login only for a target_link_uri with a query (see ltijs/cached-reads.ts)
      const ltijsKeptState = login.params.target_link_uri.includes('?');
      res.locals.issuedLogin = { state, nonce: login.nonce, issuer: login.params.iss, ltijsKeptState } satisfies IssuedLogin;
      if (stateCookie(req, state)) return next();
      if (login.storageTarget) return await askPlatformStorage(res, body.id_token, login);
      // Checked in full as if the cookie had come, then turned into the new-window page (never into a session).
      (req.signedCookies as Record<string, unknown>)[`state${state}`] = login.params.iss;
      res.locals.newWindowInstead = { params: login.params, fromNewWindow: login.fromNewWindow };
      next();
    } catch (err) {
      next(err);
    }
  };
}

async function askPlatformStorage(
  res: Response,
  idToken: string,
  login: { state: string; nonce: string; params: LoginParams; storageTarget?: string | null; platformOrigin: string },
): Promise<void> {
  const ticket = await newWindowTicket(login.params); // shown only if the VLE's storage does not answer
  const pending = await PendingStorageLaunch.create({ id: idOf(), state: login.state, nonce: login.nonce, issuer: login.params.iss, idToken, ticket: ticket.id });
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'same-origin'); // so the finishing post carries our Origin too, never to other sites
  res.render('lti/storage-launch', {
    title: 'Signing you in',
    pendingId: pending.id,
    storageTarget: login.storageTarget,
    platformOrigin: login.platformOrigin,
    keys: storageKeys(login.state, login.nonce),
    fields: FIELDS,
    newWindowHref: ticket.href,
  });
}

/**
 * The page posts back what the VLE's storage held. Only a same-origin post counts (another site cannot finish
 * someone's sign-in), the pending launch is used once, and the values must be the state and nonce we issued
 * and the id_token carries. The launch then goes through launchCheck and ltijs as if the cookie had come.
 */
async function finishStorageLaunch(req: Request, res: Response, body: Record<string, unknown>, toolOrigin: string): Promise<void> {
  const id = text(body[FIELDS.pending]);
  const pending = id ? await PendingStorageLaunch.findOneAndDelete({ id }).lean() : null;
  if (pending) await NewWindowTicket.deleteOne({ id: pending.ticket }); // used once, whatever the outcome
  // Fetch Metadata says who sent it (browsers send Origin: null under our no-referrer policy); else the Origin must be ours.
  const site = req.get('sec-fetch-site');
  const sameOrigin = site ? site === 'same-origin' : req.get('origin') === toolOrigin;
  const tokenNonce = pending ? nonceOf(pending.idToken) : null;
  const matches = pending && body[FIELDS.state] === pending.state && body[FIELDS.nonce] === pending.nonce && tokenNonce === pending.nonce;
  const secret = bindSecretOf(body); // the launching tab's own secret (bind.ts); without one no session is made
  // a spoilt sign-in is never used: its login was consumed by the first post and the pending launch just now
  if (!sameOrigin) throw refusalError(STORAGE_REFUSALS.storageCrossSite);
  if (!pending) throw refusalError(STORAGE_REFUSALS.storageLaunchUnknown);
  if (!matches || !secret) throw refusalError(STORAGE_REFUSALS.storageMismatch);
  req.body = { id_token: pending.idToken, state: pending.state };
  res.locals.issuedLogin = { state: pending.state, nonce: pending.nonce, issuer: pending.issuer } satisfies IssuedLogin;
  (req.signedCookies as Record<string, unknown>)[`state${pending.state}`] = pending.issuer;
  rememberCookielessSession(res, secret);
}

/**
 * When ltijs answers with the new session's ltik, let that ltik stand without ltijs's session cookie, for the tab
 * holding `secret`; the landing address gets the first one-time pass.
 */
function rememberCookielessSession(res: Response, secret: string): void {
  onLtijsRedirect(res, (target, redirect) => {
    const ltik = new URL(target, 'http://x').searchParams.get('ltik');
    const payload = ltik ? jwt.decode(ltik) : null;
    if (!payload || typeof payload !== 'object' || !payload.s || !payload.user || !payload.platformCode) return redirect(target);
    const state = String(payload.s);
    CookielessSession.create({ state, user: String(payload.user), platformCode: String(payload.platformCode), bindHash: hashOf(secret) })
      .then(async () => redirect(withPass(target, await issuePass(state))))
      .catch(() => redirect(target)); // the session then needs its cookie, like any other
  });
}

/**
 * After launchCheck: a launch that passed every check but came without its state cookie (and without
 * platform storage) becomes the new-window page; ltijs never sees it, so no session is made.
 */
export function newWindowInsteadOfLaunch(deps: { lti: LtiProvider }): RequestHandler {
  return async (req, res, next) => {
    const instead = res.locals.newWindowInstead as { params: LoginParams; fromNewWindow: boolean } | undefined;
    if (!instead) return next();
    try {
      const state = String((req.body as { state?: unknown }).state);
      await deps.lti.Database.Delete('state', { state }).catch(() => undefined);
      if (instead.fromNewWindow) return next(refusalError(STORAGE_REFUSALS.cookiesOff));
      res.set('Cache-Control', 'no-store');
      res.render('lti/new-window', { title: 'Open CMALT Portfolio in a new window', newWindowHref: (await newWindowTicket(instead.params)).href, steps: REFUSALS.cookieBlocked.steps });
    } catch (err) {
      next(err);
    }
  };
}
