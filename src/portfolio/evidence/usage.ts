import { conflict, notFound } from '../../http/errors';
import { areasOf, getFramework } from '../framework';
import { Section, SectionDoc, PortfolioDoc } from '../models';
import { findPortfolio, loadSection } from '../portfolio.service';
import { contentOf, updateExample } from '../section.service';

/** Where a piece of evidence is linked: one example in one area of the candidate's portfolio. */
export interface UsedIn {
  sectionId: string;
  areaId: string;
  areaTitle: string;
  exampleId: string;
  exampleTitle: string;
}

interface OwnerRef {
  courseId: string;
  userId: string;
}

export const USAGE_MESSAGES = {
  noPortfolio: 'Start your portfolio before linking evidence to an example.',
  noExample: 'That example no longer exists. It may have been removed in another tab.',
  busy: 'That section is being saved elsewhere at the moment. Please try again.',
};

/** The candidate's area titles as their portfolio shows them (specialist areas carry the chosen name). */
export function areaTitles(portfolio: PortfolioDoc): Map<string, string> {
  try {
    const framework = getFramework(portfolio.frameworkId, portfolio.frameworkVersion);
    return new Map(areasOf(framework, portfolio).map((a) => [a.id, a.displayTitle]));
  } catch {
    return new Map(); // a framework file removed after the portfolio began: fall back to area ids
  }
}

/** Evidence id -> every example that links it, computed from the sections (never stored twice). */
export async function whereEvidenceIsUsed(owner: OwnerRef): Promise<Map<string, UsedIn[]>> {
  const usage = new Map<string, UsedIn[]>();
  const portfolio = await findPortfolio(owner);
  if (!portfolio) return usage;
  const titles = areaTitles(portfolio);
  const sections = (await Section.find({ portfolio: portfolio._id }, { areaId: 1, examples: 1 }).lean()) as SectionDoc[];
  for (const section of sections) {
    for (const example of contentOf(section).examples) {
      for (const evidenceId of example.evidenceIds) {
        const list = usage.get(evidenceId) ?? [];
        list.push({
          sectionId: String(section._id),
          areaId: section.areaId,
          areaTitle: titles.get(section.areaId) ?? section.areaId,
          exampleId: example._id,
          exampleTitle: example.title || 'Untitled example',
        });
        usage.set(evidenceId, list);
      }
    }
  }
  return usage;
}

/** Refuses (not found) unless the example is in the owner's own portfolio: checked before anything is created for it. */
export async function checkOwnExample(owner: OwnerRef, sectionId: string, exampleId: string): Promise<void> {
  const portfolio = await findPortfolio(owner);
  if (!portfolio) throw notFound(USAGE_MESSAGES.noPortfolio);
  const section = await loadSection(portfolio, sectionId);
  if (!section || !contentOf(section).examples.some((e) => e._id === exampleId)) throw notFound(USAGE_MESSAGES.noExample);
}

type Change = (evidenceIds: string[]) => string[];

/**
 * Changes one example's evidence links through the section service, so the section's version rises
 * and an editor open elsewhere sees a conflict instead of silently dropping the link. A save that
 * lands between our read and our write is simply read again.
 */
export async function changeExampleEvidence(owner: OwnerRef, sectionId: string, exampleId: string, change: Change, byUser: string): Promise<void> {
  const portfolio = await findPortfolio(owner);
  if (!portfolio) throw notFound(USAGE_MESSAGES.noPortfolio);
  for (let attempt = 0; attempt < 5; attempt++) {
    const section = await loadSection(portfolio, sectionId);
    if (!section) throw notFound(USAGE_MESSAGES.noExample);
    const example = contentOf(section).examples.find((e) => e._id === exampleId);
    if (!example) throw notFound(USAGE_MESSAGES.noExample);
    const evidenceIds = change(example.evidenceIds);
    if (evidenceIds.join() === example.evidenceIds.join()) return; // already as asked
    const result = await updateExample(
      { portfolioId: portfolio._id, sectionId, byUser },
      { baseVersion: section.version, exampleId, example: { ...example, evidenceIds } },
    );
    if (result.ok) return;
  }
  throw conflict(USAGE_MESSAGES.busy);
}

export const withEvidence = (evidenceId: string): Change => (ids) => (ids.includes(evidenceId) ? ids : [...ids, evidenceId]);
export const withoutEvidence = (evidenceId: string): Change => (ids) => ids.filter((id) => id !== evidenceId);

/** Before evidence is deleted: take it off every example that links it. */
export async function unlinkEvidenceEverywhere(owner: OwnerRef, evidenceId: string, usedIn: UsedIn[], byUser: string): Promise<void> {
  for (const use of usedIn) {
    try {
      await changeExampleEvidence(owner, use.sectionId, use.exampleId, withoutEvidence(evidenceId), byUser);
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err; // an example removed meanwhile needs no unlinking
    }
  }
}
