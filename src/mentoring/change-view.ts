import { diffArrays, diffWords } from 'diff';
import { type SectionDoc, findEvidence, htmlToText } from '../portfolio';

/**
 * "What changed": the section as a reader saw it (paragraphs and linked evidence) against the section now, cut
 * down to the changed paragraphs with a little context, so a mentor reads the change, not the section twice.
 */

/** One paragraph as a reader sees it, with where it sits ("Example 2: Quiz tool – reflection"). */
export interface Paragraph {
  place: string;
  text: string;
}
/** One piece of evidence linked to one example, with its title as it was then (it may be deleted later). */
export interface EvidenceSeen {
  id: string;
  title: string;
  exampleId: string;
  place: string;
}
/** What a reader saw, kept at a visit and at a review. `evidence` is null for visits kept before it was. */
export interface SectionSnapshot {
  paragraphs: Paragraph[];
  evidence: EvidenceSeen[] | null;
}

export interface ChangePart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}
/** A paragraph shown in a change: unchanged context, wholly added or removed, or changed word by word. */
export interface ShownParagraph {
  kind: 'context' | 'added' | 'removed' | 'changed';
  place: string;
  parts: ChangePart[];
}
/** A run of changed paragraphs with their context; `skipped` unchanged paragraphs come before it. */
export interface Hunk {
  skipped: number;
  paragraphs: ShownParagraph[];
}
export interface SectionChanges {
  hunks: Hunk[];
  /** Unchanged paragraphs after the last hunk. */
  skippedAfter: number;
  changedParagraphs: number;
  evidenceAdded: EvidenceSeen[];
  evidenceRemoved: EvidenceSeen[];
  /** False when the base was kept without evidence: then evidence changes are not known. */
  evidenceKnown: boolean;
}

const BODY_PLACE = 'The section’s text';
const exampleName = (i: number, title: string) => `Example ${i + 1}: ${title || 'Untitled'}`;
const paragraphsIn = (html: string) => htmlToText(html).split(/\n{2,}/).map((t) => t.trim()).filter(Boolean);

/** The words of a section as a reader sees them, paragraph by paragraph: the body, then each example's parts. */
export function paragraphsOf(section: Pick<SectionDoc, 'body' | 'examples'>): Paragraph[] {
  const out: Paragraph[] = paragraphsIn(section.body ?? '').map((text) => ({ place: BODY_PLACE, text }));
  (section.examples ?? []).forEach((e, i) => {
    const name = exampleName(i, e.title);
    out.push({ place: name, text: name });
    for (const text of paragraphsIn(e.description ?? '')) out.push({ place: `${name} – description`, text });
    for (const text of paragraphsIn(e.reflection ?? '')) out.push({ place: `${name} – reflection`, text });
  });
  return out;
}

/** The evidence linked to each example, with titles read now (a deleted item is left out: nobody can open it). */
export async function evidenceOf(section: Pick<SectionDoc, 'examples'>): Promise<EvidenceSeen[]> {
  const out: EvidenceSeen[] = [];
  for (const [i, e] of (section.examples ?? []).entries()) {
    for (const id of e.evidenceIds ?? []) {
      const item = (await findEvidence(String(id))) as { title?: string } | null;
      if (item) out.push({ id: String(id), title: item.title || 'Untitled evidence', exampleId: String(e._id), place: exampleName(i, e.title) });
    }
  }
  return out;
}

export async function snapshotOf(section: Pick<SectionDoc, 'body' | 'examples'>): Promise<SectionSnapshot> {
  return { paragraphs: paragraphsOf(section), evidence: await evidenceOf(section) };
}

/** A word-level difference; unchanged stretches are kept so the reader sees changes in context. */
export function wordChanges(before: string, after: string): ChangePart[] {
  return diffWords(before, after).map((p) => ({ kind: p.added ? 'added' : p.removed ? 'removed' : 'same', text: p.value }));
}

/** Every paragraph of both versions in reading order, changed ones marked; a removed run beside an added one is paired up. */
function alignParagraphs(before: Paragraph[], after: Paragraph[]): ShownParagraph[] {
  const out: ShownParagraph[] = [];
  let b = 0;
  let a = 0;
  let removed: Paragraph[] = [];
  const settle = (added: Paragraph[]) => {
    const pairs = Math.min(removed.length, added.length);
    for (let i = 0; i < pairs; i += 1) out.push({ kind: 'changed', place: added[i].place, parts: wordChanges(removed[i].text, added[i].text) });
    for (const p of removed.slice(pairs)) out.push({ kind: 'removed', place: p.place, parts: [{ kind: 'removed', text: p.text }] });
    for (const p of added.slice(pairs)) out.push({ kind: 'added', place: p.place, parts: [{ kind: 'added', text: p.text }] });
    removed = [];
  };
  for (const change of diffArrays(before.map((p) => p.text), after.map((p) => p.text))) {
    const n = change.count ?? change.value.length;
    if (change.removed) {
      removed.push(...before.slice(b, b + n));
      b += n;
    } else if (change.added) {
      settle(after.slice(a, a + n));
      a += n;
    } else {
      settle([]);
      for (const p of after.slice(a, a + n)) out.push({ kind: 'context', place: p.place, parts: [{ kind: 'same', text: p.text }] });
      a += n;
      b += n;
    }
  }
  settle([]);
  return out;
}

const evidenceKey = (e: EvidenceSeen) => `${e.id}@${e.exampleId}`;

/** The changed paragraphs with `context` unchanged paragraphs either side, and the evidence linked or unlinked since. */
export function changesBetween(before: SectionSnapshot, after: SectionSnapshot, context = 1): SectionChanges {
  const all = alignParagraphs(before.paragraphs, after.paragraphs);
  const changedAt = all.flatMap((p, i) => (p.kind === 'context' ? [] : [i]));
  const shown = new Set(changedAt.flatMap((i) => Array.from({ length: 2 * context + 1 }, (_, k) => i - context + k)).filter((i) => i >= 0 && i < all.length));
  const hunks: Hunk[] = [];
  let skipped = 0;
  all.forEach((p, i) => {
    if (!shown.has(i)) {
      skipped += 1;
      return;
    }
    if (i === 0 || !shown.has(i - 1)) hunks.push({ skipped, paragraphs: [] });
    hunks[hunks.length - 1].paragraphs.push(p);
    skipped = 0;
  });
  const had = new Set((before.evidence ?? []).map(evidenceKey));
  const has = new Set((after.evidence ?? []).map(evidenceKey));
  const evidenceKnown = before.evidence !== null && after.evidence !== null;
  return {
    hunks,
    skippedAfter: skipped,
    changedParagraphs: changedAt.length,
    evidenceAdded: evidenceKnown ? after.evidence!.filter((e) => !had.has(evidenceKey(e))) : [],
    evidenceRemoved: evidenceKnown ? before.evidence!.filter((e) => !has.has(evidenceKey(e))) : [],
    evidenceKnown,
  };
}

/** True when the reader would see something in the change view. */
export const anyChange = (c: SectionChanges) => c.changedParagraphs > 0 || c.evidenceAdded.length > 0 || c.evidenceRemoved.length > 0;

/** A snapshot kept as one block of text (visits before paragraphs were kept): its paragraphs, places unknown. */
export const snapshotFromText = (text: string): SectionSnapshot => ({
  paragraphs: text.split(/\n{2,}/).map((t) => t.trim().replace(/^(Description|Reflection): /, '')).filter(Boolean).map((t) => ({ place: '', text: t })),
  evidence: null,
});
