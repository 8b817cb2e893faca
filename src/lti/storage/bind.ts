import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { COOKIELESS_SESSION_SECONDS, CookielessSession, SessionPass } from './models';

/**
 * A session without cookies (platform storage) has its ltik in page addresses, so a copied address would open it
 * anywhere. It is bound to the tab that launched it: the launch page puts a random secret in that tab's
 * sessionStorage and posts it with the launch (we keep its hash). A page of such a session (a GET whose ltik is in
 * the address) opens only with a one-time pass, given to whoever posts the secret, or with the secret in the
 * X-CMALT-Bind header. A copied address carries neither: it gets a page that resumes in the launching tab (its
 * script finds the secret and fetches a pass) and says, anywhere else, to open the tool from the VLE again.
 * Posts need no pass: their CSRF token is on the pages only the bound tab can open.
 */
export const BIND_FIELD = 'lti_storage_bind';
export const BIND_HEADER = 'x-cmalt-bind';
export const PASS_PARAM = 'pass';
export const PASS_ROUTE = '/lti/session/pass';
const SECRET = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

/**
 * Whether a cookieless session made at `createdAt` has run its 2 hours by `now`. The TTL index removes the record
 * only some time later (MongoDB checks once a minute), so the age is checked on every request as well.
 */
export const cookielessSessionEnded = (createdAt: Date | undefined, now: Date): boolean =>
  !createdAt || now.getTime() - createdAt.getTime() > COOKIELESS_SESSION_SECONDS * 1000;

export const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/** The secret a launch posted, if it looks like one. */
export function bindSecretOf(body: Record<string, unknown>): string | null {
  const value = body[BIND_FIELD];
  return typeof value === 'string' && SECRET.test(value) ? value : null;
}

export async function issuePass(state: string): Promise<string> {
  const pass = randomBytes(24).toString('base64url');
  await SessionPass.create({ hash: hashOf(pass), state });
  return pass;
}

/** The address with this pass (and no earlier one). Only our own relative addresses are ever given one. */
export function withPass(target: string, pass: string): string {
  const url = new URL(target, 'http://tool.invalid');
  url.searchParams.set(PASS_PARAM, pass);
  return /^https?:\/\//.test(target) ? url.toString() : `${url.pathname}${url.search}${url.hash}`;
}

/** Whether this GET may open the cookieless session `doc` (state `state`): the secret in the header, or a pass. */
export async function boundTabAsks(req: Request, doc: { bindHash: string }, state: string): Promise<boolean> {
  const header = req.get(BIND_HEADER);
  if (typeof header === 'string' && SECRET.test(header) && hashOf(header) === doc.bindHash) return true;
  const pass = req.query[PASS_PARAM];
  if (typeof pass !== 'string' || !pass) return false;
  return Boolean(await SessionPass.findOneAndDelete({ hash: hashOf(pass), state }).lean()); // once
}

/** The page for an address opened without its pass: resumes in the bound tab, explains itself anywhere else. */
export function renderResume(req: Request, res: Response, ltik: string): void {
  const url = new URL(req.originalUrl, 'http://tool.invalid');
  url.searchParams.delete(PASS_PARAM);
  res.set('Cache-Control', 'no-store');
  res.status(401).render('lti/session-resume', { title: 'Open CMALT Portfolio from your VLE', ltik, to: `${url.pathname}${url.search}`, action: PASS_ROUTE });
}

const localTarget = (to: unknown): string | null =>
  typeof to === 'string' && to.startsWith('/') && !to.startsWith('//') && !to.includes('\\') ? to : null;

/** POST /lti/session/pass from the resume page: the secret for this ltik buys one pass for one address. */
export function sessionPassRoute(ltiKey: string, clock: () => Date = () => new Date()): RequestHandler {
  const key = createSecretKey(Buffer.from(ltiKey));
  return async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const to = localTarget(body.to);
      const secret = typeof body.bind === 'string' && SECRET.test(body.bind) ? body.bind : null;
      let claims: { s?: unknown; user?: unknown; platformCode?: unknown } = {};
      try {
        claims = jwt.verify(String(body.ltik ?? ''), key, { algorithms: ['HS256'] }) as typeof claims;
      } catch {
        // refused below, like a wrong secret
      }
      const found = secret && to && typeof claims.s === 'string'
        ? await CookielessSession.findOne({ state: claims.s, user: String(claims.user), platformCode: String(claims.platformCode), bindHash: hashOf(secret) }, { createdAt: 1 }).lean()
        : null;
      // an ended session buys no pass (session.ts refuses its pages too)
      if (!found || cookielessSessionEnded(found.createdAt, clock()) || !to || typeof claims.s !== 'string') {
        res.set('Cache-Control', 'no-store');
        return void res.status(401).render('lti/session-resume', { title: 'Open CMALT Portfolio from your VLE', ltik: '', to: '', action: PASS_ROUTE, refused: true });
      }
      const target = new URL(to, 'http://tool.invalid');
      target.searchParams.set('ltik', String(body.ltik)); // the pass opens this session's page, and no other
      res.redirect(303, withPass(`${target.pathname}${target.search}`, await issuePass(claims.s)));
    } catch (err) {
      next(err);
    }
  };
}
