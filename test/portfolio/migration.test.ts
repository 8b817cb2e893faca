import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { Portfolio, Section, type SectionDoc } from '../../src/portfolio/models';
import { ensureSections, type PortfolioCore } from '../../src/portfolio/portfolio.service';
import { areasOf, getFramework, loadFrameworks } from '../../src/portfolio/framework';
import { migrateToLatest } from '../../src/portfolio/migration';
import { addExample, saveBody } from '../../src/portfolio/section.service';
import { applyTransition, type StateActor } from '../../src/portfolio/section-states';
import { htmlToText } from '../../src/portfolio/rich-text';
import { User } from '../../src/people/user.model';
import { Course } from '../../src/people/course.model';
import { aWorker, settle } from '../gradebook/support';
import { text } from '../support/factories';

/** A portfolio begun on CMALT version 1 meets the corrected version 2: every word kept, told what moved, re-scored. */
const suite = toolSuite();
afterEach(() => suite.platform.assertNoUnexpectedCalls());
const wordsOf = (s: Pick<SectionDoc, 'body' | 'examples'>) =>
  [htmlToText(s.body), ...s.examples.flatMap((e) => [e.title, htmlToText(e.description), htmlToText(e.reflection)])].join(' ').split(/\s+/).filter(Boolean);

async function walk(sectionId: unknown, to: 'meets_criterion' | 'needs_more_work') {
  for (const [state, by] of [['ready_for_review', 'candidate'], [to, 'mentor']] as Array<[typeof to | 'ready_for_review', StateActor]>) {
    const s = (await Section.findById(sectionId).lean())!;
    const r = await applyTransition({ sectionId: s._id, to: state, by, expectedVersion: s.version, byUser: 'test' });
    if (!r.ok) throw new Error(`could not move to ${state}: ${r.reason}`);
  }
}

test('a Senior CMALT portfolio on version 1 moves to version 2 with every word kept, the candidate told, and the score re-posted', async () => {
  const course = suite.platform.course({ title: 'Migration course' });
  const person = suite.platform.user({ name: 'Mira Migrates' });
  const session = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: person, course });
  const user = (await User.findOne({ sub: person.id }).lean())!;
  const dbCourse = (await Course.findOne({ contextId: course.id }).lean())!;
  // Begun before the correction: version 1, its own area ids (two fixed advanced areas), names in the older list.
  const created = await Portfolio.create({ userId: String(user._id), courseId: String(dbCourse._id), frameworkId: 'cmalt', frameworkVersion: 1, pathway: 'senior', specialistAreas: ['Accessibility', 'Assessment'] });
  const v1 = getFramework('cmalt', 1);
  const portfolio = created.toObject() as unknown as PortfolioCore;
  await ensureSections(portfolio, v1);
  const v1Areas = areasOf(v1, portfolio);
  for (const area of v1Areas) {
    const section = (await Section.findOne({ portfolio: portfolio._id, areaId: area.id }).lean())!;
    const target = { portfolioId: portfolio._id, sectionId: String(section._id), byUser: String(user._id) };
    await saveBody(target, { baseVersion: 0, body: `<p>Body of ${area.id} with word${area.id.replace(/\W/g, '')}body.</p>` });
    if (area.kind === 'examples') {
      await addExample(target, {
        baseVersion: 1,
        example: { title: `Example ${area.id}`, tags: { role: '', project: '', year: '' }, description: `<p>Described ${area.id}unique.</p>`, reflection: `<p>Reflected ${area.id}learned.</p>` },
      });
    }
    if (area.assessed) await walk(section._id, area.id === 'adv-influence' ? 'needs_more_work' : 'meets_criterion');
  }
  const before = (await Section.find({ portfolio: portfolio._id }).lean()) as SectionDoc[];
  const everyWord = before.flatMap(wordsOf);
  expect(everyWord.length).toBeGreaterThan(100);

  // The VLE has the version 1 score: 12 of 13 assessed areas (future plans counted then).
  const worker = aWorker(suite.tool);
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(person.id).at(-1)).toMatchObject({ scoreGiven: 92.31, comment: '12 of 13 areas meet the criterion' });

  // The candidate opens their portfolio: it moves, and says what moved.
  const page = text((await session.get('/portfolio')).html);
  expect(page).toContain('Your framework was updated'); // without version numbers: candidates do not know frameworks by number
  expect(page).not.toMatch(/version 1 to 2/);
  expect(page).toContain('Every word you wrote is kept');
  expect(page).toContain('Leadership in learning technology is now part of your one advanced area');
  expect(page).toContain('Future plans is no longer assessed');
  expect(page).toContain('is now called “1a An understanding of the constraints and benefits of different technologies”');
  expect(page).toContain('6 Advanced area: Leadership and influence in learning technology');
  expect(page).toContain('5 Specialist area: Assessment');
  // Leadership passed, influence needed more work: combined, the area goes back to the mentor.
  expect(page).toContain('10 of 11 assessed sections meet the criterion');

  const moved = (await Portfolio.findById(portfolio._id).lean())!;
  expect(moved).toMatchObject({ frameworkVersion: 2, migratingSince: null });
  const live = areasOf(getFramework('cmalt', 2), moved).map((a) => a.id);
  const after = (await Section.find({ portfolio: portfolio._id, areaId: { $in: live } }).lean()) as SectionDoc[];
  const kept = after.flatMap(wordsOf);
  for (const word of new Set(everyWord)) expect(kept).toContain(word);
  expect(kept.length).toBeGreaterThanOrEqual(everyWord.length);
  // Nothing was deleted: the older section is kept, retired.
  expect(await Section.countDocuments({ portfolio: portfolio._id, areaId: 'retired-v1-adv-influence' })).toBe(1);
  // A renamed area kept its section (and so its history, comments and decision).
  const oneA = before.find((s) => s.areaId === '1a')!;
  expect((await Section.findById(oneA._id).lean())!).toMatchObject({ areaId: '1a', state: 'meets_criterion' });

  // Re-scored from version 2, and re-posted because it changed.
  await worker.reconcile();
  await settle(worker);
  expect(suite.platform.ags.scoresFor(person.id).at(-1)).toMatchObject({ scoreGiven: 90.91, comment: '10 of 11 areas meet the criterion' });

  // Read, the notice goes; opening again moves nothing twice.
  expect((await session.post('/portfolio/migration-seen', {})).status).toBe(200);
  const again = text((await session.get('/portfolio')).html);
  expect(again).not.toContain('Your framework was updated');
  expect((await Portfolio.findById(portfolio._id).lean())!.migrations).toHaveLength(1);
  expect(await Section.countDocuments({ portfolio: portfolio._id })).toBe(before.length);
});

test('a split area keeps its text in the first part, the new part starts empty, and both are named in what moved', async () => {
  const dir = path.resolve(__dirname, '../../config/frameworks');
  const v2 = JSON.parse(readFileSync(path.join(dir, 'cmalt.json'), 'utf8'));
  const v3 = JSON.parse(JSON.stringify(v2));
  v3.version = 3;
  const oneA = v3.areas.find((a: { id: string }) => a.id === '1a');
  v3.areas.push({ ...oneA, id: '1a-ii', title: 'Weighing up technologies for others' });
  oneA.id = '1a-i';
  for (const p of v3.pathways) {
    p.areas = p.areas.flatMap((id: string) => (id === '1a' ? ['1a-i', '1a-ii'] : [id]));
    if (p.overrides?.['1a']) {
      p.overrides['1a-i'] = p.overrides['1a'];
      delete p.overrides['1a'];
    }
  }
  v3.migrations = [{ from: 2, notice: 'Core area 1a is now two areas.', areas: [{ from: '1a', to: '1a-i', note: 'Your 1a text is now in 1a (i); divide it with 1a (ii) as you see fit.' }] }];
  const tmp = mkdtempSync(path.join(tmpdir(), 'fw-split-'));
  writeFileSync(path.join(tmp, 'cmalt-v1.json'), readFileSync(path.join(dir, 'cmalt-v1.json')));
  writeFileSync(path.join(tmp, 'cmalt.json'), JSON.stringify(v2));
  writeFileSync(path.join(tmp, 'cmalt-v3.json'), JSON.stringify(v3));
  const registry = loadFrameworks(tmp);

  const created = await Portfolio.create({ userId: 'split-user', courseId: 'split-course', frameworkId: 'cmalt', frameworkVersion: 2, pathway: 'cmalt', areaNames: [{ areaId: 'specialist-1', name: 'Video' }] });
  const portfolio = created.toObject() as unknown as PortfolioCore;
  await ensureSections(portfolio, getFramework('cmalt', 2));
  const oneASection = (await Section.findOne({ portfolio: portfolio._id, areaId: '1a' }).lean())!;
  await saveBody({ portfolioId: portfolio._id, sectionId: String(oneASection._id), byUser: 'split-user' }, { baseVersion: 0, body: '<p>Every word of my 1a text.</p>' });

  const moved = (await migrateToLatest(registry, portfolio))!;
  expect(moved.frameworkVersion).toBe(3);
  expect((await Section.findById(oneASection._id).lean())!).toMatchObject({ areaId: '1a-i', body: '<p>Every word of my 1a text.</p>', state: 'draft' });
  expect((await Section.findOne({ portfolio: portfolio._id, areaId: '1a-ii' }).lean())!).toMatchObject({ state: 'not_started', body: '' });
  const record = (await Portfolio.findById(portfolio._id).lean())!.migrations!.at(-1)!;
  expect(record.moved).toEqual(expect.arrayContaining(['Your 1a text is now in 1a (i); divide it with 1a (ii) as you see fit.', 'New section: 1a Weighing up technologies for others.']));
  expect(await migrateToLatest(registry, moved)).toBeNull(); // nothing further to move
});
