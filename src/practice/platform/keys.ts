import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject, type JsonWebKey } from 'node:crypto';

/** An RS256 signing key with its public JWK, as a platform or a tool publishes it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
}

export function newSigningKey(kid = `k-${randomBytes(6).toString('hex')}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

export type JwtPayload = Record<string, unknown>;
export interface JwtHeader { alg: string; typ?: string; kid?: string; [k: string]: unknown }

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Signs a JWT exactly as given: no claim is added or checked, so forged tokens (expired, wrong kid,
 * signed by another key, alg none) are as easy to make as good ones.
 */
export function signJwt(payload: JwtPayload, key: KeyObject | null, header: JwtHeader): string {
  const input = `${b64url(JSON.stringify({ typ: 'JWT', ...header }))}.${b64url(JSON.stringify(payload))}`;
  if (header.alg === 'none' || !key) return `${input}.`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export interface DecodedJwt { header: JwtHeader; payload: JwtPayload; signature: string; signingInput: string }

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a JWT (expected three dot-separated parts)');
  const [h, p, s] = parts;
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
    signature: s,
    signingInput: `${h}.${p}`,
  };
}

/** True when `token` is RS256-signed by the key behind `jwk` (a public JWK or a KeyObject). */
export function verifyJwtSignature(token: string, key: KeyObject | JsonWebKey): boolean {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'RS256') return false;
  const publicKey = 'asymmetricKeyType' in key && typeof (key as KeyObject).export === 'function'
    ? (key as KeyObject)
    : createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  return verify('sha256', Buffer.from(decoded.signingInput), publicKey, Buffer.from(decoded.signature, 'base64url'));
}

/** Finds the key for `token` in a JWKS by kid and checks the signature; says why not when it fails. */
export function verifyWithJwks(token: string, jwks: { keys?: JsonWebKey[] }): { ok: true; payload: JwtPayload } | { ok: false; reason: string } {
  let decoded: DecodedJwt;
  try {
    decoded = decodeJwt(token);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (decoded.header.alg !== 'RS256') return { ok: false, reason: `alg ${decoded.header.alg} is not RS256` };
  const jwk = (jwks.keys ?? []).find((k) => (k as { kid?: string }).kid === decoded.header.kid);
  if (!jwk) return { ok: false, reason: `no key with kid ${String(decoded.header.kid)} in the JWKS` };
  try {
    if (!verifyJwtSignature(token, jwk)) return { ok: false, reason: 'signature does not verify' };
  } catch (e) {
    return { ok: false, reason: `key unusable: ${(e as Error).message}` };
  }
  return { ok: true, payload: decoded.payload };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const randomId = (bytes = 8) => randomBytes(bytes).toString('hex');
