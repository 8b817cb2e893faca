import { createSecretKey, type KeyObject } from 'node:crypto';

/**
 * perf: ltijs signs and verifies every ltik with our LTI key as a string, and jsonwebtoken tries a string as a
 * PEM private key and then a public key (two failed parses, ~0.8 ms) before using it as the HMAC secret it is.
 * This hands jsonwebtoken the same secret as a KeyObject for exactly that string; tokens, default algorithms
 * (HS256 to sign; HS256/384/512 to verify) and errors are what they were. Applied once per process.
 */
const hmacSecrets = new Map<string, KeyObject>();

export function useKeyObjectForSecret(secret: string): void {
  if (!hmacSecrets.has(secret)) hmacSecrets.set(secret, createSecretKey(Buffer.from(secret)));
  const jwt = require('jsonwebtoken') as { sign: (...a: unknown[]) => unknown; verify: (...a: unknown[]) => unknown; __cmaltHmac?: true };
  if (jwt.__cmaltHmac) return;
  const swap = (fn: (...a: unknown[]) => unknown) =>
    function withKeyObject(this: unknown, token: unknown, key: unknown, ...rest: unknown[]) {
      const keyObject = typeof key === 'string' ? hmacSecrets.get(key) : undefined;
      return fn.call(this, token, keyObject ?? key, ...rest);
    };
  jwt.sign = swap(jwt.sign);
  jwt.verify = swap(jwt.verify);
  jwt.__cmaltHmac = true;
}
