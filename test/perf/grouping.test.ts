/*
 * perf: progress of many portfolios and the gradebook's candidates are grouped once (a Map), not filtered per
 * portfolio. The answer must be the one the per-portfolio progress function gives for each portfolio alone.
 */
import mongoose from 'mongoose';
import { loadCandidates } from '../../src/gradebook/candidates';
import { Portfolio, Section, type PortfolioDoc } from '../../src/portfolio/models';
import { progressOfPortfolios } from '../../src/portfolio/progress-of';
import { aPortfolio, connectFreshDatabase, disconnect } from '../portfolio/factories';

beforeAll(() => connectFreshDatabase('grouping'));
afterAll(disconnect);

test('progress of many portfolios at once equals each one on its own, and the gradebook agrees', async () => {
  const made = [];
  for (let i = 0; i < 6; i++) made.push(await aPortfolio({ userId: String(new mongoose.Types.ObjectId()), courseId: 'grouped', pathway: i % 2 ? 'senior' : 'cmalt' }));
  // different states per portfolio, so a mix-up between portfolios would show
  for (const [i, p] of made.entries()) {
    const ids = p.sections.slice(0, i).map((s) => s._id);
    await Section.updateMany({ _id: { $in: ids } }, { $set: { state: i % 3 ? 'meets_criterion' : 'in_progress' } });
  }
  const all = (await Portfolio.find({ courseId: 'grouped' }).lean()) as PortfolioDoc[];
  const together = await progressOfPortfolios(all);
  for (const p of all) {
    const alone = (await progressOfPortfolios([p])).get(String(p._id));
    expect(together.get(String(p._id))).toEqual(alone);
  }
  expect(new Set([...together.values()].map((x) => JSON.stringify(x))).size).toBeGreaterThan(2);

  const candidates = await loadCandidates(mongoose.connection, { courseId: 'grouped' });
  expect(candidates).toHaveLength(6);
  for (const c of candidates) expect(c.standing.progress).toEqual(together.get(c.portfolioId));
  const some = await loadCandidates(mongoose.connection, { portfolioIds: [candidates[0].portfolioId], changedSince: new Date(0) });
  expect(some.map((c) => c.portfolioId)).toEqual([candidates[0].portfolioId]);
});
