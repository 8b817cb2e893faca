import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { newSigningKey, signJwt, verifyWithJwks, decodeJwt } from '../support/platform/keys';

/**
 * A very small LTI tool, just enough to exercise the platform without our real tool or a database:
 * login initiation with a state cookie, id_token check against the platform's JWKS, a landing page
 * with ltik and csrf meta tags, a JWKS, and client assertions for the token endpoint.
 */
export interface MiniTool {
  baseUrl: string;
  key: ReturnType<typeof newSigningKey>;
  launches: { claims: Record<string, unknown> }[];
  clientAssertion(clientId: string, tokenUrl: string, over?: Record<string, unknown>, signWith?: ReturnType<typeof newSigningKey>): string;
  close(): Promise<void>;
}

export async function startMiniTool(): Promise<MiniTool> {
  const key = newSigningKey();
  const launches: { claims: Record<string, unknown> }[] = [];
  const pending = new Map<string, { iss: string; nonce: string }>();
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.get('/lti/keys', (_req, res) => { res.json({ keys: [key.publicJwk] }); });
  app.all('/lti/login', async (req, res) => {
    const p = { ...(req.query as Record<string, string>), ...(req.body as Record<string, string>) };
    const conf = (await (await fetch(`${p.iss}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string };
    const state = randomBytes(8).toString('hex');
    const nonce = randomBytes(8).toString('hex');
    pending.set(state, { iss: p.iss, nonce });
    res.cookie(`state${state}`, p.iss, { secure: true, sameSite: 'none', httpOnly: true, partitioned: true } as express.CookieOptions);
    const url = new URL(conf.authorization_endpoint);
    const q = { scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: p.client_id, redirect_uri: p.target_link_uri, login_hint: p.login_hint, lti_message_hint: p.lti_message_hint, state, nonce };
    for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
    res.redirect(url.toString());
  });
  app.post('/lti/launch', async (req, res) => {
    const { id_token: idToken, state } = req.body as Record<string, string>;
    const cookies = Object.fromEntries((req.headers.cookie ?? '').split('; ').filter(Boolean).map((c) => c.split('=')));
    const expected = pending.get(state);
    if (!expected || !cookies[`state${state}`]) return void res.status(401).send('bad state');
    pending.delete(state);
    const jwks = await (await fetch(`${expected.iss}/jwks`)).json();
    const v = verifyWithJwks(idToken, jwks as { keys: [] });
    if (!v.ok) return void res.status(401).send(v.reason);
    if (v.payload.nonce !== expected.nonce) return void res.status(401).send('bad nonce');
    launches.push({ claims: v.payload });
    res.redirect(`/lti/launch?ltik=lt-${randomBytes(4).toString('hex')}`);
  });
  app.get('/lti/launch', (req, res) => {
    res.send(`<!doctype html><html><head><meta name="ltik" content="${String(req.query.ltik)}"><meta name="csrf-token" content="csrf-1"></head><body>Welcome</body></html>`);
  });
  app.post('/echo', (req, res) => { res.json({ body: req.body, auth: req.headers.authorization, csrf: req.headers['x-csrf-token'], cookie: req.headers.cookie }); });

  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    key,
    launches,
    clientAssertion(clientId, tokenUrl, over = {}, signWith = key) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: clientId, sub: clientId, aud: tokenUrl, iat: now, exp: now + 60, jti: randomBytes(8).toString('hex'), ...over };
      return signJwt(payload, signWith.privateKey, { alg: 'RS256', kid: signWith.kid });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export { decodeJwt };
