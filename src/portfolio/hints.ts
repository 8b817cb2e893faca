import { wordRange, type Framework, type FrameworkArea, type WordAdvice } from './framework';
import { wordCount } from './rich-text';

/** Gentle writing hints: shown beside the work, never blocking a save or a review request. */
export interface Hint {
  id: 'words_short' | 'words_long' | 'one_example' | 'many_examples' | 'reflection_light' | 'breadth';
  message: string;
  exampleId?: string;
}

export interface HintExample {
  _id: string;
  title: string;
  description: string;
  reflection: string;
  tags: { project: string };
}

export interface HintSection {
  body: string;
  examples: HintExample[];
}

export function sectionWords(section: HintSection): number {
  return (
    wordCount(section.body) +
    section.examples.reduce((n, e) => n + wordCount(e.description) + wordCount(e.reflection), 0)
  );
}

/** Reflection as a share of an example's words (0..1), or null for an empty example. */
export function reflectionShare(example: Pick<HintExample, 'description' | 'reflection'>): number | null {
  const d = wordCount(example.description);
  const r = wordCount(example.reflection);
  return d + r === 0 ? null : r / (d + r);
}

export function sectionHints(
  framework: Framework,
  area: FrameworkArea,
  section: HintSection,
  allExamples: HintExample[] = section.examples,
  /** The length advice that applies (wordAdviceFor): the course's, the area's or the scheme's. */
  advice: WordAdvice = area.words ?? framework.guidance.words,
): Hint[] {
  const hints: Hint[] = [];
  const g = framework.guidance;
  const words = sectionWords(section);
  const range = wordRange(advice);
  if (words > 0 && advice.min !== undefined && words < advice.min) {
    hints.push({
      id: 'words_short',
      message: `${words} words so far. The advice is ${range} words (${advice.note.toLowerCase()}).`,
    });
  } else if (advice.max !== undefined && words > advice.max * 1.25) {
    hints.push({
      id: 'words_long',
      message: `${words} words: longer than the ${range} words advised. Assessors value a focused account.`,
    });
  }
  if (area.kind === 'examples') {
    const n = section.examples.length;
    if (n === 1) {
      hints.push({
        id: 'one_example',
        message: `One example so far. ${g.examplesSuggested.min}–${g.examplesSuggested.max} distinct examples usually show an area best.`,
      });
    } else if (n > 4) {
      hints.push({
        id: 'many_examples',
        // Not a limit (the scheme sets none): a nudge to check each example adds something distinct.
        message: `${n} examples. There is no maximum; check that each one shows something the others do not.`,
      });
    }
    for (const e of section.examples) {
      const share = reflectionShare(e);
      if (share !== null && wordCount(e.description) >= 40 && share < 0.25) {
        hints.push({
          id: 'reflection_light',
          exampleId: e._id,
          message: `"${e.title || 'Untitled example'}" is mostly description (${Math.round(share * 100)}% reflection). Say what you learned and what you would do differently.`,
        });
      }
    }
  }
  const breadth = breadthHint(allExamples);
  if (breadth) hints.push(breadth);
  return hints;
}

/** Most examples across the portfolio from one project suggests too narrow a base. */
export function breadthHint(examples: HintExample[]): Hint | null {
  const tagged = examples.map((e) => e.tags.project.trim().toLowerCase()).filter(Boolean);
  if (tagged.length < 4) return null;
  const counts = new Map<string, number>();
  for (const p of tagged) counts.set(p, (counts.get(p) ?? 0) + 1);
  const [project, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (n / examples.length <= 0.5) return null;
  const shown = examples.find((e) => e.tags.project.trim().toLowerCase() === project)!.tags.project.trim();
  return {
    id: 'breadth',
    message: `${n} of your ${examples.length} examples come from "${shown}". Assessors look for breadth: consider examples from other work too.`,
  };
}
