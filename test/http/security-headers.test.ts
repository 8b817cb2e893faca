import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

/** Our helmet's headers, the CSP's per-request nonce blanked out. */
function securityHeadersOf(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (['date', 'etag', 'content-length', 'content-type', 'connection', 'keep-alive', 'x-request-id', 'set-cookie', 'location', 'vary', 'cache-control'].includes(name)) return;
    kept[name] = value.replace(/'nonce-[^']+'/g, "'nonce-*'");
  });
  return kept;
}

describe('security headers', () => {
  it('a page behind ltijs carries exactly the headers of a page outside it, whatever ltijs set between', async () => {
    const outside = await fetch(`${suite.tool.baseUrl}/admin/login`);
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const inside = await s.get('/portfolio');
    expect(inside.status).toBe(200);
    expect(securityHeadersOf(inside.headers)).toEqual(securityHeadersOf(outside.headers));
    expect(securityHeadersOf(outside.headers)['content-security-policy']).toContain('frame-ancestors');
  });

  it('health checks and static files carry no list of VLEs: a closed policy that names nobody', async () => {
    const vle = new URL(suite.platform.issuer).origin;
    for (const path of ['/healthz', '/readyz', '/public/css/app.css', '/public/js/frame.js', '/favicon.ico']) {
      const res = await fetch(`${suite.tool.baseUrl}${path}`);
      expect({ path, csp: res.headers.get('content-security-policy') }).toEqual({ path, csp: "default-src 'none';frame-ancestors 'none'" });
      res.headers.forEach((value) => expect(value).not.toContain(vle));
    }
  });

  it('the page and its CSP carry the same nonce, so its own scripts and styles run', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const page = await s.get('/portfolio');
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(page.html).toContain(nonce);
    const again = await s.get('/portfolio');
    expect(/'nonce-([^']+)'/.exec(again.headers.get('content-security-policy') ?? '')?.[1]).not.toBe(nonce);
  });
});
