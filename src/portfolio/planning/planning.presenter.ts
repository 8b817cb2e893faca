import { when } from '../../http/dates';
import type { PortfolioArea } from '../framework';
import { sectionHref } from '../evidence';
import { areaKeywords, CvLine, highlightCv } from './keywords';
import type { PlanDoc, PlanningNoteDoc } from './plan.model';

/** What the planning pages receive: plain objects, never mongoose documents. */

const SOURCE_LABELS: Record<string, string> = { pasted: 'pasted', txt: 'a text file', docx: 'a Word document', pdf: 'a PDF' };

export interface CvView {
  has: boolean;
  text: string;
  summary: string; // "From a Word document (cv.docx), 14 March 2025 at 10:02"
}

export function presentCv(plan: PlanDoc | null): CvView {
  if (!plan?.cvText) return { has: false, text: '', summary: '' };
  if ((plan as { cvFromProfile?: boolean }).cvFromProfile) return { has: true, text: plan.cvText, summary: 'From your CPD record’s profile (change it there, or give planning its own below)' };
  const from = SOURCE_LABELS[plan.cvSource ?? 'pasted'] ?? 'pasted';
  const file = plan.cvFilename ? ` (${plan.cvFilename})` : '';
  const at = plan.cvUpdatedAt ? `, ${when(plan.cvUpdatedAt)}` : '';
  return { has: true, text: plan.cvText, summary: from === 'pasted' ? `Pasted${at}` : `From ${from}${file}${at}` };
}

export interface AreaSummary {
  id: string;
  title: string;
  notes: number;
  drafted: number;
}

export function presentAreas(plan: PlanDoc | null, areas: PortfolioArea[]): AreaSummary[] {
  return areas.map((a) => {
    const notes = (plan?.notes ?? []).filter((n) => n.areaId === a.id);
    return { id: a.id, title: a.displayTitle, notes: notes.length, drafted: notes.filter((n) => n.draftedAt).length };
  });
}

export interface NoteView {
  id: string;
  title: string;
  did: string;
  learned: string;
  proof: string;
  /** The start of what was done, for the folded note. */
  gist: string;
  drafted: null | { sectionHref: string; exampleId: string };
}

/** The start of a text, cut at a word (planning-notes.js cuts the same way after a save). */
export function gistOf(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : max)}…`;
}

export function presentNote(note: PlanningNoteDoc, sectionId: string | undefined): NoteView {
  return {
    id: String(note._id),
    title: note.title ?? '',
    did: note.did ?? '',
    learned: note.learned ?? '',
    proof: note.proof ?? '',
    gist: gistOf(note.did ?? ''),
    drafted: note.draftedAt ? { sectionHref: sectionId ? sectionHref(sectionId) : '/portfolio', exampleId: note.draftedExampleId ?? '' } : null,
  };
}

export interface AreaPlanView {
  area: { id: string; title: string; asks: string; prompts: string[]; goodEvidence: string[] };
  notes: NoteView[];
  cv: CvView;
  cvLines: CvLine[];
  cvMentions: number;
}

export function presentAreaPlan(plan: PlanDoc | null, area: PortfolioArea, sectionId: string | undefined): AreaPlanView {
  const cv = presentCv(plan);
  const cvLines = highlightCv(cv.text, areaKeywords({ title: area.displayTitle, keywords: area.keywords, chosenName: area.chosenName })); // a specialist area is found by the name the candidate gave it
  return {
    area: { id: area.id, title: area.displayTitle, asks: area.asks, prompts: area.prompts, goodEvidence: area.goodEvidence },
    notes: (plan?.notes ?? []).filter((n) => n.areaId === area.id).map((n) => presentNote(n, sectionId)),
    cv,
    cvLines,
    cvMentions: cvLines.filter((l) => l.mentions).length,
  };
}
