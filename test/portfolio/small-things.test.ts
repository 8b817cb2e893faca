import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { Portfolio, Section } from '../../src/portfolio/models';
import { areaKeywords, highlightCv } from '../../src/portfolio/planning/keywords';
import { frameworks } from '../../src/portfolio';
import { text } from '../support/factories';

/** Issue 16's small things a tired person trips on, each through a real launch where it shows on a page. */
const suite = toolSuite();

test('a course that fixed CMALT: no pathway choice, no Senior-only field, no version jargon, no length nag on the declaration', async () => {
  const course = suite.platform.course({ title: 'Fixed CMALT course' });
  const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Fay Fixed' }), course, custom: { cmalt_pathway: 'cmalt', cmalt_framework: 'cmalt' } });
  expect(s.ok).toBe(true);
  const start = text(s.html);
  expect(start).toContain('Your course uses the CMALT pathway.');
  expect(start).not.toMatch(/Choose your pathway/);
  expect(start).not.toMatch(/Senior/);
  const started = await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Video' });
  expect(started.status).toBe(200);
  const home = await s.get('/portfolio');
  expect(text(home.html)).not.toMatch(/version \d/i);
  const portfolio = (await Portfolio.findOne({ courseId: { $exists: true } }).sort({ _id: -1 }).lean())!;
  const declaration = (await Section.findOne({ portfolio: portfolio._id, areaId: 'declaration' }).lean())!;
  const page = await s.get(`/portfolio/sections/${declaration._id}`);
  expect(page.status).toBe(200);
  expect(text(page.html)).not.toMatch(/advises .* words|word count/);
  const history = await s.get(`/portfolio/sections/${declaration._id}/revisions`);
  expect(text(history.html)).not.toMatch(/Version \d/);
});

test('the CV matcher finds an area by its keywords from the framework file, not its formal title', () => {
  const cmalt = frameworks().latest('cmalt')!;
  const area1a = cmalt.areas.find((a) => a.id === '1a')!;
  expect(area1a.keywords.length).toBeGreaterThan(0);
  const lines = highlightCv('Led lecture capture options appraisal\nOrganised the summer party', areaKeywords({ title: area1a.title, keywords: area1a.keywords }));
  expect(lines.map((l) => l.mentions)).toEqual([true, false]);
});

test('a new link has no date filled in, and a link saved without one shows none', async () => {
  const course = suite.platform.course({ title: 'Link dates' });
  const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Lin Link' }), course });
  await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Video' });
  const form = await s.get('/portfolio/evidence/new?kind=link');
  expect(form.status).toBe(200);
  expect(form.html).not.toMatch(/name="date"[^>]*value="\d{4}-/);
  const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date());
  const saved = await s.post('/portfolio/evidence/links', { title: 'Our guide', url: 'https://example.org/guide', date: '', description: '', tags: '' });
  expect(saved.status).toBe(200);
  const list = await s.get('/portfolio/evidence');
  expect(text(list.html)).toContain('Our guide');
  expect(text(list.html)).not.toContain(today);
});
