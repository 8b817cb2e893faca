import { notFound, validationFailed } from '../http/errors';
import type { Framework, PortfolioArea } from './framework';
import { Section, type SectionDoc } from './models';
import type { SectionTarget } from './section.service';

/** Tagging a tagged area's examples with the framework's dimensions: saved onto the version shown, or not at all. */
export type TagResult = { ok: true; section: SectionDoc } | { ok: false; reason: 'stale' };

export async function saveDimensions(
  framework: Framework,
  area: PortfolioArea,
  target: SectionTarget,
  input: { baseVersion: number; byExample: Record<string, string[]> },
): Promise<TagResult> {
  if (!area.tagged) throw notFound('This section is not tagged with dimensions.');
  const known = new Set(framework.dimensions.map((d) => d.id));
  for (const ids of Object.values(input.byExample)) {
    if (ids.some((id) => !known.has(id))) throw validationFailed('Please choose only from the dimensions listed.');
  }
  const section = (await Section.findOne({ _id: target.sectionId, portfolio: target.portfolioId }).lean()) as SectionDoc | null;
  if (!section) throw notFound('We could not find that section.');
  if (section.version !== input.baseVersion) return { ok: false, reason: 'stale' };
  const examples = section.examples.map((e) => ({ ...e, dimensions: [...new Set(input.byExample[String(e._id)] ?? [])] }));
  const updated = (await Section.findOneAndUpdate(
    { _id: section._id, version: input.baseVersion },
    // The words did not change: the overview's figures (section-summary.ts) move with the version.
    { $set: { examples, updatedBy: target.byUser }, $inc: { version: 1, 'summary.bodyStamp': 1, 'summary.examplesStamp': 1 } },
    { new: true },
  ).lean()) as SectionDoc | null;
  return updated ? { ok: true, section: updated } : { ok: false, reason: 'stale' };
}
