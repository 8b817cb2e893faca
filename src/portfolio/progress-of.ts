import { areasOf, frameworks } from './framework';
import { Section, type PortfolioDoc, type SectionDoc } from './models';
import { computeProgress, type Progress } from './progress';

/** Progress of many portfolios at once, from the one progress function. */
export async function progressOfPortfolios(portfolios: PortfolioDoc[]): Promise<Map<string, Progress>> {
  const sections = (await Section.find({ portfolio: { $in: portfolios.map((p) => p._id) } }, { portfolio: 1, areaId: 1, state: 1 }).lean()) as Pick<
    SectionDoc,
    'portfolio' | 'areaId' | 'state'
  >[];
  const registry = frameworks();
  const out = new Map<string, Progress>();
  for (const p of portfolios) {
    const framework = registry.get(p.frameworkId, p.frameworkVersion);
    const areas = framework ? areasOf(framework, p) : [];
    const own = sections.filter((s) => String(s.portfolio) === String(p._id)).map((s) => ({ areaId: s.areaId, state: s.state }));
    out.set(String(p._id), computeProgress(areas, own));
  }
  return out;
}
