import { Types } from 'mongoose';
import { notFound } from '../http/errors';
import { Section, SectionDoc } from './models';
import { closeOpenRevision, coalescingFilter, getRevision, joinsOpenRevision, openingRevision, openRevisionSaved, storeRevision } from './revisions';
import { sanitiseRichText, textToHtml } from './rich-text';
import { announceStateChange, applyTransition, stateAfterContent } from './section-states';
import { bodyWordsOf, exampleWordsOf, fullSummarySet, storedFigures } from './section-summary';

/**
 * Saving a section: every save names the version it was based on. The write matches only that version,
 * so a save based on an older copy never overwrites newer work; it comes back as a conflict carrying
 * both versions for the candidate to choose between or merge.
 */
export interface ExampleInput {
  _id?: string;
  title: string;
  tags: { role: string; project: string; year: string };
  description: string;
  reflection: string;
  evidenceIds?: string[];
  /** The framework dimensions the example evidences; kept as they are by edits that do not name them. */
  dimensions?: string[];
}

export interface SectionContent {
  body: string;
  examples: Array<ExampleInput & { _id: string; evidenceIds: string[]; dimensions: string[] }>;
}

export interface Conflict {
  theirs: SectionContent & { version: number; updatedAt: Date | null };
  yours: SectionContent & { baseVersion: number };
}

export type SaveResult = { ok: true; section: SectionDoc } | { ok: false; conflict: Conflict };

/** Where a save is allowed to land: the section must belong to this portfolio (checked by policy first). */
export interface SectionTarget {
  portfolioId: Types.ObjectId | string;
  sectionId: string;
  byUser: string;
}

export function contentOf(section: Pick<SectionDoc, 'body' | 'examples'>): SectionContent {
  return {
    body: section.body ?? '',
    examples: (section.examples ?? []).map((e) => ({
      _id: String(e._id),
      title: e.title ?? '',
      tags: { role: e.tags?.role ?? '', project: e.tags?.project ?? '', year: e.tags?.year ?? '' },
      description: e.description ?? '',
      reflection: e.reflection ?? '',
      evidenceIds: (e.evidenceIds ?? []).map(String),
      dimensions: (e.dimensions ?? []).map(String),
    })),
  };
}

export function hasContent(c: SectionContent): boolean {
  return c.body.trim() !== '' || c.examples.length > 0;
}

/** Rich text from the editor is sanitised; text from the plain textarea becomes paragraphs first. */
export function cleanRichText(value: string, format: 'html' | 'text' = 'html'): string {
  return sanitiseRichText(format === 'text' ? textToHtml(value) : value);
}

function cleanExample(input: ExampleInput, format: 'html' | 'text'): SectionContent['examples'][number] {
  return {
    _id: input._id && Types.ObjectId.isValid(input._id) ? input._id : new Types.ObjectId().toHexString(),
    title: input.title.trim(),
    tags: { role: input.tags.role.trim(), project: input.tags.project.trim(), year: input.tags.year.trim() },
    description: cleanRichText(input.description, format),
    reflection: cleanRichText(input.reflection, format),
    evidenceIds: (input.evidenceIds ?? []).filter((id) => Types.ObjectId.isValid(id)),
    dimensions: input.dimensions ?? [],
  };
}

async function loadOwned(target: SectionTarget): Promise<SectionDoc> {
  if (!Types.ObjectId.isValid(target.sectionId)) throw notFound('We could not find that section.');
  const section = (await Section.findOne({ _id: target.sectionId, portfolio: target.portfolioId }).lean()) as SectionDoc | null;
  if (!section) throw notFound('We could not find that section.');
  return section;
}

function conflictOf(current: SectionDoc, yours: SectionContent, baseVersion: number): SaveResult {
  return {
    ok: false,
    conflict: {
      theirs: { ...contentOf(current), version: current.version, updatedAt: (current.updatedAt as Date) ?? null },
      yours: { ...yours, baseVersion },
    },
  };
}

/**
 * Replaces the section's content if it is still at baseVersion. `change` turns the current content
 * into the new one (so an example edit keeps the other examples as they are).
 */
async function writeContent(
  target: SectionTarget,
  baseVersion: number,
  change: (current: SectionContent) => SectionContent,
  options: { forceNewRevision?: boolean; restoredFrom?: number } = {},
): Promise<SaveResult> {
  const current = await loadOwned(target);
  const next = change(contentOf(current));
  if (current.version !== baseVersion) return conflictOf(current, next, baseVersion);
  const now = new Date();
  const joins = !options.forceNewRevision && joinsOpenRevision(current, target.byUser, now);
  const opening = joins ? null : openingRevision(target.byUser, baseVersion + 1, now, { closed: options.forceNewRevision });
  if (!joins) await closeOpenRevision(current);
  const updated = (await Section.findOneAndUpdate(
    { _id: current._id, portfolio: target.portfolioId, version: baseVersion },
    {
      $set: {
        body: next.body,
        examples: next.examples,
        state: stateAfterContent(current.state, hasContent(next)),
        updatedBy: target.byUser,
        ...fullSummarySet(next, baseVersion + 1), // the overview's figures, in the same update
        ...(opening ? opening.set : openRevisionSaved(baseVersion + 1, now)),
      },
      $inc: { version: 1 },
    },
    { new: true },
  ).lean()) as SectionDoc | null;
  if (!updated) return conflictOf(await loadOwned(target), next, baseVersion);
  if (updated.state !== current.state) {
    announceStateChange({ section: updated, from: current.state, to: updated.state, by: 'system', byUser: target.byUser });
  }
  if (opening) await storeRevision(opening.id, updated, target.byUser, options.restoredFrom);
  return { ok: true, section: updated };
}

/**
 * The autosave path for a plain section: one conditional update, no read first (it is the hot path).
 * The first save with content also moves the section out of "not started".
 */
export async function saveBody(
  target: SectionTarget,
  input: { baseVersion: number; body: string; format?: 'html' | 'text' },
): Promise<SaveResult> {
  const body = cleanRichText(input.body, input.format ?? 'html');
  if (!Types.ObjectId.isValid(target.sectionId)) throw notFound('We could not find that section.');
  // The overview's figures ride along: the body's words are set; the examples' figures did not change,
  // so their stamp moves with the version (it stays valid only if it was; see section-summary.ts).
  const now = new Date();
  const update = (revision: Record<string, unknown>) => ({
    $set: { body, updatedBy: target.byUser, 'summary.bodyWords': bodyWordsOf(body), 'summary.bodyStamp': input.baseVersion + 2, ...revision },
    $inc: { version: 1, 'summary.examplesStamp': 1 },
  });
  const at = { _id: target.sectionId, portfolio: target.portfolioId, version: input.baseVersion };
  // The usual autosave joins the open revision: one update, matched only while that is still so.
  const joined = { ...at, ...coalescingFilter(target.byUser, now) };
  let updated = (await Section.findOneAndUpdate(joined, update(openRevisionSaved(input.baseVersion + 1, now)), { new: true }).lean()) as SectionDoc | null;
  let opening: ReturnType<typeof openingRevision> | null = null;
  if (!updated) {
    // A new revision starts (or the section moved on): what the section holds now closes the open one.
    const before = await loadOwned(target);
    if (before.version === input.baseVersion) {
      await closeOpenRevision(before);
      opening = openingRevision(target.byUser, input.baseVersion + 1, now);
      updated = (await Section.findOneAndUpdate(at, update(opening.set), { new: true }).lean()) as SectionDoc | null;
    }
  }
  if (!updated) {
    const current = await loadOwned(target);
    return conflictOf(current, { ...contentOf(current), body }, input.baseVersion);
  }
  if (!storedFigures(updated)) {
    // A section saved before the summary existed: fill in the examples' figures once, only if still at this version.
    const c = contentOf(updated);
    const summary = { exampleWords: exampleWordsOf(c), exampleCount: c.examples.length, examplesStamp: updated.version + 1 };
    const filled = await Section.updateOne(
      { _id: updated._id, version: updated.version },
      { $set: { 'summary.exampleWords': summary.exampleWords, 'summary.exampleCount': summary.exampleCount, 'summary.examplesStamp': summary.examplesStamp } },
    );
    if (filled.modifiedCount === 1) updated = { ...updated, summary: { ...updated.summary, ...summary } };
  }
  const nextState = stateAfterContent(updated.state, hasContent(contentOf(updated)));
  if (nextState !== updated.state) {
    // Same version: the state follows from the content just written, it is not a new edit.
    const moved = (await Section.findOneAndUpdate(
      { _id: updated._id, version: updated.version, state: updated.state },
      { $set: { state: nextState } },
      { new: true },
    ).lean()) as SectionDoc | null;
    if (moved) {
      announceStateChange({ section: moved, from: updated.state, to: nextState, by: 'system', byUser: target.byUser });
      updated = moved;
    }
  }
  if (opening) await storeRevision(opening.id, updated, target.byUser);
  return { ok: true, section: updated };
}

/** Adding overwrites nothing, so a section changed elsewhere simply gets the example added to its latest version. */
export async function addExample(
  target: SectionTarget,
  input: { baseVersion: number; example: ExampleInput; format?: 'html' | 'text' },
): Promise<SaveResult> {
  const example = cleanExample({ ...input.example, _id: undefined }, input.format ?? 'html');
  let base = input.baseVersion;
  for (let attempt = 0; ; attempt++) {
    const result = await writeContent(target, base, (c) => ({ ...c, examples: [...c.examples, example] }));
    if (result.ok || attempt >= 4) return result;
    base = result.conflict.theirs.version;
  }
}

export async function updateExample(
  target: SectionTarget,
  input: { baseVersion: number; exampleId: string; example: ExampleInput; format?: 'html' | 'text' },
): Promise<SaveResult> {
  return writeContent(target, input.baseVersion, (c) => {
    const existing = c.examples.find((e) => e._id === input.exampleId);
    const cleaned = cleanExample(
      { ...input.example, _id: input.exampleId, evidenceIds: input.example.evidenceIds ?? existing?.evidenceIds, dimensions: input.example.dimensions ?? existing?.dimensions },
      input.format ?? 'html',
    );
    // If the example was removed elsewhere, "yours" keeps it so nothing typed is lost.
    return existing
      ? { ...c, examples: c.examples.map((e) => (e._id === input.exampleId ? cleaned : e)) }
      : { ...c, examples: [...c.examples, cleaned] };
  });
}

export async function removeExample(
  target: SectionTarget,
  input: { baseVersion: number; exampleId: string },
): Promise<SaveResult> {
  return writeContent(target, input.baseVersion, (c) => ({
    ...c,
    examples: c.examples.filter((e) => e._id !== input.exampleId),
  }));
}

/** Restoring puts an old revision's content back as a new save (and a new revision): history only grows. */
export async function restoreRevision(
  target: SectionTarget,
  input: { baseVersion: number; revisionId: string },
): Promise<SaveResult> {
  const section = await loadOwned(target);
  const revision = await getRevision(section, input.revisionId);
  if (!revision) throw notFound('We could not find that revision.');
  const restored = contentOf(revision.snapshot as Pick<SectionDoc, 'body' | 'examples'>);
  return writeContent(target, input.baseVersion, () => restored, {
    forceNewRevision: true,
    restoredFrom: revision.version,
  });
}

export type ReviewRequestResult =
  | { ok: true; section: SectionDoc }
  | { ok: false; reason: 'not_allowed' | 'stale' | 'missing' };

/** The candidate asks for review (from draft, or after "needs more work") or withdraws the request. */
export async function requestReview(target: SectionTarget, baseVersion: number): Promise<ReviewRequestResult> {
  const section = await loadOwned(target);
  const r = await applyTransition({ sectionId: section._id, to: 'ready_for_review', by: 'candidate', expectedVersion: baseVersion, byUser: target.byUser });
  return r.ok ? r : { ok: false, reason: r.reason };
}

export async function withdrawReview(target: SectionTarget, baseVersion: number): Promise<ReviewRequestResult> {
  const section = await loadOwned(target);
  const r = await applyTransition({ sectionId: section._id, to: 'draft', by: 'candidate', expectedVersion: baseVersion, byUser: target.byUser });
  return r.ok ? r : { ok: false, reason: r.reason };
}
