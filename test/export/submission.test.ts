import { Portfolio, Section } from '../../src/portfolio/models';
import { SUBMISSION_MESSAGES } from '../../src/export/submission.service';
import { aWorker, settle } from '../gradebook/support';
import { sectionNow } from '../mentoring/people';
import { toolSuite } from '../support/suite';
import { aWrittenPortfolio, candidateWithPortfolio, text } from './people';

const suite = toolSuite();
const today = () => new Date().toISOString().slice(0, 10);
const roundsOf = async (id: string) => (await Portfolio.findById(id).lean())!.altRounds;

describe('the submission to ALT', () => {
  test('submitted, referred (reopening the named area), resubmitted, passed: the cohort page and the VLE gradebook follow', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Alt');
    const worker = aWorker(suite.tool);
    const base = `/export/portfolios/${w.portfolioId}/submission`;
    // 1a meets the criterion before the submission
    const id1a = w.cat.id('1a');
    await w.cat.session.post(`/portfolio/sections/${id1a}/ready`, { baseVersion: String((await sectionNow(id1a)).version) });
    const reviewed = await w.mo.post(`/mentoring/sections/${id1a}/review`, { decision: 'meets_criterion', feedback: 'Clear.', expectedVersion: String((await sectionNow(id1a)).version) });
    expect(reviewed.status).toBe(200);
    expect((await sectionNow(id1a)).state).toBe('meets_criterion');

    // bad input changes nothing
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    for (const [form, message] of [
      [{ kind: 'first', route: 'url', submittedOn: future }, SUBMISSION_MESSAGES.badDate],
      [{ kind: 'referral', route: 'url', submittedOn: today() }, SUBMISSION_MESSAGES.firstKinds],
    ] as const) {
      const page = await w.cat.session.post(base, form);
      expect(page.status).toBe(422);
      expect(text(page.html)).toContain(message);
    }
    expect((await w.cat.session.post(base, { kind: 'sideways', route: 'url', submittedOn: today() })).status).toBe(422);
    expect(await roundsOf(w.portfolioId)).toHaveLength(0);

    const submitted = await w.cat.session.post(base, { kind: 'first', route: 'url', submittedOn: today() });
    expect(submitted.status).toBe(200);
    expect(text(submitted.html)).toContain('The submission to ALT is recorded.');
    const again = await w.cat.session.post(base, { kind: 'first', route: 'file', submittedOn: today() });
    expect(again.status).toBe(409);
    expect(text(again.html)).toContain(SUBMISSION_MESSAGES.pending);
    expect(await roundsOf(w.portfolioId)).toHaveLength(1);
    expect(text((await w.cora.get('/cohort')).html)).toMatch(/Cat <b>Alt<\/b>.*Submitted to ALT on .* \(first submission\)/);
    await worker.reconcile(true);
    await settle(worker);
    expect(suite.platform.ags.scoresFor(w.cat.user.id).at(-1)).toMatchObject({ activityProgress: 'Submitted' });

    // ALT refers it: the coordinator records the feedback; 1a opens again for the candidate
    const noAreas = await w.cora.post(`${base}/outcome`, { result: 'referral', decidedOn: today(), feedback: 'Say more about 1a.' });
    expect(noAreas.status).toBe(422);
    expect(text(noAreas.html)).toContain(SUBMISSION_MESSAGES.areas);
    const referred = await w.cora.post(`${base}/outcome`, { result: 'referral', decidedOn: today(), feedback: 'Say more about the options you weighed.', areas: '1a' });
    expect(referred.status).toBe(200);
    expect((await sectionNow(id1a)).state).toBe('needs_more_work');
    expect(text(referred.html)).toContain('Say more about the options you weighed.');
    expect(text((await w.cora.get('/cohort')).html)).toContain('Referred by ALT on');

    // the resubmission is a referral resubmission; then a pass
    expect((await w.cat.session.post(base, { kind: 'review', route: 'file', submittedOn: today() })).status).toBe(422);
    expect((await w.cat.session.post(base, { kind: 'referral', route: 'file', submittedOn: today() })).status).toBe(200);
    const passed = await w.cat.session.post(`${base}/outcome`, { result: 'pass', decidedOn: today(), certifiedOn: today() });
    expect(passed.status).toBe(200);
    expect(text(passed.html)).toMatch(/Passed: certified on .*, review due/);
    expect(text((await w.cora.get('/cohort')).html)).toContain('Passed: certified on');
    await worker.reconcile(true);
    await settle(worker);
    expect(suite.platform.ags.scoresFor(w.cat.user.id).at(-1)).toMatchObject({ activityProgress: 'Completed' });
    expect((await w.cat.session.post(`${base}/outcome`, { result: 'pass', decidedOn: today(), certifiedOn: today() })).status).toBe(409);
  });

  test('a referral of a referral resubmission is final; nobody outside the candidate and coordinator records anything', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Final');
    const base = `/export/portfolios/${w.portfolioId}/submission`;
    const peer = await candidateWithPortfolio(suite.tool, suite.platform, w.course, 'Pat Final');
    const elsewhere = await aWrittenPortfolio(suite.tool, suite.platform, 'Final elsewhere');
    for (const session of [w.mo, peer, elsewhere.cora]) {
      expect((await session.get(base)).status).toBe(404);
      expect((await session.post(base, { kind: 'first', route: 'url', submittedOn: today() })).status).toBe(404);
    }
    expect(await roundsOf(w.portfolioId)).toHaveLength(0);
    await w.cat.session.post(base, { kind: 'first', route: 'url', submittedOn: today() });
    await w.cat.session.post(`${base}/outcome`, { result: 'referral', decidedOn: today(), feedback: 'More on 1b.', areas: '1b' });
    await w.cat.session.post(base, { kind: 'referral', route: 'url', submittedOn: today() });
    await w.cat.session.post(`${base}/outcome`, { result: 'referral', decidedOn: today(), feedback: 'Still not there.', areas: '1b' });
    expect((await roundsOf(w.portfolioId)).map((r) => r.outcome)).toEqual(['referral', 'referral']);
    const page = await w.cat.session.get(base);
    expect(text(page.html)).not.toContain('Record a submission');
    const refused = await w.cat.session.post(base, { kind: 'referral', route: 'url', submittedOn: today() });
    expect(refused.status).toBe(409);
    expect(text(refused.html)).toContain(SUBMISSION_MESSAGES.final);
  });

  test('once every assessed area meets the criterion, the overview leads to reading, export and sharing', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Ready');
    expect((await w.cat.session.get('/portfolio')).html).not.toContain('Read it whole, export it');
    // the mentor's decisions, area by area, as the mentoring tests make them; here written at once
    await Section.updateMany({ portfolio: w.portfolioId }, { $set: { state: 'meets_criterion' } });
    const overview = await w.cat.session.get('/portfolio');
    expect(text(overview.html)).toContain('Your portfolio is ready to submit.');
    const link = overview.html.match(/href="([^"]+)">Read it whole, export it and share it with ALT’s assessors/)![1].replace(/&amp;/g, '&');
    const reading = await w.cat.session.get(new URL(link, suite.tool.baseUrl).pathname);
    expect(reading.url).toContain(`/export/portfolios/${w.portfolioId}`);
  });
});
