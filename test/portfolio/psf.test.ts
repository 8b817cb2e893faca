import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { Portfolio, Section } from '../../src/portfolio/models';
import { aWorker, settle } from '../gradebook/support';
import { text } from '../support/factories';

/** PSF 2023 as a second framework, chosen with its descriptor when the tool is added to the course. */
const suite = toolSuite();
const missingPart = (page: string) => page.slice(page.indexOf('Still missing'), page.indexOf('Tag the parts of'));

test('a D2 account shows K4 missing until a case study is tagged K4; tags survive edits; nobody else can tag', async () => {
  const course = suite.platform.course({ title: 'Fellowship course' });
  const user = suite.platform.user({ name: 'Fen Fellow' });
  const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user, course, custom: { cmalt_pathway: 'd2', cmalt_framework: 'psf-2023' } });
  expect(s.ok).toBe(true);
  expect(text(s.html)).toContain('Start your Fellowship portfolio');
  expect(text(s.html)).toContain('Your course uses the Descriptor 2: Fellow pathway.');
  const started = await s.post('/portfolio/start', { pathway: 'd2' });
  expect(started.status).toBe(200);
  expect(text(started.html)).toContain('Reflective account of practice');
  const portfolio = (await Portfolio.findOne({ frameworkId: 'psf-2023' }).lean())!;
  expect(portfolio).toMatchObject({ pathway: 'd2', frameworkVersion: 1 });
  const sections = await Section.find({ portfolio: portfolio._id }).lean();
  const id = (areaId: string) => String(sections.find((x) => x.areaId === areaId)!._id);

  // An account in two parts, tagged with everything but K4; a case study not yet tagged.
  const add = async (areaId: string, title: string, version: number) => {
    const r = await s.post(`/portfolio/sections/${id(areaId)}/examples`, { baseVersion: String(version), title, description: `What I did in ${title}.`, reflection: 'What I learned.' });
    expect(r.status).toBe(200);
  };
  await add('account', 'Designing the module', 0);
  await add('account', 'Feedback and guidance', 1);
  await add('case-studies', 'Moving labs online', 0);
  const account = (await Section.findById(id('account')).lean())!;
  const [p1, p2] = account.examples.map((e) => String(e._id));
  const tagged = await s.post(`/portfolio/sections/${id('account')}/dimensions`, {
    baseVersion: String(account.version),
    [`dims_${p1}`]: 'A1,A2,A5,K1,K2,K3,V1,V2,V3', // what the browser sends as repeated fields, as a script may send it
    [`dims_${p2}`]: 'A3,A4,K5,V4,V5',
  });
  expect(tagged.status).toBe(200);
  let coverage = text(tagged.html);
  expect(coverage).toContain('Dimensions saved.');
  expect(missingPart(coverage)).toContain('K4 Appropriate use of digital and/or other technologies and resources: not yet evidenced.');
  expect(missingPart(coverage)).not.toContain('K3');
  expect(coverage).toContain('Reflective account of practice : Designing the module');

  // Editing a part's words keeps its tags.
  const before = (await Section.findById(id('account')).lean())!;
  const edit = await s.post(`/portfolio/sections/${id('account')}/examples/${p1}`, { baseVersion: String(before.version), title: 'Designing the module', description: 'Longer words now.', reflection: 'Still learning.' });
  expect(edit.status).toBe(200);
  expect((await Section.findById(id('account')).lean())!.examples[0].dimensions).toEqual(['A1', 'A2', 'A5', 'K1', 'K2', 'K3', 'V1', 'V2', 'V3']);

  // A stale or unknown tag changes nothing.
  const study = (await Section.findById(id('case-studies')).lean())!;
  const cs = String(study.examples[0]._id);
  expect((await s.post(`/portfolio/sections/${id('case-studies')}/dimensions`, { baseVersion: String(study.version + 5), [`dims_${cs}`]: 'K4' })).status).toBe(409);
  const unknown = await s.post(`/portfolio/sections/${id('case-studies')}/dimensions`, { baseVersion: String(study.version), [`dims_${cs}`]: 'Z9' });
  expect(unknown.status).toBe(422);
  expect(text(unknown.html)).toContain('Please choose only from the dimensions listed.');
  // Another candidate guessing the address cannot tag it.
  const other = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Otto Other' }), course, custom: { cmalt_pathway: 'd2', cmalt_framework: 'psf-2023' } });
  await other.post('/portfolio/start', { pathway: 'd2' });
  expect((await other.post(`/portfolio/sections/${id('case-studies')}/dimensions`, { baseVersion: String(study.version), [`dims_${cs}`]: 'K4' })).status).toBe(404);
  expect(missingPart(text((await s.get('/portfolio/coverage')).html))).toContain('K4');

  // The case study tagged K4: nothing is missing.
  const done = await s.post(`/portfolio/sections/${id('case-studies')}/dimensions`, { baseVersion: String(study.version), [`dims_${cs}`]: 'K4' });
  expect(done.status).toBe(200);
  coverage = text(done.html);
  expect(coverage).toContain('Everything your descriptor needs is evidenced');
  expect(coverage).toContain('Case studies : Moving labs online');
});

test('D1 needs two Areas of Activity with K1 to K3, V1 and V3; a CMALT portfolio has no coverage page', async () => {
  const course = suite.platform.course({ title: 'Associate Fellow course' });
  const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Dee One' }), course, custom: { cmalt_pathway: 'd1', cmalt_framework: 'psf-2023' } });
  await s.post('/portfolio/start', { pathway: 'd1' });
  const page = text((await s.get('/portfolio/coverage')).html);
  expect(page).toContain('At least 2 of A1, A2, A3, A4, A5: 0 evidenced so far.');
  expect(page).toContain('K1 How learners learn: not yet evidenced.');
  expect(missingPart(page)).not.toContain('K4');
  // The grade column the tool creates is named after the course's framework.
  const worker = aWorker(suite.tool);
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.lineItemsIn(course.id).map((i) => i.label)).toEqual(['Fellowship portfolio progress']);
  const cmalt = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Cal Cmalt' }), course: suite.platform.course() });
  await cmalt.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Video' });
  expect((await cmalt.get('/portfolio/coverage')).status).toBe(404);
});
