/*
 * The least a safe LTI 1.3 launch can cost, as a ceiling for bench/launch.ts: bare Express doing only what the
 * protocol requires of any tool, with nothing of ours (no ltijs, no records, no after-launch work, no security
 * headers, no page layout). Login: state and nonce in an HMAC-signed cookie (no database). Launch: check that
 * cookie, verify the id_token (RS256, cached platform key, iss/aud/nonce), one insertOne of the nonce under a
 * unique index (the replay check any tool needs), redirect with a signed session token. Landing page: verify
 * the token, answer a small page carrying it. If this cannot reach a ratio the full tool is asked to reach,
 * no implementation can.
 */
import { createHmac, createPublicKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import type { TestPlatform } from '../../test/support/platform';
import { onLoopback } from './loopback';

const SECRET = randomBytes(32);
const sign = (value: string) => `${value}.${createHmac('sha256', SECRET).update(value).digest('base64url')}`;
function unsign(signed: string | undefined): string | null {
  if (!signed) return null;
  const dot = signed.lastIndexOf('.');
  const value = signed.slice(0, dot);
  const expected = Buffer.from(sign(value));
  const given = Buffer.from(signed);
  return expected.length === given.length && timingSafeEqual(expected, given) ? value : null;
}
const cookieOf = (header: string | undefined, name: string) =>
  header?.split(/;\s*/).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);

export async function startMinimalLtiTool(dbUri: string, platform: TestPlatform) {
  const bare = await onLoopback();
  const baseUrl = bare.url;
  const client = platform.addClient({
    jwksUrl: `${baseUrl}/keys`,
    loginUrl: `${baseUrl}/login`,
    targetLinkUri: `${baseUrl}/launch`,
    deploymentIds: ['dep-1'],
  });
  const details = platform.registrationDetailsForTool(client.clientId);
  const jwks = (await (await fetch(details.jwksUrl)).json()) as { keys: Array<Record<string, unknown>> };
  const platformKey: KeyObject = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' });
  const sessionKey = randomBytes(32);

  const conn = await mongoose.createConnection(dbUri).asPromise();
  const Nonce = conn.model('Nonce', new mongoose.Schema({ nonce: { type: String, unique: true }, at: Date }));
  await Nonce.init();

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/login', (req, res) => {
    const p = req.body as Record<string, string>;
    if (p.iss !== details.issuer || p.client_id !== client.clientId) return void res.status(400).send('unknown platform');
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    res.setHeader('Set-Cookie', `st=${sign(`${state}:${nonce}`)}; Path=/; HttpOnly; Secure; SameSite=None`);
    const auth = new URL(details.authorizationEndpoint);
    const q = { scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: client.clientId, redirect_uri: `${baseUrl}/launch`, login_hint: p.login_hint, lti_message_hint: p.lti_message_hint, state, nonce };
    for (const [k, v] of Object.entries(q)) auth.searchParams.set(k, v);
    res.redirect(auth.toString());
  });
  app.post('/launch', async (req, res) => {
    const kept = unsign(cookieOf(req.headers.cookie, 'st'));
    const [state, nonce] = kept?.split(':') ?? [];
    if (!state || state !== req.body.state) return void res.status(401).send('bad state');
    const claims = jwt.verify(String(req.body.id_token), platformKey, { algorithms: ['RS256'], issuer: details.issuer, audience: client.clientId, nonce }) as { sub: string };
    await Nonce.create({ nonce, at: new Date() }); // a replayed nonce fails the unique index
    const session = jwt.sign({ sub: claims.sub }, sessionKey, { algorithm: 'HS256', expiresIn: '8h' });
    res.redirect(`/home?ltik=${session}`);
  });
  app.get('/home', (req, res) => {
    const claims = jwt.verify(String(req.query.ltik), sessionKey, { algorithms: ['HS256'] }) as { sub: string };
    res.type('html').send(`<!doctype html><html lang="en"><head><meta name="ltik" content="${req.query.ltik}"><title>Home</title></head><body><main><h1>Hello ${claims.sub}</h1></main></body></html>`);
  });
  bare.server.on('request', app);
  return {
    baseUrl,
    clientId: client.clientId,
    close: async () => {
      await bare.close();
      await conn.close();
    },
  };
}
