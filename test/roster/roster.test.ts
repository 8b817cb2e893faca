import type { MemberInput, PlatformCourse } from '../support/platform';
import { toolSuite } from '../support/suite';
import { launchAs, type ToolSession } from '../support/launch';
import { rosterMemberModel } from '../../src/roster/member.model';
import { rosterSyncModel } from '../../src/roster/sync.model';
import { neverLaunched } from '../../src/roster';
import { Course } from '../../src/people/course.model';
import mongoose from 'mongoose';
import { aWorker } from '../gradebook/support';

const suite = toolSuite({ platform: { nrpsPageSize: 100 } });
afterEach(() => suite.platform.assertNoUnexpectedCalls());

const Member = () => rosterMemberModel(mongoose.connection);

/** A course of `size` learners on the VLE roster, plus its coordinator, who has launched. */
async function aRosteredCourse(size: number): Promise<{ course: PlatformCourse; members: MemberInput[]; coordinator: ToolSession; courseId: string }> {
  const course = suite.platform.course();
  const teacher = suite.platform.user({ name: 'Clara Coordinator' });
  const members: MemberInput[] = [{ user: teacher, roles: ['Instructor'] }];
  for (let i = 0; i < size - 1; i += 1) members.push({ user: suite.platform.user(), roles: ['Learner'] });
  suite.platform.setMembers(course.id, members);
  const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', user: teacher, course });
  expect(coordinator.ok).toBe(true);
  const c = await Course.findOne({ contextId: course.id }).lean();
  return { course, members, coordinator, courseId: String(c!._id) };
}

const nrpsCalls = () => suite.platform.nrps.calls;

test('a roster of 250 over three pages all arrives; leavers are marked; who never launched is listed', async () => {
  const { course, members, coordinator, courseId } = await aRosteredCourse(250);
  const learner = members[7].user;
  expect((await launchAs(suite.tool, suite.platform, { role: 'Learner', user: learner, course })).ok).toBe(true);
  suite.platform.nrps.calls.length = 0;

  const synced = await coordinator.post('/gradebook/roster/sync');
  expect(synced.status).toBe(200);
  expect(synced.url).toMatch(/\/gradebook\/roster\?synced=ok&members=250&left=0/);
  expect(synced.html).toContain('250 people on the course');
  expect(nrpsCalls().map((c) => [c.query.page ?? '1', c.status])).toEqual([['1', 200], ['2', 200], ['3', 200]]);
  expect(nrpsCalls()[0].headers.accept).toBe('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');

  const stored = await Member().find({ courseId }).lean();
  expect(stored).toHaveLength(250);
  expect(new Set(stored.map((m) => m.sub))).toEqual(new Set(members.map((m) => m.user.id)));
  const one = stored.find((m) => m.sub === members[3].user.id)!;
  expect(one).toMatchObject({ name: members[3].user.name, email: members[3].user.email, status: 'active', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] });
  const never = await neverLaunched(mongoose.connection, courseId);
  expect(never).toHaveLength(248);
  expect(never.map((m) => m.sub)).not.toContain(learner.id);
  expect(never.map((m) => m.sub)).not.toContain(members[0].user.id);

  // Ten people leave the course and one more joins.
  const leavers = members.slice(100, 110);
  const joiner = { user: suite.platform.user(), roles: ['Learner'] };
  suite.platform.setMembers(course.id, [...members.filter((m) => !leavers.includes(m)), joiner]);
  const again = await coordinator.post('/gradebook/roster/sync');
  expect(again.url).toMatch(/synced=ok&members=241&left=10/);
  const left = await Member().find({ courseId, status: 'left' }).lean();
  expect(left.map((m) => m.sub).sort()).toEqual(leavers.map((m) => m.user.id).sort());
  expect(left.every((m) => m.leftAt instanceof Date)).toBe(true);
  expect(await Member().countDocuments({ courseId, status: 'active' })).toBe(241);
  expect(again.html).toContain('Never launched');
  expect(again.html).toContain('10 have left the course');
  // Those who left come last, on the last of six pages of 50.
  const last = await coordinator.get('/gradebook/roster', { page: '6' });
  expect(last.html).toContain('Left the course');
  expect(last.html).toContain('page 6 of 6');
});

test('a roster read the VLE refuses changes nothing (nobody is marked as left) and says why in words, never showing the VLE\'s answer', async () => {
  const { course, members, coordinator, courseId } = await aRosteredCourse(150);
  expect((await coordinator.post('/gradebook/roster/sync')).url).toMatch(/synced=ok&members=150/);
  suite.platform.setMembers(course.id, members.slice(0, 120));
  suite.platform.nrps.calls.length = 0;
  suite.platform.nrps.faults.failNext(1, 500, { error_description: 'INTERNAL-SECRET database password is hunter2' });
  const failed = await coordinator.post('/gradebook/roster/sync');
  expect(failed.url).toMatch(/synced=failed/);
  expect(failed.html).toContain('The roster could not be read from the VLE: The VLE answered 500');
  expect(failed.html).not.toContain('INTERNAL-SECRET'); // what the VLE said goes to the log, never to a page
  expect(await Member().countDocuments({ courseId, status: 'active' })).toBe(150);
  expect(await rosterSyncModel(mongoose.connection).findOne({ courseId }).lean()).toMatchObject({ leaseOwner: null, attempts: 1 });
});

test('the daily job runs each due course once, however many workers look for it', async () => {
  const { courseId } = await aRosteredCourse(120);
  await rosterSyncModel(mongoose.connection).updateOne({ courseId }, { $set: { nextRunAt: new Date(Date.now() - 1000) } });
  await rosterSyncModel(mongoose.connection).updateMany({ courseId: { $ne: courseId } }, { $set: { nextRunAt: new Date(Date.now() + 3600_000) } });
  suite.platform.nrps.calls.length = 0;
  const workers = [aWorker(suite.tool), aWorker(suite.tool), aWorker(suite.tool)];
  const ran = await Promise.all(workers.map((w) => w.syncDueRosters()));
  expect(ran.reduce((a, b) => a + b, 0)).toBe(1);
  expect(nrpsCalls()).toHaveLength(2); // two pages, fetched once
  expect(await Member().countDocuments({ courseId })).toBe(120);
  const job = await rosterSyncModel(mongoose.connection).findOne({ courseId }).lean();
  expect(job!.nextRunAt.getTime() - job!.lastSuccessAt!.getTime()).toBe(24 * 3600_000);
});

test('only a coordinator may see or sync the roster; a form without its CSRF token changes nothing', async () => {
  const { course, coordinator, courseId } = await aRosteredCourse(5);
  const learner = await launchAs(suite.tool, suite.platform, { role: 'Learner', course });
  expect((await learner.get('/gradebook/roster')).status).toBe(403);
  suite.platform.nrps.calls.length = 0;
  expect((await learner.post('/gradebook/roster/sync')).status).toBe(403);
  const forged = await coordinator.post('/gradebook/roster/sync', { _csrf: 'not-the-token' }, { headers: { 'X-CSRF-Token': 'not-the-token' } });
  expect(forged.status).toBe(403);
  expect(forged.html).toContain('nothing was changed');
  expect(nrpsCalls()).toHaveLength(0);
  expect(await Member().countDocuments({ courseId })).toBe(0);
  const page = await coordinator.get('/gradebook/roster');
  expect(page.status).toBe(200);
  expect(page.html).toContain('Read the roster from the VLE now');
});

test('the roster comes 50 to a page by name; a page that is not a number or beyond the last is refused in words', async () => {
  const { coordinator } = await aRosteredCourse(60);
  expect((await coordinator.post('/gradebook/roster/sync')).url).toMatch(/synced=ok&members=60/);
  const first = await coordinator.get('/gradebook/roster');
  const second = await coordinator.get('/gradebook/roster', { page: '2' });
  const names = (html: string) => [...html.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
  expect(names(first.html)).toHaveLength(50);
  expect(names(second.html)).toHaveLength(10);
  const all = [...names(first.html), ...names(second.html)];
  expect(new Set(all).size).toBe(60); // no one twice, no one missed
  expect(all).toEqual([...all].sort(new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true }).compare));
  expect(first.html).toContain('59 people have never opened CMALT Portfolio');
  expect(second.html).toContain('59 people have never opened CMALT Portfolio'); // course-wide, not the page's

  const word = await coordinator.get('/gradebook/roster', { page: 'two' });
  expect(word.status).toBe(400);
  expect(word.html).toContain('Please choose a page number from the list of pages.');
  const beyond = await coordinator.get('/gradebook/roster', { page: '3' });
  expect(beyond.status).toBe(404);
  expect(beyond.html).toContain('There is no page 3: this list has 2 pages.');
});
