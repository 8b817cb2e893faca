import { PROFILES } from '../support/platform';
import { toolSuite } from '../support/suite';
import { Membership } from '../../src/people/membership.model';
import { launchAs } from '../support/launch';
import { aCandidate, launched, text } from '../mentoring/people';

const moodle = PROFILES.moodle;
const suite = toolSuite({ platform: { profile: 'moodle' } });
afterEach(() => suite.platform.assertNoUnexpectedCalls());

test('in a Moodle course two Instructors become one coordinator and one mentor; the mentor reaches only their own candidates', async () => {
  const p = suite.platform;
  const course = p.course({ title: 'Moodle CMALT' });
  const cora = p.user({ name: 'Cora Editing' });
  const mo = p.user({ name: 'Mo NonEditing' });
  const ann = p.user({ name: 'Ann NonEditing' });
  const admin = p.user({ name: 'Sam Siteadmin' });
  // Moodle's roster lists the non-editing teachers as Learner; the site administrator is not enrolled at all.
  const catUser = p.user({ name: 'Cat Candidate' });
  const danUser = p.user({ name: 'Dan Candidate' });
  p.setMembers(course.id, [
    { user: cora, roles: moodle.rosterRoles.editing },
    { user: mo, roles: moodle.rosterRoles.nonEditing },
    { user: ann, roles: moodle.rosterRoles.nonEditing },
    { user: catUser, roles: ['Learner'] },
    { user: danUser, roles: ['Learner'] },
  ]);

  const coraS = await launched(suite.tool, p, course, '', cora, { roles: moodle.teacherRoles.editing }); // the first teacher
  const moS = await launched(suite.tool, p, course, '', mo, { roles: moodle.teacherRoles.nonEditing });
  const annS = await launched(suite.tool, p, course, '', ann, { roles: moodle.teacherRoles.nonEditing });
  const adminS = await launchAs(suite.tool, p, { user: admin, course, roles: ['Instructor', 'institution:Administrator'] });
  expect(adminS.status).toBe(200); // an installer lands on the tool's own admin page
  const cat = await aCandidate(suite.tool, p, course, 'Cat Candidate', catUser);
  const dan = await aCandidate(suite.tool, p, course, 'Dan Candidate', danUser);

  // Both sent Instructor; only the first is a coordinator.
  expect((await coraS.get('/cohort')).status).toBe(200);
  for (const path of ['/cohort', '/cohort/teachers', '/gradebook', '/lti/roles']) expect((await moS.get(path)).status).toBe(403);
  const moHome = await moS.get('/mentoring');
  expect(moHome.status).toBe(200);
  expect(text(moHome.html)).not.toMatch(/>\s*Cohort\s*</);

  // The roster is synced; the Teachers page shows each teacher, why they are what they are, and the conflicts.
  expect((await coraS.post('/gradebook/roster/sync')).status).toBeLessThan(400);
  const teachers = text((await coraS.get('/cohort/teachers')).html);
  expect(teachers).toContain('Cora Editing (you) The first teacher to open CMALT Portfolio in this course.');
  expect(teachers).toContain('Mo NonEditing A later teacher: a mentor until a coordinator chooses otherwise.');
  expect(teachers).toContain('The VLE’s roster lists them as Learner, but their launches say Instructor.');
  expect(teachers).toContain('Sam Siteadmin');
  expect(teachers).toContain('Not on the VLE’s course roster');

  // The site administrator who launched once is not offered as a mentor; the two non-editing teachers are.
  const cohort = (await coraS.get('/cohort')).html;
  const options = cohort.slice(cohort.indexOf('Choose a mentor'), cohort.indexOf('</select>', cohort.indexOf('Choose a mentor')));
  expect(options).toContain('Mo NonEditing');
  expect(options).toContain('Ann NonEditing');
  expect(options).not.toContain('Sam Siteadmin');
  const refused = await coraS.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: admin.id, action: 'assign' });
  expect(refused.status).toBe(422);

  await coraS.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: mo.id, action: 'assign' });
  await coraS.post('/cohort/assignments', { candidateSub: dan.user.id, mentorSub: ann.id, action: 'assign' });
  expect((await moS.get(`/mentoring/candidates/${String(cat.portfolio._id)}`)).status).toBe(200);
  expect((await moS.get(`/mentoring/candidates/${String(dan.portfolio._id)}`)).status).toBe(404); // Ann's candidate
  expect((await moS.get(`/mentoring/sections/${dan.id('future-plans')}`)).status).toBe(404);

  // Bad choices change nothing: a made-up person, making yourself a mentor.
  const before = JSON.stringify(await Membership.find({}, { staffRole: 1 }).sort({ _id: 1 }).lean());
  const stranger = await coraS.post('/cohort/teachers', { person0: '0123456789abcdef01234567', role0: 'coordinator' });
  expect(stranger.status).toBe(422);
  expect(text(stranger.html)).toContain('is not a teacher in this course');
  const coraId = String((await Membership.findOne({ course: { $exists: true } }).sort({ _id: 1 }).lean())!.user);
  const self = await coraS.post('/cohort/teachers', { person0: coraId, role0: 'mentor' });
  expect(self.status).toBe(422);
  expect(text(self.html)).toContain('You cannot make yourself a mentor');
  const candidateTries = await cat.session.post('/cohort/teachers', { person0: coraId, role0: 'mentor' });
  expect(candidateTries.status).toBe(403);
  expect(JSON.stringify(await Membership.find({}, { staffRole: 1 }).sort({ _id: 1 }).lean())).toBe(before);

  // The coordinator makes Ann a coordinator too: from her next page she has the cohort.
  const page = (await coraS.get('/cohort/teachers')).html;
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/name="person(\d+)" value="([a-f0-9]{24})"/g)) fields[`person${m[1]}`] = m[2];
  const annRow = [...page.matchAll(/<legend>([^<]+)<\/legend>[\s\S]*?name="person(\d+)"/g)].find((m) => m[1].startsWith('Ann'))!;
  for (const k of Object.keys(fields)) fields[`role${k.slice(6)}`] = k.slice(6) === annRow[2] ? 'coordinator' : page.includes(`id="coord-${k.slice(6)}" name="role${k.slice(6)}" value="coordinator" checked`) ? 'coordinator' : 'mentor';
  const saved = await coraS.post('/cohort/teachers', fields);
  expect(saved.status).toBe(200);
  expect(saved.html).toContain('Saved.');
  expect((await annS.get('/cohort')).status).toBe(200);
  expect((await moS.get('/cohort')).status).toBe(403);
});

test('in a Moodle course the teacher who adds the tool (deep linking) is a coordinator, even when another teacher opened it first', async () => {
  const p = suite.platform;
  const course = p.course({ title: 'Added later' });
  const first = await launched(suite.tool, p, course, '', p.user({ name: 'Fay First' }), { roles: moodle.teacherRoles.editing });
  const adderUser = p.user({ name: 'Ada Adder' });
  const before = await launched(suite.tool, p, course, '', adderUser, { roles: moodle.teacherRoles.editing });
  expect((await before.get('/cohort')).status).toBe(403); // a later teacher: a mentor for now
  const adding = await launchAs(suite.tool, p, { user: adderUser, course, roles: moodle.teacherRoles.editing, messageType: 'LtiDeepLinkingRequest' });
  expect(adding.status).toBe(200);
  const after = await launched(suite.tool, p, course, '', adderUser, { roles: moodle.teacherRoles.editing });
  expect((await after.get('/cohort')).status).toBe(200);
  expect((await first.get('/cohort')).status).toBe(200);
  expect(text((await after.get('/cohort/teachers')).html)).toContain('Ada Adder (you) Added CMALT Portfolio to the course.');
});
