import fs from 'node:fs';
import path from 'node:path';

/**
 * The data directory holds every portfolio and the tool's encrypted keys: only the tool's own user
 * may read it. New files are created with these modes; an older directory is tightened on open.
 */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export function makePrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  fs.chmodSync(dir, PRIVATE_DIR);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) fs.chmodSync(path.join(dir, entry.name), PRIVATE_FILE);
  }
}
