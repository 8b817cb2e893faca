/*
 * The course's people as each process keeps them (src/roster/people-cache.service.ts): the cohort and roster pages
 * read only the newest changes on each view, so every kind of change must still show on the next view: a launch
 * under a new name, a newcomer's first launch, a role changed in the database, more changes at once than one look
 * reads (a roster sync marking 60 people as gone), and a name changed where this course cannot see it (within the
 * bound of a full read). A relaunch that changes nothing is not a change: 60 people opening the tool again with the
 * same name and role leave the kept list as it was, with no full read.
 */
import mongoose from 'mongoose';
import { Membership } from '../../src/people/membership.model';
import { User } from '../../src/people/user.model';
import { coursePeople, peopleFullReads } from '../../src/roster';
import { rosterMemberModel } from '../../src/roster/member.model';
import { seedCohort, type SeededCohort } from '../support/cohort-seed';
import type { ToolSession } from '../support/launch';
import { toolSuite } from '../support/suite';

const suite = toolSuite();
let seeded: SeededCohort;
let coordinator: ToolSession;

beforeAll(async () => {
  seeded = await seedCohort(suite.tool, suite.platform, { candidates: 120, title: 'Kept people' });
  coordinator = await seeded.launch(seeded.coordinator, 'Instructor');
}, 120_000);

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('a launch under a new name and a newcomer show on the next view of the cohort page', async () => {
  const before = await coordinator.get('/cohort');
  expect(before.status).toBe(200);
  expect(text(before.html)).toContain('120 candidates');
  expect(before.html).toContain(seeded.candidate.name);

  const renamed = suite.platform.user({ ...seeded.candidate, name: 'Aaron Renamed' });
  await seeded.launch(renamed, 'Learner');
  const newcomer = suite.platform.user({ name: 'Aardvark Newcomer' });
  await seeded.launch(newcomer, 'Learner');

  const after = await coordinator.get('/cohort');
  expect(text(after.html)).toContain('121 candidates');
  expect(after.html).toContain('Aaron Renamed');
  expect(after.html).toContain('Aardvark Newcomer');
  expect(after.html).not.toContain(`>${seeded.candidate.name}<`);
});

test('a role changed in the database shows on the next look', async () => {
  const before = await coursePeople(seeded.courseId);
  const someone = before!.candidates.find((p) => p.userId && p.enrolled && p.sub !== seeded.candidate.id)!; // on the roster, so a mentor may be
  await Membership.updateOne(
    { course: seeded.courseId, user: someone.userId },
    { $set: { ltiRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'] } },
  );
  const after = await coursePeople(seeded.courseId);
  expect(after!.candidates.some((p) => p.sub === someone.sub)).toBe(false);
  expect(after!.mentors.some((p) => p.sub === someone.sub)).toBe(true);
});

test('more changes at once than one look reads (60 people leave at a sync) all show on the roster page', async () => {
  const Member = rosterMemberModel(mongoose.connection);
  const before = text((await coordinator.get('/gradebook/roster')).html);
  expect(before).not.toContain('left the course');
  const leaving = (await Member.find({ courseId: seeded.courseId, sub: { $ne: seeded.coordinator.id } }, { sub: 1 }).sort({ _id: -1 }).limit(60).lean()).map((m) => m.sub);
  await Member.updateMany({ courseId: seeded.courseId, sub: { $in: leaving } }, { $set: { status: 'left', leftAt: new Date() } });
  const after = text((await coordinator.get('/gradebook/roster')).html);
  expect(after).toContain('60 have left the course');
});

test('a name changed only on the shared user record shows once the kept list is read again in full', async () => {
  const someone = (await coursePeople(seeded.courseId))!.candidates.find((p) => p.userId && p.sub !== seeded.candidate.id)!;
  // Their membership last changed long ago, so it is not among the newest changes a look reads.
  await Membership.collection.updateOne({ course: new mongoose.Types.ObjectId(seeded.courseId), user: new mongoose.Types.ObjectId(someone.userId!) }, { $set: { updatedAt: new Date('2020-01-01') } });
  await User.updateOne({ _id: someone.userId }, { $set: { name: 'Zed Elsewhere' } }); // as a launch in another course would
  expect((await coursePeople(seeded.courseId))!.bySub.get(someone.sub)!.name).toBe(someone.name); // not seen: within the bound
  const later = Date.now() + 6 * 60_000;
  expect((await coursePeople(seeded.courseId, later))!.bySub.get(someone.sub)!.name).toBe('Zed Elsewhere');
});

test('60 plain relaunches (same name, same role) are no change: the next look reads only the newest, not the whole course', async () => {
  const newcomers = Array.from({ length: 60 }, (_, i) => suite.platform.user({ name: `Relaunching Person ${i + 1}` }));
  for (const person of newcomers) await seeded.launch(person, 'Learner');
  const full = peopleFullReads();
  const seen = await coursePeople(seeded.courseId);
  expect(newcomers.every((p) => seen!.bySub.has(p.id))).toBe(true);
  expect(peopleFullReads()).toBe(full + 1); // 60 first launches are more than one look reads: the whole course again

  for (const person of newcomers) await seeded.launch(person, 'Learner');
  const after = await coursePeople(seeded.courseId);
  expect(peopleFullReads()).toBe(full + 1);
  expect(after).toBe(seen); // nothing changed, so not even derived again
  const page = await coordinator.get('/cohort');
  expect(page.status).toBe(200);
  expect(peopleFullReads()).toBe(full + 1);
}, 180_000);
