import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function start(env: Record<string, string>): { child: ChildProcess; out: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout!.on('data', (d) => out.push(String(d)));
  child.stderr!.on('data', (d) => out.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exited };
}

async function waitFor(out: string[], pattern: RegExp, ms = 30000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = out.join('').match(pattern);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${out.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start (src/server.ts)', () => {
  it('refuses a bad configuration with a readable list and exit code 1', async () => {
    const { out, exited } = start({ PORT: 'not-a-port', MONGODB_URI: 'http://nope' });
    expect(await exited).toBe(1);
    const text = out.join('');
    expect(text).toContain('cannot start');
    expect(text).toContain('PORT must be a whole number');
    expect(text).toContain('MONGODB_URI must start with mongodb://');
    expect(text).not.toMatch(/at \w+ \(/);
  });

  it('starts on the embedded database, answers /healthz and /readyz, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cmalt-server-'));
    try {
      const { child, out, exited } = start({ PORT: '0', DATA_DIR: dataDir });
      const port = (await waitFor(out, /"port":(\d+)[^\n]*is listening/))[1];
      expect(out.join('')).toContain('LTI_KEY is not set');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out.join('')).toContain('"msg":"stopped"');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
