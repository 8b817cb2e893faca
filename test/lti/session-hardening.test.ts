import { setPlatformActive } from '../../src/admin/platforms.service';
import { readForm, send, CookieJar } from '../support/platform/browser-http';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { signIn } from '../admin/admin-client';

describe('sessions and login requests', () => {
  const suite = toolSuite();

  test('login parameters that are not plain text are refused with a page before ltijs sees them', async () => {
    const base = `${suite.tool.baseUrl}/lti/login`;
    const hint = `login_hint=x&target_link_uri=${encodeURIComponent(`${suite.tool.baseUrl}/lti/launch`)}`;
    for (const query of [`iss[$ne]=x&${hint}`, `iss=${encodeURIComponent(suite.platform.issuer)}&login_hint=x&target_link_uri[a]=b`]) {
      const res = await send(new CookieJar(), `${base}?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.location).toBeUndefined(); // no redirect to any registered VLE (enumeration)
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.html).toContain('Each part of a sign-in request must be plain text');
    }
    const posted = await send(new CookieJar(), base, { method: 'POST', form: { 'iss[$ne]': 'x', login_hint: 'x', target_link_uri: 'y' } });
    expect(posted.status).toBe(400); // a urlencoded body is parsed flat: iss is missing, and refused in words
    expect(posted.html).not.toMatch(/^\s*\{/);
  });

  test('every launched page and the installer pages send Cache-Control: no-store', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    expect(session.ok).toBe(true);
    expect(session.response.headers.get('cache-control')).toBe('no-store');
    const again = await session.get('/portfolio');
    expect(again.headers.get('cache-control')).toBe('no-store');
    const { answer } = await signIn(suite.tool);
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  test('a large body without a live session token is never parsed by the large parsers', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const big = JSON.stringify({ body: 'x'.repeat(500_000) });
    const anonymous = await fetch(`${suite.tool.baseUrl}/portfolio/sections/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(anonymous.status).toBe(413); // ltijs's 100 kB limit, refused before reading
    const forged = await fetch(`${suite.tool.baseUrl}/portfolio/sections/anything`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer a.b.c' }, body: big });
    expect(forged.status).toBe(413);
    // with the session's own token the large parser reads it, and the route answers (not a size refusal)
    const own = await fetch(`${suite.tool.baseUrl}/portfolio/sections/anything`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.ltik}` }, body: big });
    expect(own.status).not.toBe(413);
  });
});

describe('a deep-linking session after its VLE is deactivated', () => {
  const suite = toolSuite();

  test('gets the same "switched off" page as launches, on reload and on choosing a pathway', async () => {
    const session = await launchAs(suite.tool, suite.platform, { role: 'Instructor', messageType: 'LtiDeepLinkingRequest' });
    expect(session.html).toContain('Choose the pathway for this course');
    const form = readForm(session.html, session.url)!;
    const platform = await suite.tool.lti.getPlatform(suite.platform.issuer, suite.tool.clientId!);
    if (!platform) throw new Error('no platform');
    await setPlatformActive(suite.tool.lti, await platform.platformId(), false);
    const reload = await session.get('/lti/launch');
    expect(reload.status).toBe(403);
    expect(reload.html).toContain('CMALT Portfolio is switched off for this VLE');
    const chosen = await session.post('/deep-linking', { ...form.fields, pathway: 'cmalt:cmalt' });
    expect(chosen.status).toBe(403);
    expect(chosen.html).toContain('CMALT Portfolio is switched off for this VLE');
  });
});
