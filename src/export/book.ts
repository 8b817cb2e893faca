import { day } from '../http/dates';
import { Types } from 'mongoose';
import { Course } from '../people/course.model';
import { User } from '../people/user.model';
import { courseScheme, frameworks, listEvidenceByIds, wordAdviceFor, loadPortfolio, STATE_LABELS, type PortfolioDoc, type SectionState } from '../portfolio';

/**
 * The whole portfolio as one plain object: what the reading view, the PDF, the website, Leap2A and
 * an assessor's frozen copy are all made from. Rich text fields hold sanitised HTML (sanitised when
 * saved); every format renders them as text, never as markup it trusts.
 */
export interface BookEvidence {
  id: string;
  number: number; // E1, E2... in order of first citation
  kind: 'file' | 'link' | 'note';
  title: string;
  date: string | null; // ISO date
  description: string;
  url?: string;
  text?: string;
  file?: { fileId: string; filename: string; contentType: string; size: number };
  citedIn: Array<{ areaId: string; exampleId: string }>;
}

export interface BookExample {
  id: string;
  title: string;
  tags: { role: string; project: string; year: string };
  description: string;
  reflection: string;
  evidenceIds: string[]; // only ids that exist in `evidence`
  missingEvidence: number; // links to evidence that was deleted meanwhile
}

export interface BookArea {
  id: string;
  code: string;
  title: string;
  group: string;
  assessed: boolean;
  required: boolean;
  kind: 'examples' | 'plain';
  examplesExpected: { min: number; max?: number };
  words: { min?: number; max?: number }; // the length advice that applies (the course's, else the scheme's)
  state: SectionState;
  stateLabel: string;
  body: string;
  examples: BookExample[];
}

export interface Book {
  portfolioId: string;
  courseId: string;
  candidate: { userId: string; name: string };
  courseTitle: string;
  frameworkTitle: string;
  pathwayTitle: string;
  madeAt: string; // ISO time the book was read
  /** A document other than a portfolio (e.g. a CMALT review from a registered source) names itself. */
  title?: string;
  areas: BookArea[];
  evidence: BookEvidence[];
}

/** Reads one portfolio, its sections and the evidence its examples cite, into a Book. */
export async function bookOf(portfolio: PortfolioDoc, now = new Date()): Promise<Book> {
  const registry = frameworks();
  const { framework, areas, sections } = await loadPortfolio(registry, portfolio);
  const [user, course] = await Promise.all([
    Types.ObjectId.isValid(portfolio.userId) ? User.findById(portfolio.userId, { name: 1 }).lean() : null,
    Types.ObjectId.isValid(portfolio.courseId) ? Course.findById(portfolio.courseId, { title: 1, label: 1 }).lean() : null,
  ]);
  const scheme = await courseScheme(registry, portfolio.courseId);
  const cited: string[] = [];
  for (const s of sections) for (const e of s.examples ?? []) for (const id of e.evidenceIds ?? []) if (!cited.includes(String(id))) cited.push(String(id));
  const items = await listEvidenceByIds({ courseId: portfolio.courseId, userId: portfolio.userId }, cited);
  const byId = new Map(items.map((i) => [String(i._id), i]));
  const evidence: BookEvidence[] = [];
  for (const id of cited) {
    const item = byId.get(id);
    if (!item) continue;
    evidence.push(bookEvidence(id, item, evidence.length + 1, []));
  }
  const evidenceById = new Map(evidence.map((e) => [e.id, e]));
  const pathway = framework.pathways.find((p) => p.id === portfolio.pathway);
  return {
    portfolioId: String(portfolio._id),
    courseId: portfolio.courseId,
    candidate: { userId: portfolio.userId, name: user?.name || 'Unnamed candidate' },
    courseTitle: course?.title || course?.label || '',
    frameworkTitle: framework.title,
    pathwayTitle: pathway?.title ?? portfolio.pathway,
    madeAt: now.toISOString(),
    evidence,
    areas: areas.map((area) => {
      const section = sections.find((s) => s.areaId === area.id);
      const state = (section?.state ?? 'not_started') as SectionState;
      return {
        id: area.id,
        code: area.code,
        title: area.displayTitle,
        group: area.group,
        assessed: area.assessed,
        required: area.required,
        kind: area.kind,
        examplesExpected: area.examples,
        words: (({ min, max }) => ({ min, max }))(wordAdviceFor(framework, portfolio.pathway, area, scheme.wordAdvice)),
        state,
        stateLabel: STATE_LABELS[state],
        body: area.kind === 'plain' ? section?.body ?? '' : '',
        examples: (section?.examples ?? []).map((e) => {
          const ids = (e.evidenceIds ?? []).map(String);
          const present = ids.filter((id) => evidenceById.has(id));
          for (const id of present) evidenceById.get(id)!.citedIn.push({ areaId: area.id, exampleId: String(e._id) });
          return {
            id: String(e._id),
            title: e.title ?? '',
            tags: { role: e.tags?.role ?? '', project: e.tags?.project ?? '', year: e.tags?.year ?? '' },
            description: e.description ?? '',
            reflection: e.reflection ?? '',
            evidenceIds: present,
            missingEvidence: ids.length - present.length,
          };
        }),
      };
    }),
  };
}

/** The title on the cover, the PDF's metadata and the website's pages. */
export const bookTitle = (book: Pick<Book, 'title' | 'candidate'>) => book.title || `CMALT portfolio of ${book.candidate.name}`;

/** "E3" for the third piece of evidence cited. */
export const evidenceLabel = (e: Pick<BookEvidence, 'number'>) => `E${e.number}`;

export const ukDate = (iso: string | null | undefined) =>
  iso ? day(iso) : '';

/** One piece of evidence as a document lists it: what the PDF appends or draws and the website carries. */
export function bookEvidence(id: string, item: EvidenceItem, number: number, citedIn: BookEvidence['citedIn']): BookEvidence {
  return {
    id,
    number,
    kind: item.kind as BookEvidence['kind'],
    title: item.title,
    date: item.date ? new Date(item.date).toISOString().slice(0, 10) : null,
    description: item.description ?? '',
    ...(item.kind === 'link' && item.url ? { url: item.url } : {}),
    ...(item.kind === 'note' ? { text: item.text ?? '' } : {}),
    ...(item.kind === 'file' && item.file
      ? { file: { fileId: String(item.file.fileId), filename: item.file.filename, contentType: item.file.contentType, size: item.file.size } }
      : {}),
    citedIn,
  };
}
type EvidenceItem = Awaited<ReturnType<typeof listEvidenceByIds>>[number];
