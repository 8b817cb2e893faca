import { Types } from 'mongoose';
import { notFound } from '../http/errors';
import { Section, SectionDoc } from './models';
import { closeOpenRevision, coalescingFilter, getRevision, joinsOpenRevision, openingRevision, openRevisionSaved, storeRevision } from './revisions';
import { sanitiseRichText, textToHtml } from './rich-text';
import { announceStateChange, applyTransition, stateAfterContent } from './section-states';
import { differences, mergeRichText, mergeShortText, type DifferencePart } from './merge';
import { noteEditAfterApproval } from './approval-edits';
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

export type ExampleContent = ExampleInput & { _id: string; evidenceIds: string[]; dimensions: string[]; version: number };

export interface SectionContent {
  body: string;
  bodyVersion: number;
  examples: ExampleContent[];
}

/** When both sides changed the same part: the combined text (both kept where they clash) and the words that differ. */
export interface MergeProposal {
  part: string; // 'body' or the example's id
  combined: Record<string, string>;
  differences: Record<string, DifferencePart[]>;
}

export interface Conflict {
  theirs: SectionContent & { version: number; updatedAt: Date | null };
  yours: SectionContent & { baseVersion: number };
  merge?: MergeProposal;
}

/** `merged`: the text as stored after a clean three-way merge, for the page to show in place of its own. */
export type SaveResult = { ok: true; section: SectionDoc; merged?: Record<string, string> } | { ok: false; conflict: Conflict };

/** Where a save is allowed to land: the section must belong to this portfolio (checked by policy first). */
export interface SectionTarget {
  portfolioId: Types.ObjectId | string;
  sectionId: string;
  byUser: string;
  /** The tab or device saving (the autosave client's id), so two tabs never share a revision. */
  writer?: string | null;
}

export function contentOf(section: Pick<SectionDoc, 'body' | 'examples'> & { bodyVersion?: number }): SectionContent {
  return {
    body: section.body ?? '',
    bodyVersion: section.bodyVersion ?? 0,
    examples: (section.examples ?? []).map((e) => ({
      _id: String(e._id),
      title: e.title ?? '',
      tags: { role: e.tags?.role ?? '', project: e.tags?.project ?? '', year: e.tags?.year ?? '' },
      description: e.description ?? '',
      reflection: e.reflection ?? '',
      evidenceIds: (e.evidenceIds ?? []).map(String),
      dimensions: (e.dimensions ?? []).map(String),
      version: e.version ?? 0,
    })),
  };
}

export function hasContent(c: Pick<SectionContent, 'body' | 'examples'>): boolean {
  return c.body.trim() !== '' || c.examples.length > 0;
}

/** Rich text from the editor is sanitised; text from the plain textarea becomes paragraphs first. */
export function cleanRichText(value: string, format: 'html' | 'text' = 'html'): string {
  return sanitiseRichText(format === 'text' ? textToHtml(value) : value);
}

function cleanExample(input: ExampleInput, format: 'html' | 'text'): ExampleContent {
  return {
    _id: input._id && Types.ObjectId.isValid(input._id) ? input._id : new Types.ObjectId().toHexString(),
    title: input.title.trim(),
    tags: { role: input.tags.role.trim(), project: input.tags.project.trim(), year: input.tags.year.trim() },
    description: cleanRichText(input.description, format),
    reflection: cleanRichText(input.reflection, format),
    evidenceIds: (input.evidenceIds ?? []).filter((id) => Types.ObjectId.isValid(id)),
    dimensions: input.dimensions ?? [],
    version: 0,
  };
}

const sameExample = (a: ExampleContent, b: ExampleContent) =>
  a.title === b.title && a.description === b.description && a.reflection === b.reflection &&
  JSON.stringify(a.tags) === JSON.stringify(b.tags) && a.evidenceIds.join() === b.evidenceIds.join() && a.dimensions.join() === b.dimensions.join();

/** Each part that changed gets its next version; the others keep theirs. */
function withVersions(before: SectionContent, next: SectionContent): SectionContent {
  return {
    body: next.body,
    bodyVersion: next.body === before.body ? before.bodyVersion : before.bodyVersion + 1,
    examples: next.examples.map((e) => {
      const was = before.examples.find((b) => b._id === e._id);
      return { ...e, version: !was ? 1 : sameExample(was, e) ? was.version : was.version + 1 };
    }),
  };
}

async function loadOwned(target: SectionTarget): Promise<SectionDoc> {
  if (!Types.ObjectId.isValid(target.sectionId)) throw notFound('We could not find that section.');
  const section = (await Section.findOne({ _id: target.sectionId, portfolio: target.portfolioId }).lean()) as SectionDoc | null;
  if (!section) throw notFound('We could not find that section.');
  return section;
}

function conflictOf(current: SectionDoc, yours: SectionContent, baseVersion: number, merge?: MergeProposal): SaveResult {
  return {
    ok: false,
    conflict: {
      theirs: { ...contentOf(current), version: current.version, updatedAt: (current.updatedAt as Date) ?? null },
      yours: { ...yours, baseVersion },
      ...(merge ? { merge } : {}),
    },
  };
}

/** What a change makes of the current content: the next content, or a refusal carrying "yours". */
type Decision =
  | { next: SectionContent; merged?: Record<string, string> }
  | { refused: SectionContent; baseVersion: number; merge?: MergeProposal };

/**
 * Writes what `change` makes of the current content. With `sectionVersion`, the whole section must still be
 * at that version (forms without per-part versions, removing, restoring); without it, `change` checks the
 * part it edits, and a write that lost a race with a save to another part simply reads again and retries.
 */
async function writeContent(
  target: SectionTarget,
  sectionVersion: number | null,
  change: (current: SectionContent) => Decision,
  options: { closeRevision?: boolean; restoredFrom?: number } = {},
): Promise<SaveResult> {
  for (let attempt = 0; ; attempt++) {
    const current = await loadOwned(target);
    const decision = change(contentOf(current));
    if ('refused' in decision) return conflictOf(current, decision.refused, decision.baseVersion, decision.merge);
    const next = withVersions(contentOf(current), decision.next);
    if (sectionVersion !== null && current.version !== sectionVersion) return conflictOf(current, next, sectionVersion);
    const now = new Date();
    // A merge overwrote another tab's text: it starts a revision of its own, so that text stays in the history.
    const joins = !options.closeRevision && !decision.merged && joinsOpenRevision(current, target.byUser, now, target.writer ?? null);
    const opening = joins ? null : openingRevision(target.byUser, current.version + 1, now, { closed: options.closeRevision, writer: target.writer });
    if (!joins) await closeOpenRevision(current);
    const updated = (await Section.findOneAndUpdate(
      { _id: current._id, portfolio: target.portfolioId, version: current.version },
      {
        $set: {
          body: next.body,
          bodyVersion: next.bodyVersion,
          examples: next.examples,
          state: stateAfterContent(current.state, hasContent(next)),
          updatedBy: target.byUser,
          ...fullSummarySet(next, current.version + 1), // the overview's figures, in the same update
          ...(opening ? opening.set : openRevisionSaved(current.version + 1, now)),
        },
        $inc: { version: 1 },
      },
      { new: true },
    ).lean()) as SectionDoc | null;
    if (!updated) {
      if (sectionVersion !== null || attempt >= 4) return conflictOf(await loadOwned(target), next, sectionVersion ?? current.version);
      continue;
    }
    if (updated.state !== current.state) {
      announceStateChange({ section: updated, from: current.state, to: updated.state, by: 'system', byUser: target.byUser });
    }
    if (opening) await storeRevision(opening.id, updated, target.byUser, options.restoredFrom);
    const noted = await noteEditAfterApproval(updated, current, target.byUser);
    return { ok: true, section: noted, ...(decision.merged ? { merged: decision.merged } : {}) };
  }
}

const RICH_FIELDS = new Set(['description', 'reflection', 'body']);

/** Merges each field three ways; clean only if every field merged without a clash. */
function mergeFields(base: Record<string, string>, theirs: Record<string, string>, yours: Record<string, string>) {
  let clean = true;
  const combined: Record<string, string> = {};
  const diffs: Record<string, DifferencePart[]> = {};
  for (const field of Object.keys(yours)) {
    const rich = RICH_FIELDS.has(field);
    const m = (rich ? mergeRichText : mergeShortText)(base[field] ?? '', theirs[field] ?? '', yours[field]);
    combined[field] = m.text;
    if (!m.clean) {
      clean = false;
      diffs[field] = differences(theirs[field] ?? '', yours[field], rich);
    }
  }
  return { clean, combined, differences: diffs };
}

const exampleFields = (e: ExampleContent): Record<string, string> => ({
  title: e.title, role: e.tags.role, project: e.tags.project, year: e.tags.year, description: e.description, reflection: e.reflection,
});
const exampleFrom = (e: ExampleContent, f: Record<string, string>): ExampleContent => ({
  ...e, title: f.title, tags: { role: f.role, project: f.project, year: f.year }, description: f.description, reflection: f.reflection,
});

/** Per-part saving: what the page last had from the server (its version, and its text to merge from). */
export interface PartBase {
  partVersion?: number;
  base?: Record<string, string>;
}

export async function saveBody(
  target: SectionTarget,
  input: { baseVersion: number; body: string; format?: 'html' | 'text' } & PartBase,
): Promise<SaveResult> {
  const body = cleanRichText(input.body, input.format ?? 'html');
  if (!Types.ObjectId.isValid(target.sectionId)) throw notFound('We could not find that section.');
  const perPart = input.partVersion !== undefined;
  const fast = await joinOpenRevision(target, body, input.baseVersion, input.partVersion);
  if (fast) return { ok: true, section: fast };
  const base = input.base ? cleanRichText(input.base.body ?? '', input.format ?? 'html') : null;
  return writeContent(target, perPart ? null : input.baseVersion, (c) => {
    const yours = { ...c, body };
    if (!perPart || c.bodyVersion === input.partVersion) return { next: yours };
    if (base === null) return { refused: yours, baseVersion: input.partVersion! };
    const m = mergeFields({ body: base }, { body: c.body }, { body });
    if (m.clean) return { next: { ...c, body: m.combined.body }, ...(m.combined.body !== body ? { merged: m.combined } : {}) };
    return { refused: yours, baseVersion: input.partVersion!, merge: { part: 'body', combined: m.combined, differences: m.differences } };
  });
}

/**
 * The autosave hot path for a section's body: one conditional update, no read first, while the save joins
 * the open revision of the same person and tab and nothing else changed the section. Anything else (a new revision, a conflict) goes through
 * writeContent. Returns null when this path did not apply.
 */
async function joinOpenRevision(target: SectionTarget, body: string, baseVersion: number, bodyVersion?: number): Promise<SectionDoc | null> {
  const now = new Date();
  const part = bodyVersion === undefined ? {} : { bodyVersion: bodyVersion === 0 ? { $in: [0, null] } : bodyVersion };
  const filter = { _id: target.sectionId, portfolio: target.portfolioId, version: baseVersion, ...part, ...coalescingFilter(target.byUser, now, target.writer ?? null) };
  // The overview's figures ride along: the body's words are set; the examples' figures did not change, so
  // their stamp moves with the version (it stays valid only if it was; see section-summary.ts).
  let updated = (await Section.findOneAndUpdate(
    filter,
    {
      $set: { body, updatedBy: target.byUser, 'summary.bodyWords': bodyWordsOf(body), 'summary.bodyStamp': baseVersion + 2, ...openRevisionSaved(baseVersion + 1, now) },
      $inc: { version: 1, bodyVersion: 1, 'summary.examplesStamp': 1 },
    },
    { new: true },
  ).lean()) as SectionDoc | null;
  if (!updated) return null;
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
  return noteEditAfterApproval(updated, null, target.byUser);
}

/** Adding overwrites nothing, so a section changed elsewhere simply gets the example added to its latest version. */
export async function addExample(
  target: SectionTarget,
  input: { baseVersion: number; example: ExampleInput; format?: 'html' | 'text' },
): Promise<SaveResult> {
  const example = cleanExample({ ...input.example, _id: undefined }, input.format ?? 'html');
  return writeContent(target, null, (c) => ({ next: { ...c, examples: [...c.examples, example] } }));
}

/**
 * Saves one example. With `partVersion` only that example's version matters, and a save based on an older
 * version is merged three ways with `base`. An example that does not exist yet is added with the id the
 * page chose (the "Add an example" form saves a draft from the first keystroke), so a repeated save is harmless.
 */
export async function updateExample(
  target: SectionTarget,
  input: { baseVersion: number; exampleId: string; example: ExampleInput; format?: 'html' | 'text' } & PartBase,
): Promise<SaveResult> {
  const format = input.format ?? 'html';
  const perPart = input.partVersion !== undefined;
  return writeContent(target, perPart ? null : input.baseVersion, (c) => {
    const existing = c.examples.find((e) => e._id === input.exampleId);
    const cleaned = cleanExample({ ...input.example, _id: input.exampleId, evidenceIds: input.example.evidenceIds ?? existing?.evidenceIds, dimensions: input.example.dimensions ?? existing?.dimensions }, format);
    // If the example was removed elsewhere, it comes back: nothing typed is lost.
    const put = (e: ExampleContent) =>
      existing ? { ...c, examples: c.examples.map((x) => (x._id === input.exampleId ? e : x)) } : { ...c, examples: [...c.examples, e] };
    if (!perPart || !existing || existing.version === input.partVersion) return { next: put(cleaned) };
    if (!input.base) return { refused: put(cleaned), baseVersion: input.partVersion! };
    const base = cleanExample({ ...exampleInputOf(input.base), _id: input.exampleId }, format);
    const m = mergeFields(exampleFields(base), exampleFields(existing), exampleFields(cleaned));
    if (m.clean) return { next: put(exampleFrom(cleaned, m.combined)), ...(sameFields(m.combined, exampleFields(cleaned)) ? {} : { merged: m.combined }) };
    return { refused: put(cleaned), baseVersion: input.partVersion!, merge: { part: input.exampleId, combined: m.combined, differences: m.differences } };
  });
}

/** A merge that only gave back what the page sent (its own earlier save landed already) is no merge to show. */
const sameFields = (a: Record<string, string>, b: Record<string, string>) => Object.keys(b).every((k) => a[k] === b[k]);

const exampleInputOf = (f: Record<string, string>): ExampleInput => ({
  title: f.title ?? '',
  tags: { role: f.role ?? '', project: f.project ?? '', year: f.year ?? '' },
  description: f.description ?? '',
  reflection: f.reflection ?? '',
});

export async function removeExample(
  target: SectionTarget,
  input: { baseVersion: number; exampleId: string },
): Promise<SaveResult> {
  return writeContent(target, input.baseVersion, (c) => ({ next: { ...c, examples: c.examples.filter((e) => e._id !== input.exampleId) } }));
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
  return writeContent(target, input.baseVersion, () => ({ next: restored }), {
    closeRevision: true,
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
