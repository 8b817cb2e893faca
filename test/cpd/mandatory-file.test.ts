import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadMandatoryTraining, MandatoryTrainingError } from '../../src/cpd';
import { checkLink, newNonce, signLink } from '../../src/http/signed-links';

test('the shipped mandatory training file loads with the policy’s items', () => {
  expect(loadMandatoryTraining().items.map((i) => i.id)).toContain('safeguarding-prevent');
});

test('a mandatory training file with errors is refused with every problem listed', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cpd-')), 'training.json');
  writeFileSync(file, JSON.stringify({ items: [{ id: 'GDPR!', title: '', renewalMonths: 0 }, { id: 'a', title: 'A', renewalMonths: 12 }, { id: 'a', title: 'B', renewalMonths: 1.5 }] }));
  let error: MandatoryTrainingError | undefined;
  try { loadMandatoryTraining(file); } catch (err) { error = err as MandatoryTrainingError; }
  expect(error).toBeInstanceOf(MandatoryTrainingError);
  expect(error!.problems).toEqual([
    'items.0.id must be 1 to 40 lower-case letters, digits or hyphens',
    'items.0.title must not be empty',
    'items.0.renewalMonths must be at least 1',
    'items.2.renewalMonths must be a whole number of months',
  ]);
  writeFileSync(file, '{ not json');
  expect(() => loadMandatoryTraining(file)).toThrow(/cannot be read as JSON/);
});

test('signed links: the right purpose and time open; tampered, other-purpose and expired ones do not', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const token = signLink('secret-key-0123456789', 'cpd-review', { subject: 'abc', nonce: newNonce(), expiresAt: new Date('2026-03-31T00:00:00Z') });
  expect(checkLink('secret-key-0123456789', 'cpd-review', token, now)).toMatchObject({ ok: true, link: { subject: 'abc' } });
  expect(checkLink('secret-key-0123456789', 'assessor', token, now)).toEqual({ ok: false, reason: 'tampered' });
  expect(checkLink('secret-key-0123456789', 'cpd-review', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, now)).toEqual({ ok: false, reason: 'tampered' });
  expect(checkLink('secret-key-0123456789', 'cpd-review', token, new Date('2026-04-01T00:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
});

test('npm start with a mandatory training file with errors stops before listening, with the readable list and no stack', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpd-start-'));
  const file = path.join(dir, 'training.json');
  writeFileSync(file, JSON.stringify({ items: [{ id: 'GDPR!', title: '', renewalMonths: 12 }] }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: '0', DATA_DIR: dir, MANDATORY_TRAINING_FILE: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout.on('data', (d) => out.push(String(d)));
  child.stderr.on('data', (d) => out.push(String(d)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const text = out.join('');
  expect(code).toBe(1);
  expect(text).toContain(`The mandatory training file ${file} has 2 problem(s):`);
  expect(text).toContain('  - items.0.id must be 1 to 40 lower-case letters, digits or hyphens');
  expect(text).toContain('  - items.0.title must not be empty');
  expect(text).not.toContain('is listening');
  expect(text).not.toMatch(/at \w+ \(/);
}, 60_000);
