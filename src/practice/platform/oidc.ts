import type { Express, Request, Response } from 'express';
import { PLATFORM_CONFIG, ALL_SCOPES, type PlatformContext } from './context';
import { randomId } from './keys';
import { buildClaims, signIdToken } from './launches';
import type { AgsStore } from './ags';
import type { PreparedLaunch } from './types';
import { escapeHtml, page } from './html';
import { courseStorageMarkup, mountStorage } from './storage';

export { escapeHtml, page } from './html';

function errorPage(res: Response, status: number, message: string): void {
  res.status(status).type('html').send(page('Launch error', `<main><h1>Launch error</h1><p id="error">${escapeHtml(message)}</p></main>`));
}

export function openIdConfiguration(ctx: PlatformContext): Record<string, unknown> {
  return {
    issuer: ctx.issuer,
    authorization_endpoint: ctx.url('/auth'),
    registration_endpoint: ctx.url('/register'),
    token_endpoint: ctx.url('/token'),
    jwks_uri: ctx.url('/jwks'),
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', ...ALL_SCOPES],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email', 'picture', 'locale'],
    [PLATFORM_CONFIG]: {
      product_family_code: ctx.productFamilyCode,
      version: '1.0.0',
      messages_supported: [
        { type: 'LtiResourceLinkRequest' },
        { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] },
      ],
      variables: ['CourseSection.sourcedId', 'Context.id.history', 'ResourceLink.id.history', 'Person.name.full', 'Person.email.primary'],
    },
    ...ctx.openIdOverrides,
  };
}

/**
 * Renders what a VLE answers from its authorization endpoint: a form that posts itself to the tool. `nonce`: the
 * CSP nonce when the page is served under a policy (the practice VLE runs inside the tool's CSP).
 */
function autoPostForm(action: string, fields: Record<string, string>, nonce?: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    'Launching…',
    `<main><h1>Opening CMALT Portfolio…</h1><form id="lti-launch" method="post" action="${escapeHtml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></main>` +
      `<script${nonce ? ` nonce="${escapeHtml(nonce)}"` : ''}>document.getElementById("lti-launch").submit();</script>`,
  );
}

export function mountOidc(app: Express, ctx: PlatformContext, ags: AgsStore): void {
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json(openIdConfiguration(ctx));
  });

  // Browsers ask every page's origin for one; not an unexpected call.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  app.get('/jwks', (_req, res) => {
    res.json({ keys: [ctx.key.publicJwk] });
  });

  app.all('/auth', (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'POST') return errorPage(res, 405, 'Use GET or POST');
    const p = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
    const need = ['scope', 'response_type', 'client_id', 'redirect_uri', 'login_hint', 'state', 'nonce'];
    const missing = need.filter((k) => !p[k]);
    if (missing.length) return errorPage(res, 400, `Missing ${missing.join(', ')}`);
    if (!p.scope.split(' ').includes('openid')) return errorPage(res, 400, 'scope must include openid');
    if (p.response_type !== 'id_token') return errorPage(res, 400, 'response_type must be id_token');
    if (p.response_mode && p.response_mode !== 'form_post') return errorPage(res, 400, 'response_mode must be form_post');
    const client = ctx.clients.get(p.client_id);
    if (!client) return errorPage(res, 400, `Unknown client_id ${p.client_id}`);
    if (!client.redirectUris.includes(p.redirect_uri)) return errorPage(res, 400, `redirect_uri ${p.redirect_uri} is not registered for this tool`);
    const launch = p.lti_message_hint ? ctx.launches.get(p.lti_message_hint) : undefined;
    if (!launch) return errorPage(res, 400, 'No launch matches lti_message_hint');
    if (launch.user.id !== p.login_hint) return errorPage(res, 400, 'login_hint does not match the launch');
    if (launch.clientId !== p.client_id) return errorPage(res, 400, 'client_id does not match the launch');
    const forge = launch.options.forge ?? {};
    const claims = buildClaims(ctx, ags, launch, p.nonce);
    const idToken = forge.replayOf?.idToken ?? signIdToken(ctx, launch, claims);
    const fields: Record<string, string> = { id_token: idToken };
    if (forge.state !== 'missing') fields.state = forge.state === 'forged' ? `forged-${randomId(16)}` : p.state;
    Object.assign(launch, { idToken, claims: forge.replayOf?.claims ?? claims, state: p.state, nonce: p.nonce, redirectUri: p.redirect_uri, formFields: fields });
    ctx.lastLaunch = launch;
    res.type('html').send(autoPostForm(p.redirect_uri, fields, typeof res.locals.cspNonce === 'string' ? res.locals.cspNonce : undefined));
  });

  /**
 * The course page's script: records every message from the tool (window.__ltiMessages), and sets the frame's
 * height from lti.frameResize (an object, or Canvas's JSON string), but only from the tool's frame, and only for a
 * profile that listens (Moodle 4.5 core does not: its frame keeps the window's height and the page scrolls inside).
 */
const recordAndResize = (resize: boolean) => `window.addEventListener("message", function (e) {
  (window.__ltiMessages = window.__ltiMessages || []).push(e.data);
  if (!${resize}) return;
  var frame = document.getElementById("tool-frame");
  if (!frame || e.source !== frame.contentWindow) return;
  var m = e.data;
  if (typeof m === "string") { try { m = JSON.parse(m); } catch (err) { return; } }
  var height = m && m.subject === "lti.frameResize" ? Number(m.height) : 0;
  if (height > 0) frame.style.height = Math.min(height, 50000) + "px";
});`;

/** A VLE course page framing the tool, as a teacher's click on the activity would show it. */
  app.get('/course/:courseId/launch', (req, res) => {
    const launch = ctx.launches.get(String(req.query.hint ?? ''));
    if (!launch) return errorPage(res, 404, 'No launch prepared with that hint');
    const src = frameSource(launch, req.query.frameHost ? String(req.query.frameHost) : undefined);
    const storage = courseStorageMarkup(launch.options.storageTarget, new URL(src).origin, ctx.url('/post-message-forwarding'));
    res.type('html').send(
      page(
        `${launch.course.title} – CMALT Test VLE`,
        // the storage listener (or its frame) comes first, so that it is ready before the tool asks
        `${storage}<header><h1>${escapeHtml(launch.course.title)}</h1></header><main>` +
          `<iframe id="tool-frame" name="tool-frame" title="CMALT Portfolio" src="${escapeHtml(src)}" ` +
          `style="width:100%;height:${ctx.profile.frameResize ? '800px' : '85vh'};border:0" allow="clipboard-write; fullscreen"></iframe></main>` +
          `<script>${recordAndResize(ctx.profile.frameResize)}</script>`,
      ),
    );
  });

  mountStorage(app);

  app.get('/course/:courseId/return', (req, res) => {
    res.type('html').send(page('Returned to the course', `<main><h1>Back in the course</h1><p id="return-query">${escapeHtml(new URLSearchParams(req.query as Record<string, string>).toString())}</p></main>`));
  });
}

/** The login initiation URL a VLE puts in its iframe (GET), optionally reached under another host name. */
export function frameSource(launch: PreparedLaunch, frameHost?: string): string {
  const url = new URL(launch.loginUrl);
  if (frameHost) url.hostname = frameHost;
  for (const [k, v] of Object.entries(launch.loginParams)) url.searchParams.set(k, v);
  return url.toString();
}
