import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { forTheLog, guardedFetch, LIMITS, OutboundRefused } from './guarded-fetch';

/** What the tool needs to ask a platform for an access token (the tool's own key for that registration). */
export interface PlatformCredentials {
  tokenUrl: string;
  audience: string;
  clientId: string;
  kid: string;
  privateKey: string;
}
export type CredentialSource = (issuer: string, clientId: string) => Promise<PlatformCredentials>;

export interface PlatformTarget {
  issuer: string;
  clientId: string;
}

export interface PlatformRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  accept?: string;
  contentType?: string;
  body?: unknown;
}

export interface PlatformResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Why a call to the VLE failed, and whether trying again later could help. The message is words for a page; what
 * the VLE itself said is in `detail`, cut short, for the log only (a VLE's answer is never shown to anyone).
 */
export class PlatformCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface PlatformClientOptions {
  credentials: CredentialSource;
  timeoutMs?: number; // every call, token requests included
  now?: () => number;
}

export interface PlatformClient {
  call(target: PlatformTarget, scopes: string[], request: PlatformRequest): Promise<PlatformResponse>;
  forgetTokens(): void;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

const EXPIRY_MARGIN_MS = 30_000; // refresh a little early so a token never expires mid-call

/** Calls AGS/NRPS with a client-credentials token cached per platform + scopes; a 401 refreshes once. */
export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const tokens = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<CachedToken>>();

  const keyOf = (t: PlatformTarget, scopes: string[]) => `${t.issuer}\n${t.clientId}\n${[...scopes].sort().join(' ')}`;

  async function fetchToken(target: PlatformTarget, scopes: string[]): Promise<CachedToken> {
    const creds = await options.credentials(target.issuer, target.clientId);
    const assertion = jwt.sign({ iss: creds.clientId, sub: creds.clientId, aud: creds.audience, jti: randomUUID() }, creds.privateKey, {
      algorithm: 'RS256',
      keyid: creds.kid,
      expiresIn: 300,
    });
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: scopes.join(' '),
    });
    const res = await send({ method: 'POST', url: creds.tokenUrl, contentType: 'application/x-www-form-urlencoded', accept: 'application/json', body: form.toString() }, undefined, LIMITS.token);
    if (res.status !== 200) throw failure('the token endpoint', res);
    const body = res.body as { access_token?: string; expires_in?: number };
    if (!body?.access_token) throw new PlatformCallError('The VLE token endpoint answered without an access token.', true, res.status);
    const lifetimeMs = (Number(body.expires_in) || 3600) * 1000;
    return { accessToken: body.access_token, expiresAt: now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, 1000) };
  }

  async function token(target: PlatformTarget, scopes: string[], fresh: boolean): Promise<string> {
    const key = keyOf(target, scopes);
    const cached = tokens.get(key);
    if (!fresh && cached && cached.expiresAt > now()) return cached.accessToken;
    let pending = inFlight.get(key);
    if (!pending) {
      // One token request per platform + scopes at a time, however many posts are waiting.
      pending = fetchToken(target, scopes).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    const got = await pending;
    tokens.set(key, got);
    return got.accessToken;
  }

  async function send(request: PlatformRequest, accessToken?: string, maxBytes = LIMITS.service): Promise<PlatformResponse> {
    const headers: Record<string, string> = {};
    if (request.accept) headers.Accept = request.accept;
    if (request.contentType) headers['Content-Type'] = request.contentType;
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    let res: { status: number; headers: Headers; text: string };
    try {
      res = await guardedFetch(request.url, { method: request.method, headers, body, timeoutMs, maxBytes });
    } catch (e) {
      const err = e as Error;
      const reason = err instanceof OutboundRefused ? err.reason : 'network';
      const message =
        reason === 'timeout' ? `The VLE did not answer within ${timeoutMs / 1000} seconds.`
        : reason === 'too-large' ? 'The VLE sent an answer larger than the tool accepts.'
        : reason === 'address' || reason === 'scheme' ? 'The VLE gave an address the tool does not call (a private or local address, or not http).'
        : 'Could not reach the VLE.';
      throw new PlatformCallError(message, reason === 'timeout' || reason === 'network', undefined, undefined, forTheLog(err.message));
    }
    const text = res.text;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  return {
    async call(target, scopes, request) {
      let res = await send(request, await token(target, scopes, false));
      if (res.status === 401) res = await send(request, await token(target, scopes, true));
      if (res.status >= 200 && res.status < 300) return res;
      throw failure(`${request.method} ${new URL(request.url).pathname}`, res);
    },
    forgetTokens() {
      tokens.clear();
    },
  };
}

function failure(what: string, res: PlatformResponse): PlatformCallError {
  const retryAfter = retryAfterMs(res.headers.get('retry-after'));
  // 408, 429, 5xx and auth trouble can pass; other 4xx mean the request itself is wrong.
  const retryable = res.status === 408 || res.status === 429 || res.status === 401 || res.status >= 500;
  return new PlatformCallError(`The VLE answered ${res.status} to ${what}.`, retryable, res.status, retryAfter, describeBody(res.body));
}

function describeBody(body: unknown): string {
  if (!body) return '';
  if (typeof body === 'string') return forTheLog(body);
  const b = body as { error_description?: string; error?: string; message?: string };
  return forTheLog(String(b.error_description ?? b.message ?? b.error ?? ''));
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The production source: ltijs keeps each registration's key pair and endpoints. */
export function ltijsCredentials(lti: {
  getPlatform(url: string, clientId: string): Promise<unknown>;
}): CredentialSource {
  return async (issuer, clientId) => {
    const p = (await lti.getPlatform(issuer, clientId)) as {
      platformAccessTokenEndpoint(): Promise<string>;
      platformAuthorizationServer(): Promise<string>;
      platformKid(): Promise<string>;
      platformPrivateKey(): Promise<string>;
    } | false;
    if (!p) throw new PlatformCallError(`This platform (${issuer}) is not registered with the tool any more.`, false);
    const [tokenUrl, audience, kid, privateKey] = await Promise.all([
      p.platformAccessTokenEndpoint(),
      p.platformAuthorizationServer(),
      p.platformKid(),
      p.platformPrivateKey(),
    ]);
    return { tokenUrl, audience, clientId, kid, privateKey };
  };
}
