import type { Express, Request, Response } from 'express';
import { SCOPES, type PlatformContext } from './context';
import { FaultQueue } from './faults';
import { decodeJwt, nowSeconds, randomId, verifyWithJwks } from './keys';

export interface IssuedToken {
  accessToken: string;
  clientId: string;
  scopes: string[];
  expiresAt: number; // ms
  revoked: boolean;
}

export interface TokenRequestRecord {
  at: number;
  body: Record<string, string>;
  /** The assertion's claims, when it could be decoded. */
  assertion?: Record<string, unknown>;
  status: number;
  answer: unknown;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The OAuth 2 token endpoint (client_credentials + private_key_jwt) and the tokens it has issued. */
export class TokenService {
  readonly requests: TokenRequestRecord[] = [];
  readonly issued = new Map<string, IssuedToken>();
  readonly faults = new FaultQueue();
  /** expires_in of the next tokens, in seconds. */
  expiresIn = 3600;
  private readonly seenJti = new Set<string>();

  constructor(private readonly ctx: PlatformContext) {}

  /** Answer 500 (or `status`) to the next `times` token requests. */
  failNext(times = 1, status = 500): void {
    this.faults.failNext(times, status);
  }

  /** Checks a request's `Authorization: Bearer` token; the answer says why it fails. */
  check(req: Request, anyOf: string[]): { ok: true; token: IssuedToken } | { ok: false; reason: string } {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return { ok: false, reason: 'no bearer token' };
    const token = this.issued.get(m[1]);
    if (!token) return { ok: false, reason: 'unknown access token' };
    if (token.revoked) return { ok: false, reason: 'access token revoked' };
    if (token.expiresAt <= Date.now()) return { ok: false, reason: 'access token expired' };
    if (!anyOf.some((s) => token.scopes.includes(s))) return { ok: false, reason: `token lacks scope (${anyOf.join(' or ')})` };
    return { ok: true, token };
  }

  revoke(accessToken: string): void {
    const t = this.issued.get(accessToken);
    if (t) t.revoked = true;
  }

  /** Issues a token directly (for tests of AGS/NRPS that do not go through a tool). */
  issue(clientId: string, scopes: string[] = Object.values(SCOPES), expiresIn = this.expiresIn): IssuedToken {
    const token: IssuedToken = { accessToken: `at-${randomId(16)}`, clientId, scopes, expiresAt: Date.now() + expiresIn * 1000, revoked: false };
    this.issued.set(token.accessToken, token);
    return token;
  }

  mount(app: Express): void {
    app.post('/token', (req, res) => {
      void this.handle(req, res);
    });
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, string>;
    const record: TokenRequestRecord = { at: Date.now(), body, status: 0, answer: undefined };
    try {
      record.assertion = body.client_assertion ? decodeJwt(body.client_assertion).payload : undefined;
    } catch {
      record.assertion = undefined;
    }
    this.requests.push(record);
    const answer = (status: number, json: unknown) => {
      record.status = status;
      record.answer = json;
      res.status(status).set('Cache-Control', 'no-store').json(json);
    };
    if (await this.faults.gate(req, res)) {
      record.status = res.headersSent ? res.statusCode : 0;
      return;
    }
    const refuse = (error: string, description: string, status = 400) => answer(status, { error, error_description: description });

    if (!req.is('application/x-www-form-urlencoded')) return refuse('invalid_request', 'body must be application/x-www-form-urlencoded');
    if (body.grant_type !== 'client_credentials') return refuse('unsupported_grant_type', 'grant_type must be client_credentials');
    if (body.client_assertion_type !== ASSERTION_TYPE) return refuse('invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}`);
    if (!body.client_assertion) return refuse('invalid_request', 'client_assertion is missing');
    const claims = record.assertion;
    if (!claims) return refuse('invalid_client', 'client_assertion is not a JWT', 401);
    const clientId = String(claims.iss ?? '');
    const client = this.ctx.clients.get(clientId);
    if (!client) return refuse('invalid_client', `unknown client ${clientId}`, 401);
    if (claims.sub !== clientId) return refuse('invalid_client', 'sub must equal iss (the client id)', 401);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(this.ctx.url('/token'))) return refuse('invalid_client', 'aud must name the token endpoint', 401);
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds()) return refuse('invalid_client', 'assertion expired or without exp', 401);
    if (typeof claims.iat === 'number' && claims.iat > nowSeconds() + 60) return refuse('invalid_client', 'assertion iat in the future', 401);
    if (!claims.jti) return refuse('invalid_client', 'assertion has no jti', 401);
    if (this.seenJti.has(`${clientId}:${String(claims.jti)}`)) return refuse('invalid_client', 'jti already used', 401);

    let jwks: { keys?: [] };
    try {
      const r = await fetch(client.jwksUrl);
      if (!r.ok) return refuse('invalid_client', `tool JWKS answered ${r.status}`, 401);
      jwks = (await r.json()) as { keys?: [] };
    } catch (e) {
      return refuse('invalid_client', `tool JWKS unreachable: ${(e as Error).message}`, 401);
    }
    const verified = verifyWithJwks(body.client_assertion, jwks);
    if (!verified.ok) return refuse('invalid_client', verified.reason, 401);
    this.seenJti.add(`${clientId}:${String(claims.jti)}`);

    const requested = String(body.scope ?? '').split(/\s+/).filter(Boolean);
    const granted = requested.filter((s) => client.scopes.includes(s));
    if (!requested.length || granted.length !== requested.length) {
      return refuse('invalid_scope', `scope not allowed: ${requested.filter((s) => !granted.includes(s)).join(' ') || '(none asked)'}`);
    }
    const token = this.issue(clientId, granted);
    answer(200, { access_token: token.accessToken, token_type: 'Bearer', expires_in: this.expiresIn, scope: granted.join(' ') });
  }
}
