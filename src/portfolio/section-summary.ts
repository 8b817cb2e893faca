import type { SectionDoc } from './models';
import { wordCount } from './rich-text';

/**
 * What the overview shows of a section's content (words, number of examples), stored on the section
 * by the same single-document update that saves the content, so the overview reads a few numbers
 * instead of every example's rich text.
 *
 * Each half carries a stamp equal to the section's version + 1 at the moment it was computed:
 *  - a content save sets the stamps it knows to newVersion + 1 (writeContent sets both; the body
 *    autosave sets the body half and `$inc`s the examples stamp, which stays valid only if it was);
 *  - a state change (applyTransition) `$inc`s both stamps with the version;
 *  - any other write that bumps or sets `version` without touching the stamps invalidates them.
 * The "+ 1" means a stamp created by `$inc` on a section that never had one (it starts from 0)
 * can never match, so a section saved before these fields existed is always computed from its content.
 */
export const SUMMARY_FIELDS = { _id: 1, portfolio: 1, areaId: 1, state: 1, version: 1, updatedAt: 1, summary: 1 } as const;

export interface SectionFigures {
  words: number;
  examples: number;
}

export const bodyWordsOf = (body: string) => wordCount(body);
/** The text a section's content counts words in (section.service's SectionContent fits it). */
interface CountedContent {
  body: string;
  examples: Array<{ description: string; reflection: string }>;
}

export const exampleWordsOf = (c: Pick<CountedContent, 'examples'>) =>
  c.examples.reduce((n, e) => n + wordCount(e.description) + wordCount(e.reflection), 0);

/** The `$set` for a save that writes the whole content (body and examples) and becomes `newVersion`. */
export function fullSummarySet(c: CountedContent, newVersion: number) {
  return {
    summary: {
      bodyWords: bodyWordsOf(c.body),
      bodyStamp: newVersion + 1,
      exampleWords: exampleWordsOf(c),
      exampleCount: c.examples.length,
      examplesStamp: newVersion + 1,
    },
  };
}

/** The stored figures if both halves belong to the section's current version, else null. */
export function storedFigures(section: Pick<SectionDoc, 'version' | 'summary'>): SectionFigures | null {
  const s = section.summary;
  const want = section.version + 1;
  if (!s || s.bodyStamp !== want || s.examplesStamp !== want) return null;
  if (typeof s.bodyWords !== 'number' || typeof s.exampleWords !== 'number' || typeof s.exampleCount !== 'number') return null;
  return { words: s.bodyWords + s.exampleWords, examples: s.exampleCount };
}

/** The same figures computed from the content (sections saved before the summary existed, or written elsewhere). */
export function computedFigures(section: Pick<SectionDoc, 'body' | 'examples'>): SectionFigures {
  // As contentOf + sectionWords (hints.ts) count them: missing text counts as empty.
  const examples = (section.examples ?? []).map((e) => ({ description: e.description ?? '', reflection: e.reflection ?? '' }));
  return { words: bodyWordsOf(section.body ?? '') + exampleWordsOf({ examples }), examples: examples.length };
}
