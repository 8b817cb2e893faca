import { Types } from 'mongoose';
import { notFound, validationFailed } from '../http/errors';
import type { FrameworkArea } from './framework';
import { Section, type SectionDoc } from './models';
import type { SectionTarget } from './section.service';

/**
 * The short values a framework asks for beside a section's text (the declaration's optional nominated
 * assessor). Saved like the text: only onto the version the page was showing.
 */
export type FieldsResult = { ok: true; section: SectionDoc } | { ok: false; reason: 'stale' };

export async function saveFields(
  target: SectionTarget,
  area: Pick<FrameworkArea, 'fields' | 'title'>,
  input: { baseVersion: number; values: Record<string, unknown> },
): Promise<FieldsResult> {
  if (!Types.ObjectId.isValid(target.sectionId)) throw notFound('We could not find that section.');
  if (!area.fields.length) throw notFound('This section has no extra fields to fill in.');
  const fields = area.fields.map((f) => {
    const raw = input.values[f.id];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value.length > f.maxLength) throw validationFailed(`${f.label} must be ${f.maxLength} characters or fewer.`, { field: f.id });
    return { id: f.id, value };
  });
  const updated = (await Section.findOneAndUpdate(
    { _id: target.sectionId, portfolio: target.portfolioId, version: input.baseVersion },
    // The text did not change: the overview's figures (section-summary.ts) move with the version.
    { $set: { fields, updatedBy: target.byUser }, $inc: { version: 1, 'summary.bodyStamp': 1, 'summary.examplesStamp': 1 } },
    { new: true },
  ).lean()) as SectionDoc | null;
  if (updated) return { ok: true, section: updated };
  const exists = await Section.exists({ _id: target.sectionId, portfolio: target.portfolioId });
  if (!exists) throw notFound('We could not find that section.');
  return { ok: false, reason: 'stale' };
}
