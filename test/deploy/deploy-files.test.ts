import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** No Docker engine runs here, so the compose file and Dockerfile are checked for the shape production relies on. */
const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'));

  test('runs MongoDB 8 with a volume and a health check', () => {
    const mongo = compose.services.mongo;
    expect(mongo.image).toBe('mongo:8');
    expect(mongo.volumes).toContain('mongo-data:/data/db');
    expect(mongo.healthcheck.test.join(' ')).toMatch(/ping/);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['mongo-data', 'tool-data']));
  });

  test('the tool waits for a healthy MongoDB and points at it', () => {
    const tool = compose.services.tool;
    expect(tool.depends_on.mongo.condition).toBe('service_healthy');
    expect(tool.environment.MONGODB_URI).toBe('mongodb://mongo:27017/cmalt');
    expect(tool.environment.NODE_ENV).toBe('production');
    expect(tool.healthcheck.test.join(' ')).toMatch(/readyz/);
    expect(tool.build).toBe('.');
  });

  test('production secrets must be provided, not defaulted', () => {
    const tool = compose.services.tool;
    expect(tool.environment.LTI_KEY).toMatch(/^\$\{LTI_KEY:\?/);
    expect(tool.environment.PUBLIC_URL).toMatch(/^\$\{PUBLIC_URL:\?/);
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const instructions = lines.filter((l) => /^[A-Z]+\s/.test(l)).map((l) => l.split(/\s/)[0]);

  test('uses only known instructions', () => {
    const known = ['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'VOLUME', 'HEALTHCHECK', 'CMD', 'ARG', 'LABEL'];
    expect(instructions.filter((i) => !known.includes(i))).toEqual([]);
  });

  test('builds on Node 20 in two stages and runs unprivileged', () => {
    const froms = lines.filter((l) => l.startsWith('FROM'));
    expect(froms).toHaveLength(2);
    froms.forEach((f) => expect(f).toMatch(/node:20/));
    expect(lines).toContain('USER node');
    expect(lines.some((l) => l.startsWith('CMD') && l.includes('dist/src/server.js'))).toBe(true);
  });

  test('copies every folder the running tool reads', () => {
    for (const folder of ['views', 'public', 'config']) expect(lines).toContain(`COPY ${folder} ./${folder}`);
  });
});
