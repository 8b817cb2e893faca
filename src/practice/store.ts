import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Held, LineItem, Score } from './platform/ags';
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
  /** The generation whose sample portfolios were written (a start skips the seeding when it is current). */
  seeded?: number;
}

interface Saved {
  kid: string;
  privateKeyPem: string;
  clientId: string;
  deploymentId: string;
  generation: number;
  seeded?: number;
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
      if (isSaved(saved)) return { key: keyFrom(saved), clientId: saved.clientId, deploymentId: saved.deploymentId, generation: saved.generation, seeded: Number.isInteger(saved.seeded) ? saved.seeded : undefined };
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
    seeded: state.seeded,
  };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(stateFile(dataDir), JSON.stringify(saved), { mode: 0o600 });
}

/** Production: a key left by a development run on the same DATA_DIR is deleted, so nothing could sign with it. */
export function forgetState(dataDir: string): void {
  rmSync(stateFile(dataDir), { force: true });
  rmSync(gradebookFile(dataDir), { force: true });
}

/** The practice gradebook as kept between starts: line items, the scores received and what each row holds. */
export interface SavedGradebook {
  lineItems: LineItem[];
  scores: Array<[string, Array<Score & { lineItemId: string }>]>;
  held: Array<[string, Held]>;
}

const GRADEBOOK_FILE = 'practice-gradebook.json';

export function gradebookFile(dataDir: string): string {
  return path.join(dataDir, GRADEBOOK_FILE);
}

export function loadGradebook(dataDir: string): SavedGradebook | undefined {
  const file = gradebookFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedGradebook>;
    if (Array.isArray(saved.lineItems) && Array.isArray(saved.scores) && Array.isArray(saved.held)) return saved as SavedGradebook;
  } catch {
    // damaged: the gradebook starts empty, and the tool's next scores fill it again
  }
  return undefined;
}

/** Written whole on each change (a practice course has a handful of rows), to a temporary file first, then renamed. */
export function saveGradebook(dataDir: string, gradebook: SavedGradebook): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = gradebookFile(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(gradebook), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
