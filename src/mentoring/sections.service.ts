import { Types } from 'mongoose';
import { User } from '../people/user.model';
import { frameworks, type PortfolioArea, Section, type PortfolioDoc, type SectionDoc, findPortfolioById, loadPortfolio } from '../portfolio';
import type { CandidateRef } from './policy';

/** A section with what a reader needs around it: its portfolio, area, and whose it is. */
export interface LoadedSection {
  section: SectionDoc;
  portfolio: PortfolioDoc;
  area: PortfolioArea;
  areas: PortfolioArea[];
  sections: SectionDoc[];
  candidate: CandidateRef & { sub: string; name: string };
}

export async function candidateOf(portfolio: PortfolioDoc): Promise<LoadedSection['candidate']> {
  const user = Types.ObjectId.isValid(portfolio.userId) ? await User.findById(portfolio.userId, { sub: 1, name: 1 }).lean() : null;
  return { courseId: portfolio.courseId, userId: portfolio.userId, sub: user?.sub ?? '', name: user?.name || 'Unnamed candidate' };
}

/** Finds a section by id (a URL guess finds nothing: null). The caller asks the policy before showing it. */
export async function loadSectionById(sectionId: string): Promise<LoadedSection | null> {
  if (!Types.ObjectId.isValid(sectionId)) return null;
  const found = (await Section.findById(sectionId, { portfolio: 1 }).lean()) as Pick<SectionDoc, 'portfolio'> | null;
  const portfolio = found ? await findPortfolioById(String(found.portfolio)) : null;
  if (!portfolio) return null;
  const loaded = await loadPortfolio(frameworks(), portfolio);
  const section = loaded.sections.find((s) => String(s._id) === sectionId);
  const area = loaded.areas.find((a) => a.id === section?.areaId);
  if (!section || !area) return null;
  return { section, portfolio, area, areas: loaded.areas, sections: loaded.sections, candidate: await candidateOf(portfolio) };
}

export async function loadPortfolioForReading(portfolioId: string) {
  const portfolio = await findPortfolioById(portfolioId);
  if (!portfolio) return null;
  const loaded = await loadPortfolio(frameworks(), portfolio);
  return { ...loaded, candidate: await candidateOf(portfolio) };
}
