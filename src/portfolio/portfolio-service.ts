import { Types } from 'mongoose';
import { validationFailed } from '../http/errors';
import { areasFor, Framework, FrameworkRegistry, pathwayOf, PortfolioArea } from './framework';
import { Portfolio, PortfolioDoc, Section, SectionDoc } from './models';

/** Who owns a portfolio: one per candidate per course, identified only from the validated launch. */
export interface Candidate {
  userId: string;
  courseId: string;
}

export interface PortfolioChoice {
  pathway: string;
  specialistAreas: string[];
}

export const MESSAGES = {
  unknownPathway: 'Please choose one of the pathways listed.',
  specialistMissing: (n: number) =>
    n === 1 ? 'Please name your specialist area.' : `Please name your ${n} specialist areas.`,
  specialistSame: 'Please give your two specialist areas different names.',
};

export async function findPortfolio(candidate: Candidate): Promise<PortfolioDoc | null> {
  return (await Portfolio.findOne({ userId: candidate.userId, courseId: candidate.courseId }).lean()) as PortfolioDoc | null;
}

/** What never changes once a portfolio exists: whose it is and what it was started as. Enough to check and load it. */
export type PortfolioCore = Pick<PortfolioDoc, '_id' | 'userId' | 'courseId' | 'frameworkId' | 'frameworkVersion' | 'pathway' | 'specialistAreas'>;
const CORE_FIELDS = { userId: 1, courseId: 1, frameworkId: 1, frameworkVersion: 1, pathway: 1, specialistAreas: 1 } as const;

/** Remembered per process (a candidate's autosaves and pages all need it); only found portfolios are remembered. */
const CORE_TTL_MS = 60_000;
const CORE_CACHE_SIZE = 2_000;
const coreCache = new Map<string, { core: PortfolioCore; until: number }>();

/** The candidate's own portfolio, for their pages and saves: its unchanging part, usually without a database read. */
export async function findOwnPortfolio(candidate: Candidate): Promise<PortfolioCore | null> {
  const key = `${candidate.userId}\n${candidate.courseId}`;
  const hit = coreCache.get(key);
  if (hit && hit.until > Date.now()) return hit.core;
  const core = (await Portfolio.findOne({ userId: candidate.userId, courseId: candidate.courseId }, CORE_FIELDS).lean()) as PortfolioCore | null;
  coreCache.delete(key);
  if (!core) return null;
  if (coreCache.size >= CORE_CACHE_SIZE) coreCache.delete(coreCache.keys().next().value!);
  coreCache.set(key, { core, until: Date.now() + CORE_TTL_MS });
  return core;
}

export async function findPortfolioById(id: string): Promise<PortfolioDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return (await Portfolio.findById(id).lean()) as PortfolioDoc | null;
}

/** Checks a pathway choice against the framework; returns the cleaned specialist names or throws 422. */
export function checkChoice(framework: Framework, choice: PortfolioChoice): PortfolioChoice {
  const pathway = pathwayOf(framework, choice.pathway);
  if (!pathway) throw validationFailed(MESSAGES.unknownPathway, { field: 'pathway' });
  const names = choice.specialistAreas.map((s) => s.trim()).slice(0, pathway.specialistAreas);
  if (names.length < pathway.specialistAreas || names.some((n) => !n)) {
    throw validationFailed(MESSAGES.specialistMissing(pathway.specialistAreas), { field: 'specialistAreas' });
  }
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) {
    throw validationFailed(MESSAGES.specialistSame, { field: 'specialistAreas' });
  }
  return { pathway: pathway.id, specialistAreas: names };
}

/**
 * Opens the candidate's portfolio, creating it (and one empty section per area) on first use.
 * Two first launches at once both end with the same portfolio: the unique index decides.
 */
export async function openOrCreatePortfolio(
  registry: FrameworkRegistry,
  candidate: Candidate,
  choice: PortfolioChoice,
  frameworkId = 'cmalt',
): Promise<PortfolioDoc> {
  const existing = await findPortfolio(candidate);
  if (existing) return existing;
  const framework = registry.latest(frameworkId);
  if (!framework) throw new Error(`No framework "${frameworkId}" in config/frameworks`);
  const clean = checkChoice(framework, choice);
  let portfolio: PortfolioDoc;
  try {
    portfolio = (
      await Portfolio.create({
        userId: candidate.userId,
        courseId: candidate.courseId,
        frameworkId: framework.id,
        frameworkVersion: framework.version,
        pathway: clean.pathway,
        specialistAreas: clean.specialistAreas,
      })
    ).toObject() as PortfolioDoc;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    return (await findPortfolio(candidate))!;
  }
  await ensureSections(portfolio, framework);
  return portfolio;
}

/** One section per area of the portfolio's pathway; safe to run again (unique portfolio + area). */
export async function ensureSections(portfolio: PortfolioCore, framework: Framework): Promise<void> {
  const areas = areasFor(framework, portfolio.pathway, portfolio.specialistAreas);
  const have = new Set(
    ((await Section.find({ portfolio: portfolio._id }, { areaId: 1 }).lean()) as SectionDoc[]).map((s) => s.areaId),
  );
  const missing = areas.filter((a) => !have.has(a.id));
  if (!missing.length) return;
  try {
    await Section.insertMany(
      missing.map((a) => ({ portfolio: portfolio._id, areaId: a.id })),
      { ordered: false },
    );
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err; // another request created them first
  }
}

export interface PortfolioWithSections<P extends PortfolioCore = PortfolioDoc> {
  portfolio: P;
  framework: Framework;
  areas: PortfolioArea[];
  sections: SectionDoc[]; // in the framework's order
}

export async function loadPortfolio<P extends PortfolioCore>(registry: FrameworkRegistry, portfolio: P): Promise<PortfolioWithSections<P>> {
  const framework = registry.get(portfolio.frameworkId, portfolio.frameworkVersion);
  if (!framework) throw new Error(`Framework ${portfolio.frameworkId}@${portfolio.frameworkVersion} is missing`);
  const areas = areasFor(framework, portfolio.pathway, portfolio.specialistAreas);
  let sections = (await Section.find({ portfolio: portfolio._id }).lean()) as SectionDoc[];
  if (sections.length < areas.length) {
    await ensureSections(portfolio, framework);
    sections = (await Section.find({ portfolio: portfolio._id }).lean()) as SectionDoc[];
  }
  const order = new Map(areas.map((a, i) => [a.id, i]));
  sections = sections.filter((s) => order.has(s.areaId)).sort((a, b) => order.get(a.areaId)! - order.get(b.areaId)!);
  return { portfolio, framework, areas, sections };
}

export async function loadSection(
  portfolio: Pick<PortfolioDoc, '_id'>,
  sectionId: string,
): Promise<SectionDoc | null> {
  if (!Types.ObjectId.isValid(sectionId)) return null;
  return (await Section.findOne({ _id: sectionId, portfolio: portfolio._id }).lean()) as SectionDoc | null;
}
