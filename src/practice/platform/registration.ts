import type { Express, Request, Response } from 'express';
import { ALL_SCOPES, TOOL_CONFIG, type PlatformContext } from './context';
import { randomId } from './keys';
import { recordOf } from './record';
import type { RecordedCall, RegisteredClient } from './types';

export interface AddClientInput {
  clientId?: string;
  name?: string;
  redirectUris?: string[];
  jwksUrl: string;
  loginUrl: string;
  targetLinkUri: string;
  deploymentIds?: string[];
  scopes?: string[];
}

export interface RegisterWithToolAnswer {
  status: number;
  html: string;
  registrationToken: string;
  /** The client the tool registered during this call, if it did. */
  client?: RegisteredClient;
}

/** What an installer types into the tool when registering this platform by hand. */
export interface RegistrationDetails {
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUrl: string;
  deploymentId: string;
  openIdConfigurationUrl: string;
}

/** LTI Dynamic Registration 1.0 (platform side) and registration by hand. */
export class Registrations {
  readonly calls: RecordedCall[] = [];
  private readonly tokens = new Map<string, { used: boolean; expiresAt: number }>();

  constructor(private readonly ctx: PlatformContext) {}

  /** A registration token the VLE hands to the tool (one registration, valid for `ttlSeconds`). */
  newRegistrationToken(ttlSeconds = 600): string {
    const token = `reg-${randomId(16)}`;
    this.tokens.set(token, { used: false, expiresAt: Date.now() + ttlSeconds * 1000 });
    return token;
  }

  addClient(input: AddClientInput): RegisteredClient {
    const client: RegisteredClient = {
      clientId: input.clientId ?? `client-${randomId(6)}`,
      name: input.name,
      redirectUris: input.redirectUris ?? [input.targetLinkUri],
      jwksUrl: input.jwksUrl,
      loginUrl: input.loginUrl,
      targetLinkUri: input.targetLinkUri,
      deploymentIds: input.deploymentIds ?? [`deployment-${randomId(4)}`],
      scopes: input.scopes ?? ALL_SCOPES,
    };
    this.ctx.clients.set(client.clientId, client);
    return client;
  }

  /** Adds a deployment (a new placement of the same tool) and returns its id. */
  addDeployment(clientId?: string, deploymentId = `deployment-${randomId(4)}`): string {
    this.ctx.client(clientId).deploymentIds.push(deploymentId);
    return deploymentId;
  }

  registrationDetailsForTool(clientId?: string): RegistrationDetails {
    const client = this.ctx.client(clientId);
    return {
      issuer: this.ctx.issuer,
      clientId: client.clientId,
      authorizationEndpoint: this.ctx.url('/auth'),
      tokenEndpoint: this.ctx.url('/token'),
      jwksUrl: this.ctx.url('/jwks'),
      deploymentId: client.deploymentIds[0],
      openIdConfigurationUrl: this.ctx.url('/.well-known/openid-configuration'),
    };
  }

  /** Opens the tool's registration URL as the VLE's iframe would, and returns the tool's page. */
  async registerWithTool(toolRegisterUrl: string, { registrationToken = this.newRegistrationToken() } = {}): Promise<RegisterWithToolAnswer> {
    const before = new Set(this.ctx.clients.keys());
    const url = new URL(toolRegisterUrl);
    url.searchParams.set('openid_configuration', this.ctx.url('/.well-known/openid-configuration'));
    url.searchParams.set('registration_token', registrationToken);
    const res = await fetch(url, { redirect: 'follow', headers: { Accept: 'text/html' } });
    const html = await res.text();
    const client = [...this.ctx.clients.values()].find((c) => !before.has(c.clientId));
    return { status: res.status, html, registrationToken, client };
  }

  mount(app: Express): void {
    app.all('/register', (req, res) => this.handle(req, res));
  }

  private handle(req: Request, res: Response): void {
    const call = recordOf(req);
    this.calls.push(call);
    res.on('finish', () => { call.status = res.statusCode; });
    const refuse = (status: number, error: string, description: string) => res.status(status).json({ error, error_description: description });
    if (req.method !== 'POST') return void refuse(405, 'invalid_request', 'POST the client registration');
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const token = m ? this.tokens.get(m[1]) : undefined;
    if (!token) return void refuse(401, 'invalid_token', 'registration token missing or unknown');
    if (token.used) return void refuse(401, 'invalid_token', 'registration token already used');
    if (token.expiresAt < Date.now()) return void refuse(401, 'invalid_token', 'registration token expired');
    if (!req.is('application/json')) return void refuse(400, 'invalid_client_metadata', 'body must be application/json');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const conf = (b[TOOL_CONFIG] ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const isUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\//.test(v);
    if (b.application_type !== undefined && b.application_type !== 'web') problems.push('application_type must be web');
    if (!Array.isArray(b.redirect_uris) || !b.redirect_uris.length || !b.redirect_uris.every(isUrl)) problems.push('redirect_uris must be a non-empty array of URLs');
    if (!isUrl(b.initiate_login_uri)) problems.push('initiate_login_uri is required');
    if (!isUrl(b.jwks_uri)) problems.push('jwks_uri is required');
    if (!Array.isArray(b.grant_types) || !b.grant_types.includes('implicit') || !b.grant_types.includes('client_credentials')) problems.push('grant_types must include implicit and client_credentials');
    if (!Array.isArray(b.response_types) || !b.response_types.includes('id_token')) problems.push('response_types must include id_token');
    if (b.token_endpoint_auth_method !== 'private_key_jwt') problems.push('token_endpoint_auth_method must be private_key_jwt');
    if (!b[TOOL_CONFIG]) problems.push(`${TOOL_CONFIG} is required`);
    else {
      if (!isUrl(conf.target_link_uri)) problems.push('tool configuration target_link_uri is required');
      if (!Array.isArray(conf.claims)) problems.push('tool configuration claims must be an array');
      if (!Array.isArray(conf.messages)) problems.push('tool configuration messages must be an array');
    }
    if (problems.length) return void refuse(400, 'invalid_client_metadata', problems.join('; '));
    token.used = true;
    const scopes = String(b.scope ?? '').split(/\s+/).filter((s) => ALL_SCOPES.includes(s));
    const client = this.addClient({
      name: typeof b.client_name === 'string' ? b.client_name : undefined,
      redirectUris: b.redirect_uris as string[],
      jwksUrl: b.jwks_uri as string,
      loginUrl: b.initiate_login_uri as string,
      targetLinkUri: conf.target_link_uri as string,
      scopes,
    });
    Object.assign(client, { registration: b, messages: conf.messages, claims: conf.claims });
    res.status(200).json({
      ...b,
      client_id: client.clientId,
      registration_client_uri: this.ctx.url(`/register/${client.clientId}`),
      scope: scopes.join(' '),
      [TOOL_CONFIG]: { ...conf, deployment_id: client.deploymentIds[0] },
    });
  }
}
