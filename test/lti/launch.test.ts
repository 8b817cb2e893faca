import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { Course } from '../../src/people/course.model';
import { Membership } from '../../src/people/membership.model';
import { User } from '../../src/people/user.model';

const suite = toolSuite();

const header = (html: string) => /<header[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';

describe('launching from the VLE', () => {
  it('a learner lands on their portfolio page with their name and role in the header', async () => {
    const user = suite.platform.user({ name: 'Alice Learner' });
    const course = suite.platform.course({ title: 'CMALT 2026 cohort' });
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user, course });
    expect(s.status).toBe(200);
    expect(s.ok).toBe(true);
    expect(new URL(s.url).pathname).toBe('/portfolio');
    expect(header(s.html)).toContain('Alice Learner');
    expect(header(s.html)).toContain('Candidate');
    expect(header(s.html)).toContain('CMALT 2026 cohort');
  });

  it('a teaching assistant lands on the mentoring page as a mentor', async () => {
    const user = suite.platform.user({ name: 'Tariq Assistant' });
    const s = await launchAs(suite.tool, suite.platform, { roles: ['Instructor', 'Instructor#TeachingAssistant'], user });
    expect(s.status).toBe(200);
    expect(new URL(s.url).pathname).toBe('/mentoring');
    expect(header(s.html)).toContain('Tariq Assistant');
    expect(header(s.html)).toContain('Mentor');
  });

  it('an instructor lands on the cohort page as coordinator', async () => {
    const user = suite.platform.user({ name: 'Iris Instructor' });
    const s = await launchAs(suite.tool, suite.platform, { role: 'Instructor', user });
    expect(s.status).toBe(200);
    expect(new URL(s.url).pathname).toBe('/cohort');
    expect(header(s.html)).toContain('Iris Instructor');
    expect(header(s.html)).toContain('Coordinator');
  });

  it('an institution administrator is handed over to the installer pages, signed in', async () => {
    const user = suite.platform.user({ name: 'Ada Administrator' });
    const s = await launchAs(suite.tool, suite.platform, { role: 'institution:Administrator', user });
    expect(s.status).toBe(200);
    expect(new URL(s.url).pathname).toMatch(/^\/admin/);
    expect(new URL(s.url).pathname).not.toMatch(/login/);
    expect(s.response.chain.some((a) => /\/admin\/enter\?ticket=/.test(a.url))).toBe(true);
  });

  it('records the user, course and membership, and updates the name on the next launch', async () => {
    const user = suite.platform.user({ name: 'Bea Before', email: 'bea@vle.example.ac.uk' });
    const course = suite.platform.course({ title: 'Records course', label: 'REC-1' });
    await launchAs(suite.tool, suite.platform, { role: 'Learner', user, course, custom: { cmalt_pathway: 'senior' } });
    user.name = 'Bea After';
    user.picture = 'https://vle.example.ac.uk/pictures/bea.png';
    const s = await launchAs(suite.tool, suite.platform, { role: 'Mentor', user, course, roleScopeMentor: ['sub-a', 'sub-b'], custom: { cmalt_pathway: 'cmalt' } });
    expect(s.ok).toBe(true);
    const saved = await User.findOne({ sub: user.id }).lean();
    expect(saved).toMatchObject({
      issuer: suite.platform.issuer,
      name: 'Bea After',
      email: 'bea@vle.example.ac.uk',
      picture: 'https://vle.example.ac.uk/pictures/bea.png',
    });
    expect(saved?.lastLaunchAt).toBeInstanceOf(Date);
    const savedCourse = await Course.findOne({ contextId: course.id }).lean();
    // the pathway the first deep-linked launch carried stays the course's pathway
    expect(savedCourse).toMatchObject({ title: 'Records course', label: 'REC-1', deploymentId: suite.tool.deploymentId, pathway: 'senior' });
    const membership = await Membership.findOne({ user: saved!._id, course: savedCourse!._id }).lean();
    expect(membership?.appRoles).toEqual(['mentor']);
    expect(membership?.mentorScope).toEqual(['sub-a', 'sub-b']);
    expect(await Membership.countDocuments({ user: saved!._id })).toBe(1);
  });

  it('a launch whose roles map to nothing gets a page saying which role to ask for', async () => {
    const s = await launchAs(suite.tool, suite.platform, { roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Member'] });
    expect(s.status).toBe(403);
    expect(s.html).toContain('does not give access to CMALT Portfolio');
    expect(s.html).toContain('Learner');
    expect(s.html).toContain('Teaching Assistant');
    expect(s.html).not.toMatch(/at \w+ \(.*:\d+:\d+\)/); // no stack trace
  });
});
