import { wordCount, wordRange } from '../portfolio';
import type { Book } from './book';

/**
 * What ALT checks first, from the Book alone: every required section present, word guidance, examples
 * and their evidence, the links to open; and each format's likely size against ALT's limits.
 */
export const ALT_LIMIT_BYTES = 25 * 1024 * 1024;
export const ALT_ADVICE_BYTES = 10 * 1024 * 1024;

export interface Finding {
  level: 'missing' | 'warning';
  text: string;
  href?: string; // the area's anchor in the reading view
}

export interface SizeEstimate {
  format: 'pdf' | 'zip';
  bytes: number;
  verdict: 'over_limit' | 'over_advice' | 'fine';
}

export interface Check {
  findings: Finding[];
  links: string[];
  sizes: SizeEstimate[];
}

const PAGE_BYTES = 20 * 1024; // a laid-out page of text with its share of the embedded font

export function checkBook(book: Book): Check {
  const findings: Finding[] = [];
  for (const a of book.areas) {
    const href = `#area-${a.id}`;
    if (a.kind === 'plain') {
      if (a.required && !a.body.trim()) findings.push({ level: 'missing', text: `${a.title}: not written yet.`, href });
      continue;
    }
    if (a.examples.length === 0) {
      findings.push({ level: 'missing', text: `${a.title}: no examples yet.`, href });
      continue;
    }
    if (a.examples.length < a.examplesExpected.min) findings.push({ level: 'warning', text: `${a.title}: ${a.examples.length} example${a.examples.length === 1 ? '' : 's'}; ALT suggests ${a.examplesExpected.max ? `${a.examplesExpected.min} to ${a.examplesExpected.max}` : `at least ${a.examplesExpected.min}`}.`, href });
    const words = a.examples.reduce((n, e) => n + wordCount(e.description) + wordCount(e.reflection), 0);
    const advice = wordRange(a.words);
    if (a.words.min !== undefined && words < a.words.min) findings.push({ level: 'warning', text: `${a.title}: ${words} words, under the advice of ${advice}.`, href });
    if (a.words.max !== undefined && words > a.words.max) findings.push({ level: 'warning', text: `${a.title}: ${words} words, over the advice of ${advice}.`, href });
    a.examples.forEach((e, i) => {
      const title = e.title || `Example ${i + 1}`;
      if (!e.description.trim() || !e.reflection.trim()) findings.push({ level: 'missing', text: `${a.title}, “${title}”: needs both a description and a reflection.`, href });
      if (!e.evidenceIds.length) findings.push({ level: 'warning', text: `${a.title}, “${title}”: no evidence linked.`, href });
      if (e.missingEvidence) findings.push({ level: 'warning', text: `${a.title}, “${title}”: ${e.missingEvidence} linked item(s) were deleted from the evidence library.`, href });
    });
  }
  const links = [...new Set(book.evidence.filter((e) => e.url).map((e) => e.url!))];
  const fileBytes = (pick: (type: string) => boolean) => book.evidence.reduce((n, e) => n + (e.file && pick(e.file.contentType) ? e.file.size : 0), 0);
  const pages = 2 + book.areas.length + Math.ceil(book.evidence.length / 4);
  const pdf = pages * PAGE_BYTES + fileBytes((t) => t === 'application/pdf' || t === 'image/jpeg' || t === 'image/png');
  const zip = (book.areas.length + 2) * 8 * 1024 + fileBytes(() => true);
  const verdict = (bytes: number): SizeEstimate['verdict'] => (bytes > ALT_LIMIT_BYTES ? 'over_limit' : bytes > ALT_ADVICE_BYTES ? 'over_advice' : 'fine');
  return { findings, links, sizes: [{ format: 'pdf', bytes: pdf, verdict: verdict(pdf) }, { format: 'zip', bytes: zip, verdict: verdict(zip) }] };
}
