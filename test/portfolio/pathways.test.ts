import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { Portfolio, Section } from '../../src/portfolio/models';
import { Course } from '../../src/people/course.model';
import { text } from '../support/factories';

/** The corrected CMALT through real launches: Senior, Associate, adding a specialist area, the declaration, length advice. */
const suite = toolSuite();

async function started(courseTitle: string, name: string, pathway: string | undefined, form: Record<string, string>) {
  const course = suite.platform.course({ title: courseTitle });
  const user = suite.platform.user({ name });
  const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user, course, ...(pathway ? { custom: { cmalt_pathway: pathway, cmalt_framework: 'cmalt' } } : {}) });
  if (!s.ok) throw new Error(`launch failed ${s.status}`);
  const answer = await s.post('/portfolio/start', form);
  const portfolio = await Portfolio.findOne().sort({ createdAt: -1 }).lean();
  const sections = portfolio ? await Section.find({ portfolio: portfolio._id }).lean() : [];
  return { s, course, answer, portfolio, id: (areaId: string) => String(sections.find((x) => x.areaId === areaId)?._id) };
}

describe('CMALT pathways as ALT describes them', () => {
  test('Senior: two specialist areas and an advanced area the candidate names; core area 4 asks for two or more examples', async () => {
    const bad = await started('Senior course', 'Sam Senior', 'senior', { pathway: 'senior', name_specialist_1: 'Accessibility', name_specialist_2: '' });
    expect(bad.answer.status).toBe(422);
    expect(text(bad.answer.html)).toContain('Please name your 2 specialist areas.');
    expect(await Portfolio.countDocuments({})).toBe(0);
    const form = { pathway: 'senior', name_specialist_1: 'Accessibility', name_specialist_2: 'Assessment design', name_advanced_1: 'Promoting equality in learning technology' };
    const ok = await bad.s.post('/portfolio/start', form);
    expect(ok.status).toBe(200);
    const page = text(ok.html);
    expect(page).toContain('Senior CMALT');
    expect(page).toContain('5 Specialist area: Accessibility');
    expect(page).toContain('5 Specialist area: Assessment design');
    expect(page).toContain('6 Advanced area: Promoting equality in learning technology');
    expect(page).toContain('0 of 11 assessed sections meet the criterion');
    const portfolio = (await Portfolio.findOne({ pathway: 'senior' }).lean())!;
    const four = (await Section.findOne({ portfolio: portfolio._id, areaId: '4' }).lean())!;
    const section = text((await bad.s.get(`/portfolio/sections/${four._id}`)).html);
    expect(section).toContain('Give 2 or more distinct examples');
    expect(section).toContain('Sharing effective practice'); // the scheme's core values, beside the examples
  });

  test('Associate CMALT: the core areas and no specialist area; nothing to add later', async () => {
    const a = await started('Associate course', 'Ada Associate', undefined, { pathway: 'associate' });
    expect(a.answer.status).toBe(200);
    const page = text(a.answer.html);
    expect(page).toContain('Associate CMALT');
    expect(page).toContain('0 of 8 assessed sections meet the criterion');
    expect(page).not.toContain('Specialist area');
    expect(page).not.toContain('Add a specialist area');
  });

  test('CMALT: a second and third specialist area are added later, a fourth is refused; 3b accepts legislation', async () => {
    const c = await started('CMALT course', 'Cal Candidate', undefined, { pathway: 'cmalt', name_specialist_1: 'Open education' });
    expect(c.answer.status).toBe(200);
    expect(text(c.answer.html)).toContain('Add a specialist area');
    const same = await c.s.post('/portfolio/areas', { set: 'specialist', name: 'open education' });
    expect(same.status).toBe(422);
    expect(text(same.html)).toContain('You already have a specialist area with that name.');
    const added = await c.s.post('/portfolio/areas', { set: 'specialist', name: 'Learning analytics' });
    expect(added.status).toBe(200);
    expect(text(added.html)).toContain('5 Specialist area: Learning analytics');
    expect(text(added.html)).toContain('Area added to your portfolio.');
    expect((await c.s.post('/portfolio/areas', { set: 'specialist', name: 'Video' })).status).toBe(200);
    const overview = text((await c.s.get('/portfolio')).html);
    expect(overview).toContain('0 of 11 assessed sections meet the criterion');
    expect(overview).not.toContain('Add a specialist area');
    const full = await c.s.post('/portfolio/areas', { set: 'specialist', name: 'Badges' });
    expect(full.status).toBe(422);
    expect(text(full.html)).toContain('Your pathway has no room for another specialist area.');
    expect((await Portfolio.findOne({ _id: c.portfolio!._id }).lean())!.areaNames).toHaveLength(3);
    const threeB = text((await c.s.get(`/portfolio/sections/${c.id('3b')}`)).html);
    expect(threeB).toContain('Understanding and engaging with a second area of legislation, or with policy');
  });

  test('the declaration keeps an optional nominated assessor; another candidate cannot set it', async () => {
    const c = await started('Declaration course', 'Dee Declares', undefined, { pathway: 'cmalt', name_specialist_1: 'Accessibility' });
    const id = c.id('declaration');
    const page = text((await c.s.get(`/portfolio/sections/${id}`)).html);
    expect(page).toContain('Nominated assessor (optional)');
    const saved = await c.s.post(`/portfolio/sections/${id}/fields`, { baseVersion: '0', 'nominated-assessor': 'Dr Ada Lovelace' });
    expect(saved.status).toBe(200);
    expect((await Section.findById(id).lean())!.fields).toEqual([{ id: 'nominated-assessor', value: 'Dr Ada Lovelace' }]);
    const stale = await c.s.post(`/portfolio/sections/${id}/fields`, { baseVersion: '0', 'nominated-assessor': 'Someone else' });
    expect(stale.status).toBe(409);
    const long = await c.s.post(`/portfolio/sections/${id}/fields`, { baseVersion: '1', 'nominated-assessor': 'x'.repeat(201) });
    expect(long.status).toBe(422);
    expect(text(long.html)).toContain('Nominated assessor (optional) must be 200 characters or fewer.');
    const other = await started('Declaration course 2', 'Olly Other', undefined, { pathway: 'cmalt', name_specialist_1: 'Video' });
    expect((await other.s.post(`/portfolio/sections/${id}/fields`, { baseVersion: '1', 'nominated-assessor': 'Me' })).status).toBe(404);
    expect((await Section.findById(id).lean())!.fields).toEqual([{ id: 'nominated-assessor', value: 'Dr Ada Lovelace' }]);
  });

  test('length advice is the scheme’s until the coordinator sets the course’s; only a coordinator may', async () => {
    const c = await started('Advice course', 'Lena Length', undefined, { pathway: 'cmalt', name_specialist_1: 'Accessibility' });
    const before = text((await c.s.get(`/portfolio/sections/${c.id('1a')}`)).html);
    expect(before).toContain("The scheme's guidance gives no word count per area");
    expect(text((await c.s.get(`/portfolio/sections/${c.id('future-plans')}`)).html)).toContain('The scheme advises 200–500 words');
    expect((await c.s.post('/portfolio/length-advice', { min: '300', max: '700', note: '' })).status).toBe(403);
    const coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cora Coordinator' }), course: c.course });
    expect((await coordinator.get('/portfolio/length-advice')).status).toBe(200);
    const wrong = await coordinator.post('/portfolio/length-advice', { min: '800', max: '300', note: '' });
    expect(wrong.status).toBe(422);
    expect(text(wrong.html)).toContain('The smallest number of words must not be more than the largest.');
    const notNumber = await coordinator.post('/portfolio/length-advice', { min: 'lots', max: '', note: '' });
    expect(notNumber.status).toBe(422);
    expect((await Course.findOne({ title: 'Advice course' }).lean())!.wordAdvice).toBeFalsy();
    expect((await coordinator.post('/portfolio/length-advice', { min: '300', max: '700', note: 'About a page' })).status).toBe(200);
    const after = text((await c.s.get(`/portfolio/sections/${c.id('1a')}`)).html);
    expect(after).toContain('Your coordinator advises 300–700 words (about a page)');
  });
});
