/*
 * A course at an institution's scale, for the scale tests and `npm run bench -- scale`: `candidates` candidates
 * (one in ten on the VLE's roster only, never launched), one mentor per ten candidates and one busy mentor of
 * `busyMentees`, written through the real models in bulk (launching 1,500 people would take minutes). The
 * coordinator, the first mentor, the busy mentor and one candidate are people of the test VLE, so tests and
 * benchmarks launch as them for real; their launches find the seeded records and keep them.
 */
import { randomUUID } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { MentorAssignment, ReviewRequest } from '../../src/mentoring/models';
import { Course } from '../../src/people/course.model';
import { Membership } from '../../src/people/membership.model';
import { User } from '../../src/people/user.model';
import { areasOf, frameworks, Portfolio, Section } from '../../src/portfolio';
import { rosterMemberModel } from '../../src/roster/member.model';
import { rosterSyncModel } from '../../src/roster/sync.model';
import { launchAs, type ToolRef, type ToolSession } from './launch';
import type { PlatformCourse, PlatformUser, TestPlatform } from './platform';

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const TA = 'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant';
const FIRST = ['Ada', 'Ben', 'Cai', 'Dee', 'Émile', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jo', 'Kit', 'Lior', 'Mo', 'Nye', 'Oona', 'Pip', 'Quin', 'Rhys', 'Siân', 'Tove'];
const LAST = ['Abbott', 'de Vries', 'Evans', 'Gómez', 'Hughes', "O'Neill", 'Patel', 'Roberts', 'Singh', 'Zhou'];

/** Names in no useful order, several alike, some with accents: what sorting by name has to cope with. */
const nameOf = (i: number) => `${FIRST[(i * 7) % FIRST.length]} ${LAST[(i * 3) % LAST.length]} ${i + 1}`;

export interface SeedOptions {
  candidates: number;
  /** Candidates of the busy mentor (default 10; the issue measures one with 150). */
  busyMentees?: number;
  title?: string;
}

export interface SeededCohort {
  course: PlatformCourse;
  courseId: string;
  coordinator: PlatformUser;
  /** Mentor of the first ten candidates. */
  mentor: PlatformUser;
  /** Mentor of the first `busyMentees` candidates. */
  busyMentor: PlatformUser;
  /** The first candidate, with a portfolio (sections ready for review and commented on). */
  candidate: PlatformUser;
  candidateSectionId: string;
  launch(user: PlatformUser, role: 'Instructor' | 'TeachingAssistant' | 'Learner'): Promise<ToolSession>;
}

async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<unknown>, size = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Seeds the course; the coordinator has launched (the course exists as a launch makes it). */
export async function seedCohort(tool: ToolRef, platform: TestPlatform, opts: SeedOptions): Promise<SeededCohort> {
  const n = opts.candidates;
  const busy = Math.min(opts.busyMentees ?? 10, n);
  const course = platform.course({ title: opts.title ?? `Cohort of ${n}` });
  const launch = async (user: PlatformUser, role: 'Instructor' | 'TeachingAssistant' | 'Learner') => {
    const s = await launchAs(tool, platform, { role, user, course });
    if (!s.ok) throw new Error(`seeded launch as ${role} failed: ${s.status} ${s.html.slice(0, 200)}`);
    return s;
  };
  const coordinator = platform.user({ name: 'Cora Ordinator' });
  await launch(coordinator, 'Instructor');
  const stored = await Course.findOne({ contextId: course.id }).lean();
  const courseId = String(stored!._id);
  const issuer = platform.issuer;

  const candidate = platform.user({ name: nameOf(0) });
  const mentor = platform.user({ name: 'Mentor 1' });
  const busyMentor = platform.user({ name: 'Busy Mentor' });
  const mentorCount = Math.max(1, Math.ceil(n / 10));
  const mentorSubs = [mentor.id, ...Array.from({ length: mentorCount - 1 }, (_, i) => `seed-mentor-${randomUUID()}-${i}`)];
  const candidateSubs = [candidate.id, ...Array.from({ length: n - 1 }, (_, i) => `seed-candidate-${randomUUID()}-${i}`)];
  // One in ten candidates (never the first) is on the roster only: they have not opened the tool yet.
  const launchedSubs = candidateSubs.filter((_, i) => i === 0 || i % 10 !== 9);

  const people = [
    ...launchedSubs.map((sub) => ({ sub, name: nameOf(candidateSubs.indexOf(sub)), roles: [LEARNER], app: 'candidate' })),
    ...mentorSubs.map((sub, i) => ({ sub, name: i === 0 ? mentor.name : `Mentor ${i + 1}`, roles: [TA], app: 'mentor' })),
    { sub: busyMentor.id, name: busyMentor.name, roles: [TA], app: 'mentor' },
  ];
  const users: Array<{ _id: Types.ObjectId; sub: string }> = [];
  await inBatches(people, async (batch) => {
    const made = await User.insertMany(batch.map((p) => ({ issuer, sub: p.sub, name: p.name, email: `${p.sub}@example.ac.uk` })));
    users.push(...made.map((u) => ({ _id: u._id as Types.ObjectId, sub: u.sub })));
  });
  const userOf = new Map(users.map((u) => [u.sub, String(u._id)]));
  await inBatches(people, (batch) =>
    Membership.insertMany(batch.map((p) => ({ user: userOf.get(p.sub), course: courseId, ltiRoles: p.roles, appRoles: [p.app], lastLaunchAt: new Date() }))),
  );

  // Everyone on the VLE's roster, as a finished sync left them.
  const syncId = randomUUID();
  const roster = [
    { sub: coordinator.id, name: coordinator.name, roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] },
    ...people.map((p) => ({ sub: p.sub, name: p.name, roles: p.roles })),
    ...candidateSubs.filter((s) => !launchedSubs.includes(s)).map((sub) => ({ sub, name: nameOf(candidateSubs.indexOf(sub)), roles: [LEARNER] })),
  ];
  const Member = rosterMemberModel(mongoose.connection);
  await inBatches(roster, (batch) =>
    Member.insertMany(batch.map((r) => ({ courseId, issuer, sub: r.sub, name: r.name, email: `${r.sub}@example.ac.uk`, roles: r.roles, status: 'active', lastSyncId: syncId }))),
  );
  await rosterSyncModel(mongoose.connection).updateOne(
    { courseId },
    { $set: { issuer, clientId: 'seeded', membershipsUrl: `${platform.baseUrl}/nrps/${course.id}`, nextRunAt: new Date(Date.now() + 86_400_000), lastSuccessAt: new Date(), attempts: 0, memberCount: roster.length } },
    { upsert: true },
  );

  // A portfolio for each launched candidate; a few sections ready for review, some approved.
  const framework = frameworks().defaultFramework();
  const template = { frameworkId: framework.id, frameworkVersion: framework.version, pathway: 'cmalt', specialistAreas: ['Digital accessibility'] };
  const portfolios: Array<{ _id: Types.ObjectId; userId: string }> = [];
  await inBatches(launchedSubs, async (batch) => {
    const made = await Portfolio.insertMany(batch.map((sub) => ({ ...template, userId: userOf.get(sub)!, courseId })));
    portfolios.push(...made.map((p) => ({ _id: p._id as Types.ObjectId, userId: p.userId })));
  });
  const areas = areasOf(framework, template);
  const ownerOf = new Map(portfolios.map((p) => [String(p._id), p.userId]));
  const sections = portfolios.flatMap((p, i) =>
    areas.map((a, j) => ({
      _id: new mongoose.Types.ObjectId(),
      portfolio: p._id,
      areaId: a.id,
      state: j === 0 && i % 3 === 0 ? 'ready_for_review' : j === 1 && i % 2 === 0 ? 'meets_criterion' : 'not_started',
      version: j < 2 ? 1 : 0,
      body: j < 2 ? '<p>What I did and what I learnt.</p>' : '',
      summary: { bodyWords: j < 2 ? 7 : 0, bodyStamp: 1, exampleWords: 0, exampleCount: 0, examplesStamp: 1 },
    })),
  );
  // The open requests first: a ready section without one is what the background catch-up looks for.
  const ready = sections.filter((s) => s.state === 'ready_for_review');
  await inBatches(ready, (batch) =>
    ReviewRequest.insertMany(batch.map((s) => ({ section: s._id, portfolio: s.portfolio, courseId, candidateId: ownerOf.get(String(s.portfolio)), since: new Date(), sectionVersion: 1, open: true }))),
  );
  await inBatches(sections, (batch) => Section.insertMany(batch, { ordered: false }));

  // One mentor per ten candidates, and the busy mentor's own candidates.
  const assignments = [
    ...candidateSubs.map((sub, i) => ({ courseId, mentorSub: mentorSubs[Math.floor(i / 10)], candidateSub: sub, assignedBy: 'seed' })),
    ...candidateSubs.slice(0, busy).map((sub) => ({ courseId, mentorSub: busyMentor.id, candidateSub: sub, assignedBy: 'seed' })),
  ];
  await inBatches(assignments, (batch) => MentorAssignment.insertMany(batch));

  const first = portfolios.find((p) => p.userId === userOf.get(candidate.id))!;
  const firstSection = await Section.findOne({ portfolio: first._id, areaId: areas[0].id }, { _id: 1 }).lean();
  return { course, courseId, coordinator, mentor, busyMentor, candidate, candidateSectionId: String(firstSection!._id), launch };
}
