import { escapeHtml } from '../http/escape';
import type { Who } from '../http/who';
import { findEvidence } from '../portfolio';
import { Types } from 'mongoose';
import type { Book, BookArea, BookEvidence, DocumentSource } from '../export';
import { CpdRecord, type EntryDoc, type RecordDoc } from './models';
import { can } from './policy';
import { KIND_LABELS, hoursInWords, inWords } from './presenter';
import { certificationFrom, entriesSince, reviewDueOn } from './review.service';
import { altRecordsOf, bookEvidence } from '../export';
import { REVIEW_SECTIONS } from './schema';

/**
 * The CMALT review as a document the export capability renders (PDF and website), registered at boot as
 * "cmalt-review". The id is the person's CPD record; only its owner gets a document back, so another
 * person, course or VLE guessing the address is told "not found".
 */
export const REVIEW_DOCUMENT = 'cmalt-review';

/** Plain text as the sanitised rich text a Book holds: paragraphs, nothing a renderer would run. */
const paragraphs = (s: string) => s.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');

const area = (id: string, title: string, over: Partial<BookArea>): BookArea => ({
  id, code: '', title, group: 'CMALT review (renewal)', assessed: true, required: true, kind: 'plain', examplesExpected: { min: 0 }, words: {},
  state: 'not_started', stateLabel: '', body: '', examples: [], ...over,
});

/**
 * The evidence the owner linked to the chosen activities, in order of first citation, as the export's Book holds
 * it (so the PDF appends PDFs and draws images, and the website carries the files). Each item is read again and
 * kept only if it is the owner's: an id that points at anyone else's evidence is left out, never exported.
 */
async function evidenceOf(ownerId: string, entries: EntryDoc[]): Promise<BookEvidence[]> {
  const cited = [...new Set(entries.flatMap((e) => e.evidenceIds ?? []))].slice(0, 500);
  const evidence: BookEvidence[] = [];
  for (const id of cited) {
    const item = await findEvidence(id);
    if (!item || item.ownerId !== ownerId) continue;
    evidence.push(bookEvidence(id, item, evidence.length + 1, entries.filter((e) => (e.evidenceIds ?? []).includes(id)).map((e) => ({ areaId: 'cpd', exampleId: String(e._id) }))));
  }
  return evidence;
}

export async function reviewBook(record: RecordDoc, name: string, now: Date): Promise<Book> {
  const certification = certificationFrom(record, await altRecordsOf(record.ownerId));
  const chosen = new Set(record.review?.entryIds ?? []);
  const entries = certification ? (await entriesSince(record.ownerId, certification.on)).filter((e) => chosen.has(String(e._id))) : [];
  const evidence = await evidenceOf(record.ownerId, entries);
  const present = new Set(evidence.map((e) => e.id));
  const sections = record.review?.sections ?? {};
  const written = (id: string) => paragraphs(sections[id] ?? '');
  const certified = certification
    ? `Certified on ${inWords(certification.on)}${certification.fromAlt ? ' (from the ALT result)' : ''}; review due by ${inWords(reviewDueOn(certification.on))}.`
    : '';
  return {
    portfolioId: String(record._id),
    courseId: record.homeCourseId,
    candidate: { userId: record.ownerId, name },
    courseTitle: '',
    frameworkTitle: 'CMALT',
    pathwayTitle: 'Review (renewal)',
    title: `CMALT review of ${name}`,
    madeAt: now.toISOString(),
    evidence,
    areas: [
      area('certification', 'Certification', { assessed: false, body: paragraphs(certified) }),
      ...REVIEW_SECTIONS.map((s) => area(s.id, s.title, { body: written(s.id) })),
      area('cpd', 'CPD activities since certification', {
        kind: 'examples',
        examples: entries.map((e) => ({
          id: String(e._id),
          title: e.title,
          tags: { role: KIND_LABELS[e.kind], project: e.provider ?? '', year: `${inWords(e.startOn)}, ${hoursInWords(e.hours)}${e.accredited ? ', accredited' : ''}` },
          description: paragraphs(e.use ? `How I use it: ${e.use}` : ''),
          reflection: paragraphs(e.reflection ?? ''),
          evidenceIds: (e.evidenceIds ?? []).filter((id) => present.has(id)),
          missingEvidence: (e.evidenceIds ?? []).filter((id) => !present.has(id)).length,
        })),
      }),
    ],
  };
}

export const reviewDocumentSource: DocumentSource = {
  home: '/cpd/review',
  async load(who: Who, id: string, now: Date) {
    if (!Types.ObjectId.isValid(id) || !can(who, 'keep-record')) return null;
    const record = await CpdRecord.findOne({ _id: id, ownerId: who.userId }).lean<RecordDoc>();
    return record ? reviewBook(record, who.name, now) : null;
  },
};
