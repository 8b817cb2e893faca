import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { Portfolio, Section, type SectionDoc } from '../../src/portfolio/models';
import { ensureSections, type PortfolioCore } from '../../src/portfolio/portfolio-service';
import { areasOf, getFramework } from '../../src/portfolio/framework';
import { addExample, saveBody } from '../../src/portfolio/section-service';
import { applyTransition, type StateActor } from '../../src/portfolio/section-states';
import { htmlToText } from '../../src/portfolio/rich-text';
import { User } from '../../src/people/user.model';
import { Course } from '../../src/people/course.model';
import { aWorker, settle } from '../gradebook/support';

/** A portfolio begun on CMALT version 1 meets the corrected version 2: every word kept, told what moved, re-scored. */
const suite = toolSuite();
afterEach(() => suite.platform.assertNoUnexpectedCalls());
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
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
  expect(page).toContain('Your framework was updated (version 1 to 2)');
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
