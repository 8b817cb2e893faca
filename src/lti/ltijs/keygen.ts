import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * ltijs 5.9 makes each registration's 4096-bit RSA key pair with generateKeyPairSync, blocking the event loop
 * for 0.6-2 s (every request waits, /healthz too). This replaces only Auth.generatePlatformKeyPair with the same
 * steps (a unique kid, the same key type and encodings, stored the same way) but generateKeyPair, which runs on
 * libuv's thread pool. ltijs's file is not edited; applied once per process.
 */
const makeKeyPair = promisify(generateKeyPair);

interface LtijsDatabase {
  Get(key: unknown, collection: string, query: Record<string, unknown>): Promise<unknown>;
  Replace(key: unknown, collection: string, query: Record<string, unknown>, item: Record<string, unknown>, index: Record<string, unknown>): Promise<unknown>;
}

export function generateKeysOffTheEventLoop(): void {
  const Auth = require('ltijs/dist/Utils/Auth') as { generatePlatformKeyPair: unknown; __cmaltAsyncKeys?: true };
  if (Auth.__cmaltAsyncKeys) return;
  Auth.generatePlatformKeyPair = async (encryptionKey: unknown, db: LtijsDatabase, platformUrl: string, clientId: string): Promise<string> => {
    let kid = randomBytes(16).toString('hex');
    while (await db.Get(false, 'publickey', { kid })) kid = randomBytes(16).toString('hex');
    const { publicKey, privateKey } = await makeKeyPair('rsa', {
      modulusLength: 4096,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const where = { platformUrl, clientId };
    await db.Replace(encryptionKey, 'publickey', where, { key: publicKey, kid }, { kid, platformUrl, clientId });
    await db.Replace(encryptionKey, 'privatekey', where, { key: privateKey, kid }, { kid, platformUrl, clientId });
    return kid;
  };
  Auth.__cmaltAsyncKeys = true;
}
