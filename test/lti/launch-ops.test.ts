/*
 * perf: the database operations one launch makes, counted on both copies of mongoose (ours and ltijs's own), so a
 * change that adds one fails here. Every check stays: the deployment's answer and the course's role overrides
 * are still applied, only not read twice.
 */
import { setDeploymentActive } from '../../src/admin/platforms.service';
import { Course } from '../../src/people/course.model';
import { Deployment } from '../../src/lti/deployment.model';
import { LAST_LAUNCH_STEP_MS, recordLaunch, type LaunchFacts } from '../../src/lti/launch.service';
import { Membership } from '../../src/people/membership.model';
import { User } from '../../src/people/user.model';
import { STATUS_TTL_MS } from '../../src/lti/registration-status';
import { launchAs, startLogin } from '../support/launch';
import { send, sendFollowing } from '../support/platform/browser-http';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import type { LaunchOptions } from '../support/platform';
import { opsDuring, stopCounting } from '../support/ops';
import { startTestTool, type TestTool } from '../support/tool';

let platform: TestPlatform;
let tool: TestTool;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
});
afterAll(async () => {
  stopCounting();
  await tool?.close();
  await platform?.close();
});

/** One launch in three parts: login initiation, the id_token POST (up to its redirect), and the landing page. */
async function countedLaunch(opts: { role?: string } & LaunchOptions) {
  const login = await opsDuring(() => startLogin(tool, platform, { role: 'Learner', ...opts }));
  const auth = await login.result.authorize();
  const form = auth.form!;
  const post = await opsDuring(() => send(auth.jar, form.action, { method: 'POST', form: form.fields }));
  expect(post.result.status).toBe(302);
  const landing = await opsDuring(() => sendFollowing(auth.jar, new URL(post.result.location!, form.action).toString()));
  expect(landing.result.final.status).toBe(200);
  return { login: login.ops, post: post.ops, landing: landing.ops, url: landing.result.final.url, html: landing.result.final.html };
}

/**
 * What a warm launch's id_token POST does, in order: the user and the membership are written only when the launch
 * changes them (the same one operation each finds them unchanged and writes nothing).
 */
const WARM_LAUNCH = [
  'loginstarts.findOneAndDelete', // the login it answers, used once (state and nonce)
  'courses.findOne', // the course's role overrides, so a launch that maps to no role is refused before ltijs stores it
  'nonces.find', // ltijs: this nonce not seen before
  'nonces.insertOne',
  'idtokens.replaceOne', // ltijs: the session
  'contexttokens.replaceOne',
  'users.findOneAndUpdate',
  'memberships.updateOne',
];

describe('database operations per launch', () => {
  test('a warm launch of a new user in an existing course: one at login, eight for the id_token, twelve in all with the unread count on the landing page', async () => {
    const course = platform.course({ title: 'Counted course' });
    await launchAs(tool, platform, { role: 'Learner', course, user: platform.user() });
    await launchAs(tool, platform, { role: 'Learner', course, user: platform.user() });

    const launch = await countedLaunch({ course, user: platform.user({ name: 'Nina New' }) });
    expect(new URL(launch.url).pathname).toBe('/portfolio');
    expect(launch.html).toContain('Nina New');
    expect(launch.login).toEqual(['loginstarts.insertOne']);
    expect(launch.post).toEqual(WARM_LAUNCH); // no deployment read, no second course read or write, no ltijs state read
    // the landing page reads none of the launch's records again (only what the portfolio itself needs)
    expect(launch.landing.filter((op) => /^(users|memberships|deployments|idtokens|contexttokens|platforms|platformStatus|states|nonces)\./.test(op))).toEqual([]);
    expect(launch.landing).toContain('notifications.countDocuments'); // the navigation's unread count
    // a course without the scheme: the write lock and the place gate know it without asking (scheme-courses.ts)
    expect(launch.landing.filter((op) => op.startsWith('scheme'))).toEqual([]);
    expect(launch.login.length + launch.post.length + launch.landing.length).toBeLessThanOrEqual(12);
  });

  test('a repeat launch by the same person makes the same operations', async () => {
    const course = platform.course({ title: 'Repeat course' });
    const user = platform.user({ name: 'Rita Repeat' });
    await launchAs(tool, platform, { role: 'Learner', course, user });
    const again = await countedLaunch({ course, user });
    expect(again.login).toEqual(['loginstarts.insertOne']);
    expect(again.post).toEqual(WARM_LAUNCH);
  });

  test('a relaunch with the same name and roles leaves the membership and the user as they were; a new role or name writes them', async () => {
    const course = platform.course({ title: 'Unchanged course' });
    const user = platform.user({ name: 'Una Changed' });
    await launchAs(tool, platform, { role: 'Learner', course, user });
    const stored = await Course.findOne({ contextId: course.id }).lean();
    const membership = async () => (await Membership.findOne({ course: stored!._id }).lean())!;
    const first = await membership();
    const record = async () => (await User.findOne({ issuer: platform.issuer, sub: user.id }).lean())!;
    const person = await record();
    await launchAs(tool, platform, { role: 'Learner', course, user });
    expect((await membership()).updatedAt).toEqual(first.updatedAt); // nothing changed: not a change to the course's people
    expect((await record()).updatedAt).toEqual(person.updatedAt); // nor to the user, whose last launch is this hour's

    // A last launch older than the step is brought up to date (the record only: the course's people do not change).
    await User.collection.updateOne({ _id: person._id }, { $set: { lastLaunchAt: new Date(Date.now() - LAST_LAUNCH_STEP_MS - 60_000) } });
    await launchAs(tool, platform, { role: 'Learner', course, user });
    expect((await record()).lastLaunchAt!.getTime()).toBeGreaterThan(Date.now() - LAST_LAUNCH_STEP_MS);
    expect((await membership()).updatedAt).toEqual(first.updatedAt);

    user.name = 'Una Renamed';
    await launchAs(tool, platform, { role: 'Learner', course, user });
    const renamed = await membership();
    expect(renamed.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
    expect((await record()).name).toBe('Una Renamed');
    await launchAs(tool, platform, { role: 'Mentor', course, user });
    const mentor = await membership();
    expect(mentor.appRoles).toEqual(['mentor']);
    expect(mentor.updatedAt.getTime()).toBeGreaterThan(renamed.updatedAt.getTime());
  });

  test('a relaunch whose roles contain the stored ones and more, or fewer, is written (the roles are compared whole)', async () => {
    const facts = (ltiRoles: string[], mentorScope?: string[]): LaunchFacts => ({
      issuer: platform.issuer, clientId: tool.clientId!, deploymentId: tool.deploymentId!, sub: 'roles-compared-whole', name: 'Rolf Whole',
      contextId: 'roles-compared-whole-course', courseTitle: 'Whole roles', ltiRoles, mentorScope, messageType: 'LtiResourceLinkRequest',
    });
    const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
    const MENTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor';
    const stored = async (r: { userId: string; courseId: string }) => (await Membership.findOne({ user: r.userId, course: r.courseId }).lean())!;
    const first = await recordLaunch(facts([LEARNER]));
    expect((await stored(first)).ltiRoles).toEqual([LEARNER]);
    await recordLaunch(facts([LEARNER, MENTOR]));
    expect((await stored(first)).ltiRoles).toEqual([LEARNER, MENTOR]);
    await recordLaunch(facts([MENTOR]));
    expect((await stored(first)).ltiRoles).toEqual([MENTOR]);
    await recordLaunch(facts([MENTOR], ['sub-a']));
    expect((await stored(first)).mentorScope).toEqual(['sub-a']);
    await recordLaunch(facts([MENTOR], ['sub-a', 'sub-b']));
    expect((await stored(first)).mentorScope).toEqual(['sub-a', 'sub-b']);
    await recordLaunch(facts([MENTOR]));
    expect((await stored(first)).mentorScope ?? []).toEqual([]);
  });

  test('a launch bringing a new course title or a role not seen before writes the course, once', async () => {
    const course = platform.course({ title: 'Old title' });
    await launchAs(tool, platform, { role: 'Learner', course, user: platform.user() });
    course.title = 'New title';
    const renamed = await countedLaunch({ course, user: platform.user() });
    expect(renamed.post.filter((op) => op.startsWith('courses.'))).toEqual(['courses.findOne', 'courses.findOneAndUpdate']);
    const stored = await Course.findOne({ contextId: course.id }).lean();
    expect(stored!.title).toBe('New title');

    const mentor = await countedLaunch({ role: 'Mentor', course, user: platform.user() });
    expect(mentor.post.filter((op) => op.startsWith('courses.'))).toEqual(['courses.findOne', 'courses.findOneAndUpdate']);
    expect((await Course.findOne({ contextId: course.id }).lean())!.rolesSeen).toEqual(['context:Learner', 'context:Mentor']);
  });

  test("the course's role overrides still apply to a launch that does not write the course", async () => {
    const course = platform.course({ title: 'Overridden course' });
    await launchAs(tool, platform, { role: 'Learner', course, user: platform.user() });
    await Course.updateOne({ contextId: course.id }, { $set: { roleOverrides: [{ key: 'context:Learner', roles: ['mentor'] }] } });
    const launch = await countedLaunch({ course, user: platform.user({ name: 'Otto Override' }) });
    expect(launch.post).toEqual(WARM_LAUNCH);
    expect(new URL(launch.url).pathname).toBe('/mentoring');
  });

  test('a login whose target_link_uri has a query still gets it back on the landing page', async () => {
    const launch = await countedLaunch({ course: platform.course(), targetLinkUri: `${tool.baseUrl}/lti/launch?from=vle` });
    expect(launch.post).toContain('states.find');
    expect(new URL(launch.url).searchParams.get('from')).toBe('vle');
  });
});

describe('the kept deployment answer', () => {
  const deployment = () => Deployment.findOne({ clientId: tool.clientId, deploymentId: tool.deploymentId }).lean();

  test('switching a deployment off in the installer pages refuses its next launch at once', async () => {
    const course = platform.course();
    expect((await launchAs(tool, platform, { role: 'Learner', course })).ok).toBe(true);
    const id = String((await deployment())!._id);
    await setDeploymentActive(id, false);
    try {
      const refused = await launchAs(tool, platform, { role: 'Learner', course });
      expect(refused.ok).toBe(false);
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('This deployment of CMALT Portfolio is switched off');
    } finally {
      await setDeploymentActive(id, true);
    }
    expect((await launchAs(tool, platform, { role: 'Learner', course })).ok).toBe(true);
  });

  test("another instance's switch-off applies here within STATUS_TTL_MS", async () => {
    const course = platform.course();
    expect((await launchAs(tool, platform, { role: 'Learner', course })).ok).toBe(true);
    await Deployment.updateOne({ clientId: tool.clientId, deploymentId: tool.deploymentId }, { $set: { active: false } });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now + STATUS_TTL_MS + 1);
    try {
      const refused = await launchAs(tool, platform, { role: 'Learner', course });
      expect(refused.ok).toBe(false);
      expect(refused.html).toContain('This deployment of CMALT Portfolio is switched off');
    } finally {
      clock.mockRestore();
      await setDeploymentActive(String((await deployment())!._id), true);
    }
  });
});
