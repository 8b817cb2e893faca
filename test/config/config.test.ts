import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cmalt-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('defaults give a working embedded set-up on port 3000', () => {
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.mongodbUri).toBeUndefined();
    expect(config.sessionMaxAgeMs).toBe(8 * 3600_000);
    expect(config.uploadLimitBytes).toBe(20 * 1024 * 1024);
    expect(config.storageQuotaBytes).toBe(200 * 1024 * 1024);
    expect(config.ltiAutoActivate).toBe(false);
  });

  test('a development LTI key is generated once and kept in DATA_DIR', () => {
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.ltiKeyGenerated).toBe(true);
    expect(second.ltiKey).toBe(first.ltiKey);
    expect(readFileSync(path.join(dir, 'lti-key'), 'utf8').trim()).toBe(first.ltiKey);
  });

  test('every problem is listed at once, readably', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', PORT: 'eighty', MONGODB_URI: 'postgres://x', ADMIN_TOKEN: 'short', DATA_DIR: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/MONGODB_URI must start with mongodb:\/\//);
    expect(problems).toMatch(/ADMIN_TOKEN must be at least 16 characters/);
    expect(problems).toMatch(/LTI_KEY is required when NODE_ENV=production/);
    expect(problems).toMatch(/PUBLIC_URL is required when NODE_ENV=production/);
    expect((error as ConfigError).message).toMatch(/5 problem\(s\)/);
  });

  test('blank values count as unset and PUBLIC_URL loses its trailing slash', () => {
    const config = loadConfig({ DATA_DIR: dir, MONGODB_URI: '', PUBLIC_URL: 'https://tool.example.ac.uk/' });
    expect(config.mongodbUri).toBeUndefined();
    expect(config.publicUrl).toBe('https://tool.example.ac.uk');
  });

  test('trust proxy accepts a flag, a hop count or an address list', () => {
    expect(loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  test('the practice VLE is on outside production unless switched off, and can never be on in production', () => {
    expect(loadConfig({ DATA_DIR: dir }).practiceVle).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, NODE_ENV: 'test' }).practiceVle).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, PRACTICE_VLE: 'off' }).practiceVle).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, PRACTICE_VLE: 'false' }).practiceVle).toBe(false);
    const production = { DATA_DIR: dir, NODE_ENV: 'production', LTI_KEY: 'k'.repeat(32), PUBLIC_URL: 'https://tool.example.ac.uk' };
    expect(loadConfig(production).practiceVle).toBe(false);
    expect(loadConfig({ ...production, PRACTICE_VLE: 'off' }).practiceVle).toBe(false);
    expect(() => loadConfig({ ...production, PRACTICE_VLE: 'on' })).toThrow(/PRACTICE_VLE cannot be on when NODE_ENV=production/);
    expect(() => loadConfig({ DATA_DIR: dir, PRACTICE_VLE: 'maybe' })).toThrow(/PRACTICE_VLE/);
    // on, the tool may call exactly its own origin (the practice VLE's AGS, NRPS and keys); off, it adds nothing
    expect(loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'http://localhost:3000' }).outbound.allowedOrigins).toEqual(['http://localhost:3000']);
    expect(loadConfig({ DATA_DIR: dir, PUBLIC_URL: 'http://localhost:3000', PRACTICE_VLE: 'off' }).outbound.allowedOrigins).toEqual([]);
  });

  test('LTI_AUTO_ACTIVATE=true and OUTBOUND_LOOPBACK=true refuse to start in production', () => {
    const prod = { NODE_ENV: 'production', LTI_KEY: 'k'.repeat(32), PUBLIC_URL: 'https://tool.example.ac.uk', DATA_DIR: dir };
    expect(() => loadConfig({ ...prod, LTI_AUTO_ACTIVATE: 'true' })).toThrow(/LTI_AUTO_ACTIVATE=true .* refused when NODE_ENV=production/);
    expect(() => loadConfig({ ...prod, OUTBOUND_LOOPBACK: 'true' })).toThrow(/OUTBOUND_LOOPBACK=true is refused/);
    expect(loadConfig({ ...prod, LTI_AUTO_ACTIVATE: 'false' }).ltiAutoActivate).toBe(false);
  });

  test('INSTALLERS takes issuer and sub pairs; OUTBOUND_ALLOWED_ORIGINS takes exact origins; bad entries are named', () => {
    const config = loadConfig({ DATA_DIR: dir, INSTALLERS: 'https://moodle.school.ac.uk 42, https://canvas.instructure.com abc-9', OUTBOUND_ALLOWED_ORIGINS: 'http://10.0.0.5:8080 https://vle.campus.ac.uk', PRACTICE_VLE: 'off' });
    expect(config.installers).toEqual([{ issuer: 'https://moodle.school.ac.uk', sub: '42' }, { issuer: 'https://canvas.instructure.com', sub: 'abc-9' }]);
    expect(config.outbound.allowedOrigins).toEqual(['http://10.0.0.5:8080', 'https://vle.campus.ac.uk']);
    expect(() => loadConfig({ DATA_DIR: dir, INSTALLERS: 'just-a-sub', OUTBOUND_ALLOWED_ORIGINS: 'http://10.0.0.5/path' })).toThrow(/INSTALLERS has entries .*just-a-sub[\s\S]*OUTBOUND_ALLOWED_ORIGINS has entries .*10\.0\.0\.5\/path/);
  });

  test('loopback is reachable by default only in development', () => {
    expect(loadConfig({ DATA_DIR: dir }).outbound.loopback).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, NODE_ENV: 'test' }).outbound.loopback).toBe(false);
  });
});
