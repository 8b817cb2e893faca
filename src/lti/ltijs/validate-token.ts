import { shortLived } from '../../http/short-lived';
import { platformKey } from '../platform-keys';

/**
 * ltijs 5.9 fetches a platform's JWKS over HTTP on every launch (no cache) and verifies with a PEM string
 * (~1.4 ms per jwt.verify against ~12 µs for a KeyObject). This replaces only the key lookup of
 * Auth.validateToken with our cached one (platform-keys.ts: cached per JWKS URL, fetched again on an unknown
 * kid, so key rotation works); every check ltijs makes (iss against the state cookie, registered and active
 * platform, kid, signature, alg, aud/azp, max age, nonce single use, LTI claims) is made exactly as before,
 * by ltijs's own verifyToken. ltijs's file is not edited; the patch is applied once per process.
 */
interface AuthClass {
  validateToken: (...args: unknown[]) => Promise<unknown>;
  verifyToken: (token: string, key: unknown, params: Record<string, unknown>, platform: unknown, db: unknown) => Promise<unknown>;
  __cmaltKeyCache?: true;
}

interface Platform {
  platformActive(): Promise<boolean>;
  platformAuthConfig(): Promise<{ method: string; key: string | Record<string, unknown> }>;
}

type GetPlatform = (iss: unknown, aud: unknown, encryptionKey: unknown, db: unknown) => Promise<Platform | false | undefined>;

/**
 * perf: the platform our own pre-check (launch-guard.ts) found for an id_token it accepted, handed to ltijs's
 * validation of that same token a moment later so the platform and its status are not read twice. An entry is
 * set only after every pre-check passed, is taken (deleted) by the first validation of that token, and lapses
 * after SHARE_TTL_MS; without one ltijs looks the platform up itself, as before.
 */
const SHARE_TTL_MS = 10_000;
const SHARE_MAX = 1_000;
const checkedPlatforms = shortLived<Platform>(SHARE_MAX, SHARE_TTL_MS);

export function shareCheckedPlatform(idToken: string, platform: Platform): void {
  checkedPlatforms.set(idToken, platform);
}

function takeCheckedPlatform(idToken: string): Platform | undefined {
  const platform = checkedPlatforms.get(idToken);
  checkedPlatforms.delete(idToken);
  return platform;
}

export function installLtijsKeyCache(): void {
  const jwt = require('jsonwebtoken') as typeof import('jsonwebtoken');
  const Auth = require('ltijs/dist/Utils/Auth') as AuthClass;
  if (Auth.__cmaltKeyCache) return;
  const original = Auth.validateToken;
  Auth.validateToken = async function validateToken(
    this: AuthClass,
    token: string,
    devMode: boolean,
    validationParameters: Record<string, unknown>,
    getPlatform: GetPlatform,
    ENCRYPTIONKEY: unknown,
    Database: unknown,
  ): Promise<unknown> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') throw new Error('INVALID_JWT_RECEIVED');
    const payload = decoded.payload;
    const kid = decoded.header.kid;
    validationParameters.alg = decoded.header.alg;
    if (!validationParameters.iss) {
      if (!devMode) throw new Error('MISSING_VALIDATION_COOKIE');
    } else if (validationParameters.iss !== payload.iss) throw new Error('ISS_CLAIM_DOES_NOT_MATCH');
    // the pre-check chose among several auds by azp; ltijs takes the first registered one: share only when there is one aud
    const singleAud = !Array.isArray(payload.aud) || payload.aud.length === 1;
    const shared = takeCheckedPlatform(token);
    let platform: Platform | false | undefined = singleAud ? shared : undefined;
    if (!platform) {
      if (!Array.isArray(payload.aud)) platform = await getPlatform(payload.iss, payload.aud, ENCRYPTIONKEY, Database);
      else {
        for (const aud of payload.aud) {
          platform = await getPlatform(payload.iss, aud, ENCRYPTIONKEY, Database);
          if (platform) break;
        }
      }
      if (!platform) throw new Error('UNREGISTERED_PLATFORM');
      if (!(await platform.platformActive())) throw new Error('PLATFORM_NOT_ACTIVATED');
    } // else: found registered and active by the pre-check of this very request
    const authConfig = await platform.platformAuthConfig();
    if (authConfig.method !== 'JWK_SET') {
      // stored keys: ltijs's own path, unchanged
      return original.call(this, token, devMode, validationParameters, getPlatform, ENCRYPTIONKEY, Database);
    }
    if (!kid) throw new Error('KID_NOT_FOUND');
    const key = await platformKey(authConfig, kid);
    if (!key) throw new Error('KEY_NOT_FOUND');
    return this.verifyToken(token, key, validationParameters, platform, Database);
  } as AuthClass['validateToken'];
  Auth.__cmaltKeyCache = true;
}
