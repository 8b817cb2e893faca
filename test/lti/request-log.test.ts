import { Writable } from 'node:stream';
import pino from 'pino';
import { launchAs } from '../support/launch';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';

let platform: TestPlatform;
let tool: TestTool;
const lines: string[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  tool = await startTestTool({ platform, log: pino({ level: 'info' }, sink) });
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

describe('request logging', () => {
  it('logs each request with a request id and never the session token, the id_token or page text', async () => {
    const s = await launchAs(tool, platform, { role: 'Learner', user: platform.user({ name: 'Logged Person' }) });
    expect(s.ok).toBe(true);
    await s.get('/portfolio');
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.req);
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const r of requests) {
      expect(r.req.id).toMatch(/^[\w-]{8,}$/);
      expect(typeof r.res.status).toBe('number');
    }
    const all = lines.join('\n');
    expect(all).toContain('/lti/launch');
    expect(all).not.toContain(s.ltik!);
    expect(all).not.toContain(s.launch.idToken!);
    expect(all).not.toMatch(/ltik=|id_token|eyJ[\w-]{20,}/);
    expect(all).not.toContain('Logged Person');
  });

  it('keeps a proxy\'s request id when it looks like one, and replaces one that does not', async () => {
    const kept = await fetch(`${tool.baseUrl}/healthz`, { headers: { 'x-request-id': 'lb-1234-abcd' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-1234-abcd');
    const replaced = await fetch(`${tool.baseUrl}/healthz`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('<');
  });
});
