import { createPublicKey, type KeyObject } from 'node:crypto';
import { guardedFetch, jsonOf, LIMITS } from '../vle/guarded-fetch';

/** A platform's signing keys, from its JWKS URL (cached briefly, fetched again when a kid is new) or stored with it. */
export interface AuthConfig {
  method: string; // JWK_SET | JWK_KEY | RSA_KEY (ltijs's names)
  key: string | Record<string, unknown>;
}

interface Jwk {
  kid?: string;
  kty?: string;
  [k: string]: unknown;
}

const CACHE_MS = 5 * 60_000;
const REFETCH_GAP_MS = 2_000; // an unknown kid refetches, but not on every forged request
const cache = new Map<string, { keys: Jwk[]; fetchedAt: number }>();
const keyObjects = new WeakMap<Jwk, KeyObject>(); // converting a JWK costs more than verifying with it

function keyObject(jwk: Jwk): KeyObject {
  let key = keyObjects.get(jwk);
  if (!key) {
    key = createPublicKey({ key: jwk as never, format: 'jwk' });
    keyObjects.set(jwk, key);
  }
  return key;
}

async function fetchJwks(url: string): Promise<Jwk[]> {
  const res = await guardedFetch(url, { timeoutMs: 5_000, maxBytes: LIMITS.keys, headers: { accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`JWKS ${url} answered ${res.status}`);
  const body = jsonOf(res) as { keys?: unknown } | undefined;
  if (!body || !Array.isArray(body.keys)) throw new Error(`JWKS ${url} has no keys`);
  return body.keys as Jwk[];
}

async function jwksKey(url: string, kid: string): Promise<Jwk | undefined> {
  const now = Date.now();
  let entry = cache.get(url);
  if (!entry || now - entry.fetchedAt > CACHE_MS) {
    entry = { keys: await fetchJwks(url), fetchedAt: now };
    cache.set(url, entry);
  }
  let found = entry.keys.find((k) => k.kid === kid);
  if (!found && now - entry.fetchedAt > REFETCH_GAP_MS) {
    entry = { keys: await fetchJwks(url), fetchedAt: Date.now() };
    cache.set(url, entry);
    found = entry.keys.find((k) => k.kid === kid);
  }
  return found;
}

/** The public key that should have signed a token with this kid, or null when the platform has no such key. */
export async function platformKey(auth: AuthConfig, kid: string | undefined): Promise<KeyObject | null> {
  switch (auth.method) {
    case 'JWK_SET': {
      if (!kid || typeof auth.key !== 'string') return null;
      const jwk = await jwksKey(auth.key, kid);
      return jwk ? keyObject(jwk) : null;
    }
    case 'JWK_KEY': {
      const jwk = (typeof auth.key === 'string' ? JSON.parse(auth.key) : auth.key) as Jwk;
      if (jwk.kid && kid && jwk.kid !== kid) return null;
      return createPublicKey({ key: jwk as never, format: 'jwk' });
    }
    case 'RSA_KEY':
      return typeof auth.key === 'string' ? createPublicKey(auth.key) : null;
    default:
      return null;
  }
}
