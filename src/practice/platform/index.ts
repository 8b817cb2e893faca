import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AgsStore } from './ags';
import { PlatformContext, SCOPES } from './context';
import { mountDeepLinkingReturn, type DeepLinkingReturn } from './deep-linking';
import { People, prepareLaunch } from './launches';
import { NrpsStore, type MemberInput } from './nrps';
import { mountOidc, openIdConfiguration } from './oidc';
import { recordOf } from './record';
import { Registrations, type AddClientInput, type RegisterWithToolAnswer, type RegistrationDetails } from './registration';
import { TokenService } from './token';
import { PROFILES, type VleProfile } from './profiles';
import type { LaunchOptions, PlatformCourse, PlatformUser, PreparedLaunch, RecordedCall, RegisteredClient } from './types';

export * from './types';
export { SCOPES } from './context';
export { decodeJwt, signJwt, verifyWithJwks, newSigningKey } from './keys';
export { roleUri } from './launches';
export type { MemberInput } from './nrps';
export type { LineItem, Score } from './ags';
export type { DeepLinkingReturn } from './deep-linking';
export { PROFILES, REAL_VLES, type VleProfile } from './profiles';

export interface TestPlatformOptions {
  /** Which VLE to behave like (profiles.ts); default 'generic', the platform as it was before profiles. */
  profile?: VleProfile['id'];
  /** Shown in the OpenID configuration and the tool_platform claim (default 'cmalt-test-vle'). */
  productFamilyCode?: string;
  /** NRPS page size (default 100). */
  nrpsPageSize?: number;
  /** Merged over the OpenID configuration from the start (e.g. a mismatching issuer). */
  openIdOverrides?: Record<string, unknown>;
}

export interface TestPlatform {
  /** The VLE this platform behaves like. */
  profile: VleProfile;
  baseUrl: string;
  issuer: string;
  urls: { openIdConfiguration: string; jwks: string; auth: string; token: string; register: string };
  /** The platform's public key and a rogue key (never served) for forgery tests. */
  keys: { kid: string; rogueKid: string };
  user(over?: Partial<PlatformUser>): PlatformUser;
  course(over?: Partial<PlatformCourse>): PlatformCourse;
  prepareLaunch(options?: LaunchOptions): PreparedLaunch;
  /** The launch /auth answered last: its id_token and state (to re-POST in a replay test). */
  readonly lastLaunch: PreparedLaunch | undefined;
  /** URL of a VLE course page framing the tool for `launch` (for browser tests). */
  coursePageUrl(launch: PreparedLaunch, opts?: { pageHost?: string; frameHost?: string }): string;
  clients: Map<string, RegisteredClient>;
  client(clientId?: string): RegisteredClient;
  addClient(input: AddClientInput): RegisteredClient;
  addDeployment(clientId?: string, deploymentId?: string): string;
  newRegistrationToken(ttlSeconds?: number): string;
  registerWithTool(toolRegisterUrl: string, opts?: { registrationToken?: string }): Promise<RegisterWithToolAnswer>;
  registrationDetailsForTool(clientId?: string): RegistrationDetails;
  /** Merge values over the OpenID configuration (e.g. `{ issuer: 'https://elsewhere.example' }`). */
  setOpenIdOverrides(overrides: Record<string, unknown>): void;
  openIdConfiguration(): Record<string, unknown>;
  token: TokenService;
  ags: AgsStore;
  nrps: NrpsStore;
  setMembers(contextId: string, members: MemberInput[]): void;
  registrations: Registrations;
  deepLinkReturns: DeepLinkingReturn[];
  calls: RecordedCall[];
  unexpectedCalls: RecordedCall[];
  assertNoUnexpectedCalls(): void;
  close(): Promise<void>;
}

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const profile = PROFILES[options.profile ?? 'generic'];
  const ctx = new PlatformContext(options.productFamilyCode ?? profile.productFamilyCode, profile);
  const people = new People(ctx);
  const token = new TokenService(ctx);
  const ags = new AgsStore(ctx, token);
  const nrps = new NrpsStore(ctx, token, options.nrpsPageSize);
  const registrations = new Registrations(ctx);
  const deepLinkReturns: DeepLinkingReturn[] = [];
  ctx.openIdOverrides = { ...options.openIdOverrides };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false }));
  app.use(express.json({ type: ['application/json', 'application/*+json'] }));
  app.use((req, _res, next) => {
    ctx.calls.push(recordOf(req));
    next();
  });
  mountOidc(app, ctx, ags);
  token.mount(app);
  registrations.mount(app);
  ags.mount(app);
  nrps.mount(app);
  mountDeepLinkingReturn(app, ctx, deepLinkReturns);
  app.use((req, res) => {
    ctx.unexpected.push(recordOf(req));
    res.status(404).json({ error: `test platform does not serve ${req.method} ${req.path}` });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  ctx.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    profile,
    baseUrl: ctx.baseUrl,
    issuer: ctx.issuer,
    urls: {
      openIdConfiguration: ctx.url('/.well-known/openid-configuration'),
      jwks: ctx.url('/jwks'),
      auth: ctx.url('/auth'),
      token: ctx.url('/token'),
      register: ctx.url('/register'),
    },
    keys: { kid: ctx.key.kid, rogueKid: ctx.rogueKey.kid },
    user: (over) => people.user(over),
    course: (over) => people.course(over),
    prepareLaunch: (opts) => prepareLaunch(ctx, people, ags, opts),
    get lastLaunch() {
      return ctx.lastLaunch;
    },
    coursePageUrl(launch, { pageHost, frameHost } = {}) {
      const url = new URL(ctx.url(`/course/${encodeURIComponent(launch.course.id)}/launch`));
      if (pageHost) url.hostname = pageHost;
      url.searchParams.set('hint', launch.hint);
      if (frameHost) url.searchParams.set('frameHost', frameHost);
      return url.toString();
    },
    clients: ctx.clients,
    client: (id) => ctx.client(id),
    addClient: (input) => registrations.addClient(input),
    addDeployment: (clientId, deploymentId) => registrations.addDeployment(clientId, deploymentId),
    newRegistrationToken: (ttl) => registrations.newRegistrationToken(ttl),
    registerWithTool: (url, opts) => registrations.registerWithTool(url, opts),
    registrationDetailsForTool: (clientId) => registrations.registrationDetailsForTool(clientId),
    setOpenIdOverrides(overrides) {
      ctx.openIdOverrides = { ...overrides };
    },
    openIdConfiguration: () => openIdConfiguration(ctx),
    token,
    ags,
    nrps,
    setMembers: (contextId, members) => nrps.set(contextId, members),
    registrations,
    deepLinkReturns,
    calls: ctx.calls,
    unexpectedCalls: ctx.unexpected,
    assertNoUnexpectedCalls() {
      if (ctx.unexpected.length) {
        const list = ctx.unexpected.map((c) => `  ${c.method} ${c.url}`).join('\n');
        throw new Error(`The test platform received ${ctx.unexpected.length} unexpected call(s):\n${list}`);
      }
    },
    async close() {
      for (const res of [...token.faults.hanging, ...ags.faults.hanging, ...nrps.faults.hanging]) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const ALL_SERVICE_SCOPES = Object.values(SCOPES);
