import { z } from 'zod';
import { notFound } from '../../http/errors';
import type { EvidenceDoc } from './evidence.model';
import { presentBrief, type EvidenceBrief } from './evidence.presenter';
import type { Owner } from './evidence.service';
import { safeReturnPath, sectionHref } from './paths';
import { checkOwnExample, USAGE_MESSAGES } from './usage';

/** Evidence added or linked from an example on a section page: which example, and where the page goes back to. */

const objectId = z.string().regex(/^[a-f0-9]{24}$/i);

export const exampleTargetSchema = z.object({
  sectionId: objectId,
  exampleId: objectId,
  returnTo: z.string().max(500).optional(),
});
export type ExampleTarget = z.infer<typeof exampleTargetSchema>;

/**
 * The example a form names (both ids, or neither). Anything but one of the candidate's own examples is
 * simply not found, and is refused before anything is created for it.
 */
export async function exampleTargetOf(owner: Owner, input: unknown): Promise<ExampleTarget | null> {
  const fields = (input ?? {}) as Record<string, unknown>;
  if (!fields.sectionId && !fields.exampleId) return null;
  const parsed = exampleTargetSchema.safeParse(fields);
  if (!parsed.success) throw notFound(USAGE_MESSAGES.noExample);
  await checkOwnExample(owner, parsed.data.sectionId, parsed.data.exampleId);
  return parsed.data;
}

/** The id of one linked item in an example's list on the section page (focus lands there after linking). */
export const linkedItemAnchor = (exampleId: string, evidenceId: string) => `ev-${exampleId}-${evidenceId}`;
/** The heading of an example's evidence (focus lands there after unlinking). */
export const pickerAnchor = (exampleId: string) => `evidence-picker-${exampleId}-heading`;

/** Back to the section page, saying what happened, at the example's evidence. */
export function backToExample(target: ExampleTarget, done: string | null, anchor: string): string {
  const back = new URL(safeReturnPath(target.returnTo) ?? sectionHref(target.sectionId), 'http://tool.invalid');
  back.searchParams.delete('done');
  if (done) back.searchParams.set('done', done);
  return `${back.pathname}${back.search}#${anchor}`;
}

/** What the section page's script is told about an item it added or linked (links carry the session). */
export interface LinkedAnswer {
  evidence: EvidenceBrief & { href: string; previewSrc: string | null };
  linked: boolean;
  message: string;
}

export function linkedAnswer(item: EvidenceDoc, linked: boolean, url: (path: string) => string, message: string): LinkedAnswer {
  const brief = presentBrief(item);
  return {
    evidence: { ...brief, href: url(`/portfolio/evidence/${brief.id}`), previewSrc: brief.preview ? url(`/portfolio/evidence/${brief.id}/preview`) : null },
    linked,
    message,
  };
}
