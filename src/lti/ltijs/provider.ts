import type { Express, NextFunction, Request, Response } from 'express';
import { closeLtijsHttpClient } from './http-client';
import { generateKeysOffTheEventLoop } from './keygen';
import { installLtijsKeyCache } from './validate-token';

/** The parts of ltijs 5.9's Provider we use (it ships no types). */
export interface LtiPlatform {
  platformUrl(): Promise<string>;
  platformClientId(): Promise<string>;
  platformName(name?: string): Promise<string>;
  platformKid(): Promise<string>;
  platformId(): Promise<string>;
  platformActive(active?: boolean): Promise<boolean>;
  platformAuthConfig(): Promise<{ method: string; key: string }>;
  platformAuthEndpoint(): Promise<string>;
  platformAccessTokenEndpoint(): Promise<string>;
  platformAuthorizationServer(): Promise<string>;
  platformPublicKey(): Promise<string>;
  platformJSON(): Promise<Record<string, unknown>>;
  delete(): Promise<true>;
}

export interface PlatformRegistration {
  url: string;
  name: string;
  clientId: string;
  authenticationEndpoint: string;
  accesstokenEndpoint: string;
  authorizationServer?: string;
  authConfig: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; key: string };
}

type Handler = (req: Request, res: Response, next: NextFunction) => unknown;
type TokenHandler = (token: Record<string, unknown>, req: Request, res: Response, next: NextFunction) => unknown;

export interface LtiDatabase {
  Get(key: string | false, collection: string, query?: Record<string, unknown>): Promise<unknown[] | false>;
  Delete(collection: string, query: Record<string, unknown>): Promise<true>;
}

export interface LtiProvider {
  app: Express;
  Database: LtiDatabase;
  Grade: unknown;
  NamesAndRoles: unknown;
  DeepLinking: unknown;
  DynamicRegistration?: unknown;
  setup(key: string, database: { url: string; connection?: Record<string, unknown> }, options: Record<string, unknown>): LtiProvider;
  deploy(options: { serverless: boolean; silent?: boolean }): Promise<true>;
  close(options?: { silent?: boolean }): Promise<true>;
  onConnect(cb: TokenHandler): true;
  onDeepLinking(cb: TokenHandler): true;
  onDynamicRegistration(cb: Handler): true;
  onSessionTimeout(cb: Handler): true;
  onInvalidToken(cb: Handler): true;
  onUnregisteredPlatform(cb: Handler): true;
  onInactivePlatform(cb: Handler): true;
  whitelist(...routes: Array<string | RegExp | { route: string | RegExp; method: string }>): unknown;
  registerPlatform(platform: PlatformRegistration): Promise<LtiPlatform>;
  getPlatform(url: string, clientId: string): Promise<LtiPlatform | false>;
  getPlatform(url: string): Promise<LtiPlatform[] | false>;
  getPlatformById(id: string): Promise<LtiPlatform | false>;
  deletePlatform(url: string, clientId: string): Promise<true>;
  getAllPlatforms(): Promise<LtiPlatform[]>;
  redirect(res: Response, path: string, options?: { newResource?: boolean; query?: Record<string, string> }): Promise<void>;
  appRoute(): string;
  loginRoute(): string;
  keysetRoute(): string;
  dynRegRoute(): string;
}

/**
 * ltijs exports one Provider instance; a fresh one per app lets a process (a test file, the benchmark)
 * start the tool again after closing it. ltijs keeps its database on its own mongoose's default
 * connection, so only one tool may be open at a time in a process.
 */
export function newProvider(): LtiProvider {
  installLtijsKeyCache();
  closeLtijsHttpClient(); // every VLE call goes through src/vle/guarded-fetch.ts (http-client.ts)
  generateKeysOffTheEventLoop(); // a registration's RSA key pair is made on the thread pool (keygen.ts)
  const singleton = require('ltijs').Provider as object;
  const Ctor = Object.getPrototypeOf(singleton).constructor as new () => LtiProvider;
  return new Ctor();
}
