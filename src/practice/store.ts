import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newSigningKey, type SigningKey } from './platform/keys';

/**
 * What the practice VLE keeps between starts, in DATA_DIR: its signing key (so the tool's registration of it stays
 * valid), the client id it gave the tool, and which sample course is current (a reset starts the next one).
 */
export interface PracticeState {
  key: SigningKey;
  clientId: string;
  deploymentId: string;
  generation: number;
}

interface Saved {
  kid: string;
  privateKeyPem: string;
  clientId: string;
  deploymentId: string;
  generation: number;
}

const FILE = 'practice-vle.json';

export function stateFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

function keyFrom(saved: Saved): SigningKey {
  const privateKey = createPrivateKey(saved.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  return { kid: saved.kid, privateKey, publicKey, publicJwk: { ...jwk, kid: saved.kid, alg: 'RS256', use: 'sig' } };
}

function isSaved(value: unknown): value is Saved {
  const v = value as Partial<Saved> | null;
  return Boolean(v && typeof v.kid === 'string' && typeof v.privateKeyPem === 'string' && typeof v.clientId === 'string' && typeof v.deploymentId === 'string' && Number.isInteger(v.generation));
}

/** The saved state, or a new key and ids when there is none (or the file is unreadable: a practice key is cheap). */
export function loadState(dataDir: string): PracticeState {
  const file = stateFile(dataDir);
  if (existsSync(file)) {
    try {
      const saved: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isSaved(saved)) return { key: keyFrom(saved), clientId: saved.clientId, deploymentId: saved.deploymentId, generation: saved.generation };
    } catch {
      // a damaged file: start again with a new key, and the registration follows it
    }
  }
  const state: PracticeState = { key: newSigningKey(), clientId: 'cmalt-portfolio-practice', deploymentId: 'practice-deployment', generation: 1 };
  saveState(dataDir, state);
  return state;
}

export function saveState(dataDir: string, state: PracticeState): void {
  const saved: Saved = {
    kid: state.key.kid,
    privateKeyPem: state.key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    clientId: state.clientId,
    deploymentId: state.deploymentId,
    generation: state.generation,
  };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(stateFile(dataDir), JSON.stringify(saved), { mode: 0o600 });
}

/** Production: a key left by a development run on the same DATA_DIR is deleted, so nothing could sign with it. */
export function forgetState(dataDir: string): void {
  rmSync(stateFile(dataDir), { force: true });
}
