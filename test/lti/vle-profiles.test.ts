import { REAL_VLES } from '../support/platform';
import { launchAs } from '../support/launch';
import { toolSuite } from '../support/suite';
import { aCandidate, assessedAreaIds, aWorker, settle } from '../gradebook/support';

const required = assessedAreaIds().length;
const pct = (met: number) => Math.round((met / required) * 100 * 100) / 100;

/** Each real VLE's documented behaviour (test/support/platform/profiles.ts), against the same tool. */
describe.each(REAL_VLES)('in $id', (profile) => {
  const suite = toolSuite({ platform: { profile: profile.id } });
  afterEach(() => suite.platform.assertNoUnexpectedCalls());

  test('the editing teacher who opens the tool first is the coordinator; a non-editing teacher is a mentor', async () => {
    const course = suite.platform.course();
    const editing = await launchAs(suite.tool, suite.platform, { roles: profile.teacherRoles.editing, course });
    const nonEditing = await launchAs(suite.tool, suite.platform, { roles: profile.teacherRoles.nonEditing, course });
    expect(editing.ok && nonEditing.ok).toBe(true);
    expect((await editing.get('/cohort')).status).toBe(200);
    expect((await nonEditing.get('/cohort')).status).toBe(403);
    expect((await nonEditing.get('/gradebook')).status).toBe(403);
    const home = await nonEditing.get('/mentoring');
    expect(home.status).toBe(200);
    expect(home.html).toMatch(/Mentor/);
  });

  test('a candidate’s progress score is kept and visible as it moves up and down, and the Grades page shows what the VLE holds', async () => {
    const course = suite.platform.course();
    const alice = await aCandidate(suite.tool, suite.platform, course, suite.platform.user({ name: 'Alice Adams' }));
    const coordinator = await launchAs(suite.tool, suite.platform, { roles: profile.teacherRoles.editing, course });
    expect(coordinator.ok).toBe(true);
    const worker = aWorker(suite.tool);
    const [first, second] = assessedAreaIds();
    const step = async () => {
      await worker.reconcile();
      await settle(worker);
      const item = suite.platform.ags.lineItemsIn(course.id)[0];
      return suite.platform.ags.heldFor(alice.user.id, item.id)?.resultScore;
    };
    const aliceRow = async () => {
      const page = await coordinator.get('/gradebook');
      expect(page.status).toBe(200);
      const at = page.html.indexOf('Alice Adams');
      return page.html.slice(at, page.html.indexOf('</tr>', at));
    };

    // The first area meets the criterion: the VLE stores a number (Moodle blanked this when it was "Pending").
    await alice.moveTo(first, 'meets_criterion');
    expect(await step()).toBeCloseTo(pct(1));
    expect(await aliceRow()).toContain(`In the VLE: ${pct(1)} / 100`);

    // A second area is sent back and resubmitted: the number stays through the resubmission.
    await alice.moveTo(second, 'needs_more_work');
    expect(await step()).toBeCloseTo(pct(1));
    await alice.moveTo(second, 'ready_for_review');
    expect(await step()).toBeCloseTo(pct(1));
    await alice.moveTo(second, 'meets_criterion');
    expect(await step()).toBeCloseTo(pct(2));

    // Down as well as up: a mentor withdraws the first area's "meets the criterion".
    await alice.moveTo(first, 'needs_more_work');
    expect(await step()).toBeCloseTo(pct(1));
    expect(await aliceRow()).toContain(`In the VLE: ${pct(1)} / 100`);
    const lastSent = suite.platform.ags.scoresFor(alice.user.id).at(-1)!;
    expect(lastSent).toMatchObject({ gradingProgress: 'FullyGraded', activityProgress: 'InProgress' });

    // A VLE that answers 204 but keeps nothing is flagged on the Grades page, with what to do; never "Sent".
    suite.platform.ags.discardScores = true;
    await alice.moveTo(first, 'ready_for_review');
    await alice.moveTo(first, 'meets_criterion');
    expect(await step()).toBeUndefined();
    expect(suite.platform.ags.scoresFor(alice.user.id).at(-1)).toMatchObject({ scoreGiven: pct(2) });
    const row = await aliceRow();
    expect(row).toContain('Not kept by the VLE');
    expect(row).toContain('The VLE did not keep the score');
    expect(row).toContain('What to do:');
    expect(row).not.toMatch(/>Sent</);
    suite.platform.ags.discardScores = false;

  });
});
