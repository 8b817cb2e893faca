/** Shared by the durability tests: temp data directories and log capture. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cmalt-${label}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface CapturedLog {
  warnings: string[];
  log: { warn(obj: unknown, msg?: string): void; info(obj: unknown, msg?: string): void };
}

export function captureLog(): CapturedLog {
  const warnings: string[] = [];
  return {
    warnings,
    log: {
      warn: (obj, msg) => void warnings.push(`${msg ?? ''} ${JSON.stringify(obj)}`),
      info: () => undefined,
    },
  };
}

/** The journal file of the current generation (there is exactly one while a server is open). */
export function journalFile(dir: string): string {
  const names = fs.readdirSync(dir).filter((n) => /^journal\.\d+\.bson$/.test(n));
  if (names.length !== 1) throw new Error(`expected one journal in ${dir}, found ${names.join(', ') || 'none'}`);
  return path.join(dir, names[0]);
}

/** Copies a live data directory: the image a crash at this instant would leave behind. */
export function crashImage(dir: string, label: string): string {
  const copy = tempDataDir(label);
  for (const name of fs.readdirSync(dir)) {
    const from = path.join(dir, name);
    if (fs.statSync(from).isFile()) fs.copyFileSync(from, path.join(copy, name));
    else if (name === 'blobs') fs.cpSync(from, path.join(copy, name), { recursive: true }); // the binaries the journal refers to
  }
  return copy;
}
