import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { Course } from '../../src/people/course.model';
import { Membership } from '../../src/people/membership.model';

const suite = toolSuite();

/** The same session token, but issued `hoursAgo` hours ago. */
function agedLtik(ltik: string, hoursAgo: number): string {
  const payload = jwt.verify(ltik, suite.tool.config.ltiKey) as Record<string, unknown>;
  return jwt.sign({ ...payload, iat: Math.floor(Date.now() / 1000) - hoursAgo * 3600 }, suite.tool.config.ltiKey);
}

describe('session expiry', () => {
  it('a session token older than the session length is refused with a page saying to relaunch', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    expect(s.ok).toBe(true);
    const stillFresh = await s.get('/portfolio', { ltik: agedLtik(s.ltik!, 7.5) });
    expect(stillFresh.status).toBe(200);
    const expired = await s.get('/portfolio', { ltik: agedLtik(s.ltik!, 8.5) });
    expect(expired.status).toBe(401);
    expect(expired.html).toContain('Your session has ended');
    expect(expired.html).toContain('open CMALT Portfolio from there');
  });

  it('a tampered session token is refused', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const forged = jwt.sign(jwt.decode(s.ltik!) as object, 'not-the-key');
    const answer = await s.get('/portfolio', { ltik: forged });
    expect(answer.status).toBe(401);
    expect(answer.html).toContain('session is not valid');
  });

  it('a page without any session asks the person to open the tool from their course', async () => {
    const res = await fetch(`${suite.tool.baseUrl}/mentoring`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Please open CMALT Portfolio from your course');
  });

  it('a candidate cannot open the cohort page', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const answer = await s.get('/cohort');
    expect(answer.status).toBe(403);
    expect(answer.html).toContain('does not give access');
  });
});

describe('the coordinator role page and CSRF', () => {
  it('lists the roles seen in the course and saves a change only with the CSRF token', async () => {
    const course = suite.platform.course({ title: 'Roles course' });
    await launchAs(suite.tool, suite.platform, { role: 'Learner', course });
    await launchAs(suite.tool, suite.platform, { role: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Member', course });
    const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', course });
    expect(coordinator.ok).toBe(true);
    const page = await coordinator.get('/lti/roles');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Learner');
    expect(page.html).toContain('Instructor');
    expect(page.html).toContain('<legend>Member</legend>'); // refused for want of a role, but listed so it can be given one
    const keys = [...page.html.matchAll(/name="(key\d+)" value="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    const learnerField = keys.find(([, v]) => v === 'context:Learner')![0];
    const rolesField = learnerField.replace('key', 'roles');

    const withoutToken = await coordinator.post('/lti/roles', { [learnerField]: 'context:Learner', [rolesField]: 'mentor', _csrf: '' }, { headers: { 'X-CSRF-Token': '' } });
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.html).toContain('nothing was changed');
    const wrongToken = await coordinator.post('/lti/roles', { [learnerField]: 'context:Learner', [rolesField]: 'mentor', _csrf: 'x'.repeat(43) }, { headers: { 'X-CSRF-Token': 'x'.repeat(43) } });
    expect(wrongToken.status).toBe(403);
    expect((await Course.findOne({ contextId: course.id }).lean())?.roleOverrides).toEqual([]);

    const saved = await coordinator.post('/lti/roles', { [learnerField]: 'context:Learner', [rolesField]: 'mentor' });
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('Your changes have been saved');
    expect((await Course.findOne({ contextId: course.id }).lean())?.roleOverrides).toEqual([{ key: 'context:Learner', roles: ['mentor'] }]);

    const learnerBefore = await Membership.find({ course: (await Course.findOne({ contextId: course.id }).lean())!._id, ltiRoles: { $size: 1 } }).lean();
    expect(learnerBefore.filter((m) => m.ltiRoles[0].endsWith('#Learner')).map((m) => m.appRoles)).toEqual([['mentor']]); // kept in step
    const learner = await launchAs(suite.tool, suite.platform, { role: 'Learner', course });
    expect(new URL(learner.url).pathname).toBe('/mentoring'); // the override applies at the next launch
  });

  it('refuses a change that would remove the coordinator\'s own access', async () => {
    const course = suite.platform.course();
    const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', course });
    const page = await coordinator.get('/lti/roles');
    const field = [...page.html.matchAll(/name="(key\d+)" value="context:Instructor"/g)][0][1];
    const answer = await coordinator.post('/lti/roles', { [field]: 'context:Instructor', [field.replace('key', 'roles')]: 'mentor' });
    expect(answer.status).toBe(422);
    expect(answer.html).toContain('remove your own coordinator access');
    expect((await Course.findOne({ contextId: course.id }).lean())?.roleOverrides).toEqual([]);
  });

  it('a JSON call without X-CSRF-Token is refused', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Instructor' });
    const res = await fetch(`${suite.tool.baseUrl}/lti/roles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.ltik}`, accept: 'application/json', 'content-type': 'application/json' },
      body: '{}',
    });
    // the session cookie is missing too in a bare fetch: ltijs refuses before CSRF is even checked
    expect(res.status).toBe(401);
    const withCookies = await s.postJson('/lti/roles', {}, { headers: { 'X-CSRF-Token': 'nope' } });
    expect(withCookies.status).toBe(403);
    expect(withCookies.json()).toEqual({ error: { id: 'csrf_failed', message: expect.any(String) } });
  });
});

describe('headers and health', () => {
  it('the CSP lets the registered platform frame the tool, and nobody else', async () => {
    const res = await fetch(`${suite.tool.baseUrl}/admin/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const frameAncestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(frameAncestors.split(' ')).toEqual(["'self'", new URL(suite.platform.issuer).origin]);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('launch pages carry the same CSP and Secure, SameSite=None, Partitioned cookies', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const csp = s.response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${new URL(suite.platform.issuer).origin}`);
    // nothing left over from ltijs's own helmet that would break VLE pictures or the registration window
    expect(s.response.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect(s.response.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(s.response.headers.get('strict-transport-security')).toBeNull(); // plain HTTP in tests
    expect(s.response.headers.get('x-frame-options')).toBeNull();
    const cookies = s.jar.list(new URL(suite.tool.baseUrl).hostname);
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).toMatchObject({ secure: true, sameSite: 'None', partitioned: true });
  });

  it('/healthz answers while the process is alive and /readyz only while the database answers', async () => {
    expect((await fetch(`${suite.tool.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${suite.tool.baseUrl}/readyz`)).status).toBe(200);
    await mongoose.disconnect();
    try {
      const down = await fetch(`${suite.tool.baseUrl}/readyz`);
      expect(down.status).toBe(503);
      expect((await fetch(`${suite.tool.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await mongoose.connect(suite.tool.dbUri);
    }
    expect((await fetch(`${suite.tool.baseUrl}/readyz`)).status).toBe(200);
  });

  it('an unexpected failure is a 500 page with a reference and no detail', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Instructor' });
    mongoose.set('bufferTimeoutMS', 200);
    await mongoose.disconnect(); // our models fail; ltijs's own connection still answers
    try {
      const answer = await s.get('/cohort');
      expect(answer.status).toBe(500);
      const requestId = answer.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      expect(answer.html).toContain(`Reference: <code>${requestId}</code>`);
      expect(answer.html).toContain('Something went wrong on our side');
      expect(answer.html).not.toMatch(/buffering|Mongoose|at \w+ \(/);
    } finally {
      await mongoose.connect(suite.tool.dbUri);
    }
  });

  it('a body the tool cannot read is a 400 page, not a crash', async () => {
    const res = await fetch(`${suite.tool.baseUrl}/lti/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      body: '{"id_token": ',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('The request could not be read.');
  });

  it('an unknown page behind the launch is a readable 404', async () => {
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner' });
    const answer = await s.get('/no-such-page');
    expect(answer.status).toBe(404);
    expect(answer.html).toContain('Page not found');
  });
});
