import { diffWords } from 'diff';
import { Types } from 'mongoose';
import { type SectionDoc, htmlToText } from '../portfolio';
import { SectionVisit, type SectionVisitDoc } from './models';

/** The words of a section as a reader sees them: the body, then each example's parts under headings. */
export function sectionText(section: Pick<SectionDoc, 'body' | 'examples'>): string {
  const parts: string[] = [];
  if (section.body) parts.push(htmlToText(section.body));
  (section.examples ?? []).forEach((e, i) => {
    parts.push(`Example ${i + 1}: ${e.title || 'Untitled'}`);
    if (e.description) parts.push(`Description: ${htmlToText(e.description)}`);
    if (e.reflection) parts.push(`Reflection: ${htmlToText(e.reflection)}`);
  });
  return parts.join('\n\n');
}

export interface ChangePart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A word-level difference; unchanged stretches are kept so the reader sees changes in context. */
export function wordChanges(before: string, after: string): ChangePart[] {
  return diffWords(before, after).map((p) => ({ kind: p.added ? 'added' : p.removed ? 'removed' : 'same', text: p.value }));
}

export interface SinceLastVisit {
  firstVisit: boolean;
  lastVisitAt: Date | null;
  versionThen: number | null;
  changed: boolean;
  parts: ChangePart[];
}

/**
 * What changed since this reader last read the section, then remembers this visit (version and text),
 * so the next visit compares with exactly what was on the screen this time.
 */
export async function visitSection(readerId: string, section: Pick<SectionDoc, '_id' | 'version' | 'body' | 'examples'>, now = new Date()): Promise<SinceLastVisit> {
  const sectionId = new Types.ObjectId(String(section._id));
  const text = sectionText(section);
  const previous = (await SectionVisit.findOne({ readerId, section: sectionId }).lean()) as SectionVisitDoc | null;
  await SectionVisit.updateOne(
    { readerId, section: sectionId },
    { $set: { version: section.version, snapshotText: text, at: now } },
    { upsert: true },
  );
  if (!previous) return { firstVisit: true, lastVisitAt: null, versionThen: null, changed: false, parts: [] };
  const changed = previous.version !== section.version && previous.snapshotText !== text;
  return {
    firstVisit: false,
    lastVisitAt: previous.at,
    versionThen: previous.version,
    changed,
    parts: changed ? wordChanges(previous.snapshotText, text) : [],
  };
}

/** Last visits of one reader, by section id (the dashboard marks sections changed since). */
export async function lastVisits(readerId: string, sectionIds: Types.ObjectId[]): Promise<Map<string, SectionVisitDoc>> {
  const visits = (await SectionVisit.find({ readerId, section: { $in: sectionIds } }).lean()) as SectionVisitDoc[];
  return new Map(visits.map((v) => [String(v.section), v]));
}

/** Who has read a section (other than its owner, whose visits are not kept), most recent first. */
export async function readersOf(sectionId: string | Types.ObjectId): Promise<Array<{ readerId: string; at: Date }>> {
  const visits = await SectionVisit.find({ section: sectionId }, { readerId: 1, at: 1 }).sort({ at: -1 }).limit(500).lean();
  return visits.map((v) => ({ readerId: v.readerId, at: v.at }));
}
