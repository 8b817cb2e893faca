import { diffWords } from 'diff';
import { diff3Merge } from 'node-diff3';
import { htmlToText } from './rich-text';

/**
 * Three-way merge of one piece of writing, for two tabs (or devices) that edited the same example or body
 * from the same starting text. Rich text is merged paragraph by paragraph (node-diff3 over block-level
 * pieces), so edits to different paragraphs combine by themselves; where both changed the same paragraph
 * the combined text keeps both versions, labelled, and the merge is reported as not clean. Nothing either
 * side wrote is ever left out.
 */
export interface MergedText {
  clean: boolean;
  text: string;
}

const CONFLICT_LABELS = { theirs: 'Saved elsewhere:', yours: 'Your version:' };

/** Sanitised HTML cut after each block or line break, so that a paragraph is one unit of the merge. */
export function blocksOf(html: string): string[] {
  return html.split(/(?<=<\/(?:p|li|h3|h4|blockquote)>|<br \/>|<(?:ul|ol)>|<\/(?:ul|ol)>)/).filter((b) => b !== '');
}

export function mergeRichText(base: string, theirs: string, yours: string): MergedText {
  const simple = trivialMerge(base, theirs, yours);
  if (simple) return simple;
  let clean = true;
  const out: string[] = [];
  for (const region of diff3Merge(blocksOf(yours), blocksOf(base), blocksOf(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) out.push(...region.ok);
    else if (region.conflict) {
      const { a, o, b } = region.conflict;
      // diff3 calls edits to neighbouring paragraphs one clash; paragraph by paragraph they may not be.
      const pairwise = a.length === o.length && b.length === o.length ? o.map((_, i) => trivialMerge(o[i], b[i], a[i])) : null;
      if (pairwise && pairwise.every((m) => m)) out.push(...pairwise.map((m) => m!.text));
      else {
        clean = false;
        out.push(`<p><strong>${CONFLICT_LABELS.theirs}</strong></p>`, ...b, `<p><strong>${CONFLICT_LABELS.yours}</strong></p>`, ...a);
      }
    }
  }
  return { clean, text: out.join('') };
}

/** A short field (title, tags): one unit; both changes kept side by side when they differ. */
export function mergeShortText(base: string, theirs: string, yours: string): MergedText {
  return trivialMerge(base, theirs, yours) ?? { clean: false, text: `${theirs} / ${yours}` };
}

function trivialMerge(base: string, theirs: string, yours: string): MergedText | null {
  if (theirs === yours || theirs === base) return { clean: true, text: yours };
  if (yours === base) return { clean: true, text: theirs };
  return null;
}

export interface DifferencePart {
  kind: 'same' | 'theirs' | 'yours';
  text: string;
}

/** The words that differ between the two versions, for showing both with the differences marked. */
export function differences(theirsHtml: string, yoursHtml: string, rich = true): DifferencePart[] {
  const plain = (s: string) => (rich ? htmlToText(s) : s);
  return diffWords(plain(theirsHtml), plain(yoursHtml)).map((p) => ({ kind: p.removed ? 'theirs' : p.added ? 'yours' : 'same', text: p.value }));
}
