import type { Who } from '../http/who';
import { evidenceOfPerson } from '../portfolio';
import { Types } from 'mongoose';
import type { Book, BookArea, DocumentSource } from '../export';
import { CpdRecord, type RecordDoc } from './models';
import { can } from './policy';
import { KIND_LABELS, inWords } from './presenter';
import { entriesSince, reviewDueOn } from './review.service';
import { REVIEW_SECTIONS } from './schema';

/**
 * The CMALT review as a document the export capability renders (PDF and website), registered at boot as
 * "cmalt-review". The id is the person's CPD record; only its owner gets a document back, so another
 * person, course or VLE guessing the address is told "not found".
 */
export const REVIEW_DOCUMENT = 'cmalt-review';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Plain text as the sanitised rich text a Book holds: paragraphs, nothing a renderer would run. */
const paragraphs = (s: string) => s.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean).map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`).join('');

const area = (id: string, title: string, over: Partial<BookArea>): BookArea => ({
  id, code: '', title, group: 'CMALT review (renewal)', assessed: true, required: true, kind: 'plain', examplesExpected: { min: 0 }, words: {},
  state: 'not_started', stateLabel: '', body: '', examples: [], ...over,
});

export async function reviewBook(record: RecordDoc, name: string, now: Date): Promise<Book> {
  const chosen = new Set(record.review?.entryIds ?? []);
  const entries = record.certifiedOn ? (await entriesSince(record.ownerId, record.certifiedOn)).filter((e) => chosen.has(String(e._id))) : [];
  const evidence = new Map((await evidenceOfPerson(record.ownerId, 1000)).map((e) => [e.id, e.title]));
  const sections = record.review?.sections ?? {};
  const written = (id: string) => paragraphs(sections[id] ?? '');
  const certified = record.certifiedOn ? `Certified on ${inWords(record.certifiedOn)}; review due by ${inWords(reviewDueOn(record.certifiedOn))}.` : '';
  return {
    portfolioId: String(record._id),
    courseId: record.homeCourseId,
    candidate: { userId: record.ownerId, name },
    courseTitle: '',
    frameworkTitle: 'CMALT',
    pathwayTitle: 'Review (renewal)',
    title: `CMALT review of ${name}`,
    madeAt: now.toISOString(),
    evidence: [],
    areas: [
      area('certification', 'Certification', { assessed: false, body: paragraphs(certified) }),
      ...REVIEW_SECTIONS.map((s) => area(s.id, s.title, { body: written(s.id) })),
      area('cpd', 'CPD activities since certification', {
        kind: 'examples',
        examples: entries.map((e) => ({
          id: String(e._id),
          title: e.title,
          tags: { role: KIND_LABELS[e.kind], project: e.provider ?? '', year: `${inWords(e.startOn)}, ${e.hours} hours${e.accredited ? ', accredited' : ''}` },
          description: paragraphs([e.use ? `How I use it: ${e.use}` : '', (e.evidenceIds ?? []).map((id) => evidence.get(id)).filter(Boolean).map((t) => `Evidence: ${t}`).join('\n')].filter(Boolean).join('\n\n')),
          reflection: paragraphs(e.reflection ?? ''),
          evidenceIds: [],
          missingEvidence: 0,
        })),
      }),
    ],
  };
}

export const reviewDocumentSource: DocumentSource = {
  async load(who: Who, id: string, now: Date) {
    if (!Types.ObjectId.isValid(id) || !can(who, 'keep-record')) return null;
    const record = await CpdRecord.findOne({ _id: id, ownerId: who.userId }).lean<RecordDoc>();
    return record ? reviewBook(record, who.name, now) : null;
  },
};
