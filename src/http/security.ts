import { randomBytes } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import helmet from 'helmet';

/** The origins allowed to frame the tool and receive its forms: the registered platforms, kept fresh. */
export interface PlatformOrigins {
  current(): string[];
  refresh(): Promise<void>;
}

/**
 * Keeps the list in memory, refreshed when told (after a registration change) and at most `maxAgeMs` stale,
 * so another instance's change reaches this one too. A failed refresh keeps the last good list.
 */
export function platformOrigins(load: () => Promise<string[]>, maxAgeMs = 30_000): PlatformOrigins {
  let origins: string[] = [];
  let loadedAt = 0;
  let inFlight: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    inFlight ??= load()
      .then((list) => {
        origins = [...new Set(list)].sort();
        loadedAt = Date.now();
      })
      .catch(() => {
        loadedAt = Date.now(); // try again after maxAgeMs, not on every request
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  return {
    current() {
      if (Date.now() - loadedAt > maxAgeMs) void refresh();
      return origins;
    },
    refresh,
  };
}

/** Helmet with a CSP whose frame-ancestors (and form-action, for deep-linking answers) list the platforms. */
export function securityHeaders(origins: PlatformOrigins, options: { https: boolean }): RequestHandler[] {
  const platforms = () => origins.current().join(' ');
  // an inline script that must run (an auto-submitting form back to the VLE) carries nonce="<%= cspNonce %>"
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  return [nonce, helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`],
        // the editor (Trix) adds its default <style> carrying the nonce it reads from <meta name="trix-csp-nonce">
        styleSrc: ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'", () => platforms()],
        frameAncestors: ["'self'", () => platforms()],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: false, // X-Frame-Options cannot list several VLEs; frame-ancestors does
    crossOriginOpenerPolicy: false, // dynamic registration posts back to the VLE window that opened us
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: options.https ? { maxAge: 15552000, includeSubDomains: false } : false,
  }), rememberSecurityHeaders];
}

/** For answers that are never pages (health checks, static files): framed by nobody, naming no VLE. */
export function plainSecurityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: options.https ? { maxAge: 15552000, includeSubDomains: false } : false,
  });
}

/** ltijs's own (older) helmet sets these where ours sets nothing; see securityHeadersAgain. */
const LTIJS_ONLY_HEADERS = ['Cross-Origin-Embedder-Policy', 'Cross-Origin-Opener-Policy', 'Strict-Transport-Security', 'X-Frame-Options'];

/** Where securityHeaders leaves the headers it set, for securityHeadersAgain. */
const SET_BY_US = 'securityHeadersSet';

/**
 * ltijs runs its own (older) helmet on its app, after ours: it sets Cross-Origin-Embedder-Policy:
 * require-corp (breaks VLE-hosted profile pictures), Cross-Origin-Opener-Policy: same-origin (cuts the VLE
 * window that opened dynamic registration off from its answer), HSTS on plain HTTP, and its own values over
 * ours. This puts back exactly what our pass set, with the same nonce (perf: helmet and the CSP once per request).
 */
export function securityHeadersAgain(security: RequestHandler[]): RequestHandler {
  const firstPass = Router().use(...security);
  return (req, res, next) => {
    for (const name of LTIJS_ONLY_HEADERS) res.removeHeader(name);
    const ours = res.locals[SET_BY_US] as Array<[string, string | number | string[]]> | undefined;
    if (!ours) return firstPass(req, res, next); // reached ltijs's app without our first pass
    for (const [name, value] of ours) res.setHeader(name, value);
    next();
  };
}

/** Remembers the headers our pass set (everything on the response at that point but the request id). */
export const rememberSecurityHeaders: RequestHandler = (_req, res, next) => {
  res.locals[SET_BY_US] = Object.entries(res.getHeaders()).filter(([name, value]) => name !== 'x-request-id' && value !== undefined);
  next();
};
