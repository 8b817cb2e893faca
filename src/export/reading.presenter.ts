import { sanitiseRichText } from '../portfolio';
import { bookTitle, evidenceLabel, ukDate, type Book, type BookEvidence } from './book';

/**
 * The reading view's locals: plain strings for `<%=`, and rich text only in fields named `safeHtml`,
 * sanitised again here (a frozen copy or an old section is never trusted to have been).
 */
export interface ReadingOptions {
  /** Where a file's download is: the candidate's library for people in the course, the link's copy for assessors. */
  evidenceHref: (e: BookEvidence) => string;
  /** Section states are for the people in the course, not for ALT's assessors. */
  showStates: boolean;
}

const KIND_LABELS = { file: 'File', link: 'Web link', note: 'Note' } as const;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export function presentEvidenceItem(e: BookEvidence, href: (e: BookEvidence) => string) {
  return {
    anchor: `evidence-${e.number}`,
    label: evidenceLabel(e),
    title: e.title,
    kindLabel: KIND_LABELS[e.kind],
    date: ukDate(e.date),
    descriptionLines: lines(e.description),
    url: e.url ?? '',
    noteLines: lines(e.text ?? ''),
    file: e.file ? { name: e.file.filename, size: formatBytes(e.file.size), href: href(e) } : null,
  };
}

export function readingPresenter(book: Book, options: ReadingOptions) {
  const evidence = new Map(book.evidence.map((e) => [e.id, e]));
  return {
    title: bookTitle(book),
    cover: [
      { term: 'Candidate', value: book.candidate.name },
      { term: 'Pathway', value: book.pathwayTitle },
      ...(book.title && !book.courseTitle ? [] : [{ term: 'Course', value: book.courseTitle || 'Not named by the VLE' }]), // a titled document (a CMALT review) has no course
      { term: 'Framework', value: book.frameworkTitle },
      { term: 'Date', value: ukDate(book.madeAt) },
    ],
    showStates: options.showStates,
    areas: book.areas.map((a) => ({
      anchor: `area-${a.id}`,
      title: a.title,
      group: a.group,
      assessedNote: a.assessed ? '' : 'Not assessed: read for context.',
      stateLabel: a.stateLabel,
      plain: a.kind === 'plain',
      bodySafeHtml: sanitiseRichText(a.body),
      empty: a.kind === 'plain' ? !a.body.trim() : a.examples.length === 0,
      examples: a.examples.map((ex, i) => ({
        anchor: `example-${ex.id}`,
        title: ex.title || `Example ${i + 1}`,
        tags: [ex.tags.role, ex.tags.project, ex.tags.year].filter(Boolean).join(' · '),
        descriptionSafeHtml: sanitiseRichText(ex.description),
        reflectionSafeHtml: sanitiseRichText(ex.reflection),
        evidence: ex.evidenceIds.map((id) => evidence.get(id)!).map((e) => ({ href: `#evidence-${e.number}`, label: evidenceLabel(e), title: e.title })),
        missingEvidence: ex.missingEvidence,
      })),
    })),
    evidence: book.evidence.map((e) => presentEvidenceItem(e, options.evidenceHref)),
  };
}

const lines = (text: string) =>
  text
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean);
