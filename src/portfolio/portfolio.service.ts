import { Types } from 'mongoose';
import { validationFailed } from '../http/errors';
import { shortLived } from '../http/short-lived';
import { areasOf, Framework, FrameworkRegistry, pathwayOf, PortfolioArea } from './framework';
import { Portfolio, PortfolioDoc, Section, SectionDoc } from './models';
import { computedFigures, SectionFigures, storedFigures, SUMMARY_FIELDS } from './section-summary';

/** Who owns a portfolio: one per candidate per course, identified only from the validated launch. */
export interface Candidate {
  userId: string;
  courseId: string;
}

/** A pathway and the names for the areas the candidate chooses, by set ("specialist": ["Accessibility"]). */
export interface PortfolioChoice {
  pathway: string;
  /** Names for the pathway's first chosen set, in order (the older shape; `names` wins for a set it gives). */
  specialistAreas?: string[];
  names?: Record<string, string[]>;
}

export interface CleanChoice {
  pathway: string;
  areaNames: Array<{ areaId: string; name: string }>;
  firstSetNames: string[];
}

export const MESSAGES = {
  unknownPathway: 'Please choose one of the pathways listed.',
  nameMissing: (label: string, n: number) =>
    n === 1 ? `Please name your ${label.toLowerCase()}.` : `Please name your ${n} ${label.toLowerCase()}s.`,
  nameSame: (label: string) => `Please give each ${label.toLowerCase()} a different name.`,
  tooMany: (label: string, n: number) => `Your pathway allows at most ${n} ${label.toLowerCase()}${n === 1 ? '' : 's'}.`,
};

export async function findPortfolio(candidate: Candidate): Promise<PortfolioDoc | null> {
  return (await Portfolio.findOne({ userId: candidate.userId, courseId: candidate.courseId }).lean()) as PortfolioDoc | null;
}

/** What never changes once a portfolio exists: whose it is and what it was started as. Enough to check and load it. */
export type PortfolioCore = Pick<PortfolioDoc, '_id' | 'userId' | 'courseId' | 'frameworkId' | 'frameworkVersion' | 'pathway' | 'specialistAreas' | 'areaNames'> &
  Partial<Pick<PortfolioDoc, 'migrations'>>;
const CORE_FIELDS = { userId: 1, courseId: 1, frameworkId: 1, frameworkVersion: 1, pathway: 1, specialistAreas: 1, areaNames: 1, migrations: 1 } as const;

/** After a change to what never changes (a migration, a new specialist area): the next read goes to the database. */
export function forgetOwnPortfolio(candidate: Candidate): void {
  coreCache.delete(`${candidate.userId}\n${candidate.courseId}`);
}

/** Remembered per process (a candidate's autosaves and pages all need it); only found portfolios are remembered. */
const CORE_TTL_MS = 60_000;
const CORE_CACHE_SIZE = 2_000;
const coreCache = shortLived<PortfolioCore>(CORE_CACHE_SIZE, CORE_TTL_MS);

/** The candidate's own portfolio, for their pages and saves: its unchanging part, usually without a database read. */
export async function findOwnPortfolio(candidate: Candidate): Promise<PortfolioCore | null> {
  const key = `${candidate.userId}\n${candidate.courseId}`;
  const hit = coreCache.get(key);
  if (hit) return hit;
  const core = (await Portfolio.findOne({ userId: candidate.userId, courseId: candidate.courseId }, CORE_FIELDS).lean()) as PortfolioCore | null;
  if (!core) return null;
  coreCache.set(key, core);
  return core;
}

export async function findPortfolioById(id: string): Promise<PortfolioDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return (await Portfolio.findById(id).lean()) as PortfolioDoc | null;
}

/** The portfolio a section belongs to (the route then asks the policy about it). */
export async function findPortfolioOfSection(sectionId: string): Promise<PortfolioDoc | null> {
  if (!Types.ObjectId.isValid(sectionId)) return null;
  const found = (await Section.findById(sectionId, { portfolio: 1 }).lean()) as Pick<SectionDoc, 'portfolio'> | null;
  return found ? findPortfolioById(String(found.portfolio)) : null;
}

/** Checks a pathway choice against the framework; returns the names by area id, or throws 422 naming the problem. */
export function checkChoice(framework: Framework, choice: PortfolioChoice): CleanChoice {
  const pathway = pathwayOf(framework, choice.pathway);
  if (!pathway) throw validationFailed(MESSAGES.unknownPathway, { field: 'pathway' });
  const areaNames: CleanChoice['areaNames'] = [];
  let firstSetNames: string[] = [];
  pathway.chosen.forEach((set, i) => {
    const given = choice.names?.[set.set] ?? (i === 0 ? choice.specialistAreas ?? [] : []);
    const names = given.map((s) => s.trim()).filter(Boolean);
    if (names.length < set.min) throw validationFailed(MESSAGES.nameMissing(set.label, set.min), { field: set.set });
    if (names.length > set.max) throw validationFailed(MESSAGES.tooMany(set.label, set.max), { field: set.set });
    if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) throw validationFailed(MESSAGES.nameSame(set.label), { field: set.set });
    const slots = pathway.areas
      .map((id) => framework.areas.find((a) => a.id === id)!)
      .filter((a) => a.chosen?.set === set.set)
      .sort((a, b) => a.chosen!.slot - b.chosen!.slot);
    names.forEach((name, k) => areaNames.push({ areaId: slots[k].id, name }));
    if (i === 0) firstSetNames = names;
  });
  return { pathway: pathway.id, areaNames, firstSetNames };
}

/**
 * Opens the candidate's portfolio, creating it (and one empty section per area) on first use.
 * Two first launches at once both end with the same portfolio: the unique index decides.
 */
export async function openOrCreatePortfolio(
  registry: FrameworkRegistry,
  candidate: Candidate,
  choice: PortfolioChoice,
  frameworkId?: string,
): Promise<PortfolioDoc> {
  const existing = await findPortfolio(candidate);
  if (existing) return existing;
  const framework = frameworkId ? registry.latest(frameworkId) : registry.defaultFramework();
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
        specialistAreas: clean.firstSetNames,
        areaNames: clean.areaNames,
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
  const areas = areasOf(framework, portfolio);
  const have = new Set(
    ((await Section.find({ portfolio: portfolio._id }, { areaId: 1 }).lean()) as SectionDoc[]).map((s) => s.areaId),
  );
  const missing = areas.filter((a) => !have.has(a.id));
  if (!missing.length) return;
  try {
    await Section.insertMany(
      // Empty, at version 0: the overview's figures are zero (stamps are version + 1, see section-summary.ts).
      missing.map((a) => ({
        portfolio: portfolio._id,
        areaId: a.id,
        summary: { bodyWords: 0, bodyStamp: 1, exampleWords: 0, exampleCount: 0, examplesStamp: 1 },
      })),
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
  const areas = areasOf(framework, portfolio);
  let sections = (await Section.find({ portfolio: portfolio._id }).lean()) as SectionDoc[];
  if (sections.length < areas.length) {
    await ensureSections(portfolio, framework);
    sections = (await Section.find({ portfolio: portfolio._id }).lean()) as SectionDoc[];
  }
  const order = new Map(areas.map((a, i) => [a.id, i]));
  sections = sections.filter((s) => order.has(s.areaId)).sort((a, b) => order.get(a.areaId)! - order.get(b.areaId)!);
  return { portfolio, framework, areas, sections };
}

/** A section as the overview needs it: no content, only its state and figures. */
export type SectionOverviewDoc = Pick<SectionDoc, '_id' | 'portfolio' | 'areaId' | 'state' | 'version' | 'updatedAt' | 'summary'>;

export interface PortfolioOverview<P extends PortfolioCore = PortfolioDoc> {
  portfolio: P;
  framework: Framework;
  areas: PortfolioArea[];
  sections: SectionOverviewDoc[]; // in the framework's order
  figures: Map<string, SectionFigures>; // by section id
}

/**
 * The overview's read: one query for the sections' states and stored figures (no rich text); only
 * sections whose figures are missing or out of date (saved before they existed, or written elsewhere)
 * are read in full and computed, as before.
 */
export async function loadOverview<P extends PortfolioCore>(registry: FrameworkRegistry, portfolio: P): Promise<PortfolioOverview<P>> {
  const framework = registry.get(portfolio.frameworkId, portfolio.frameworkVersion);
  if (!framework) throw new Error(`Framework ${portfolio.frameworkId}@${portfolio.frameworkVersion} is missing`);
  const areas = areasOf(framework, portfolio);
  let sections = (await Section.find({ portfolio: portfolio._id }, SUMMARY_FIELDS).lean()) as SectionOverviewDoc[];
  if (sections.length < areas.length) {
    await ensureSections(portfolio, framework);
    sections = (await Section.find({ portfolio: portfolio._id }, SUMMARY_FIELDS).lean()) as SectionOverviewDoc[];
  }
  const order = new Map(areas.map((a, i) => [a.id, i]));
  sections = sections.filter((s) => order.has(s.areaId)).sort((a, b) => order.get(a.areaId)! - order.get(b.areaId)!);
  const figures = new Map<string, SectionFigures>();
  const stale: SectionOverviewDoc[] = [];
  for (const s of sections) {
    const stored = storedFigures(s);
    if (stored) figures.set(String(s._id), stored);
    else stale.push(s);
  }
  if (stale.length) {
    const full = (await Section.find({ _id: { $in: stale.map((s) => s._id) } }, { body: 1, examples: 1, version: 1 }).lean()) as SectionDoc[];
    const byId = new Map(full.map((s) => [String(s._id), s]));
    for (const s of stale) {
      const content = byId.get(String(s._id));
      // Shown with the version read first; a save in between only means the figures are a moment newer.
      figures.set(String(s._id), content ? computedFigures(content) : { words: 0, examples: 0 });
    }
  }
  return { portfolio, framework, areas, sections, figures };
}

export async function loadSection(
  portfolio: Pick<PortfolioDoc, '_id'>,
  sectionId: string,
): Promise<SectionDoc | null> {
  if (!Types.ObjectId.isValid(sectionId)) return null;
  return (await Section.findOne({ _id: sectionId, portfolio: portfolio._id }).lean()) as SectionDoc | null;
}
