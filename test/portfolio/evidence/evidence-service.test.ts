import mongoose from 'mongoose';
import { Readable } from 'node:stream';
import { AppError } from '../../../src/http/errors';
import { frameworks } from '../../../src/portfolio/framework';
import { Evidence } from '../../../src/portfolio/evidence/evidence.model';
import {
  addFileEvidence,
  addLinkEvidence,
  addNoteEvidence,
  attachEvidence,
  deleteEvidence,
  detachEvidence,
  FILE_MESSAGES,
  listEvidence,
  openEvidenceFile,
  receiveFile,
  storageUse,
  usageOfOne,
  updateEvidence,
} from '../../../src/portfolio/evidence/evidence.service';
import { countStoredFiles } from '../../../src/portfolio/evidence/file-store';
import { Section } from '../../../src/portfolio/models';
import { openOrCreatePortfolio, findPortfolio, loadPortfolio } from '../../../src/portfolio/portfolio.service';
import { addExample, contentOf } from '../../../src/portfolio/section.service';
import { freshDatabaseUri } from '../../support/db';

const details = { title: 'Quiz redesign report', date: '2024-06-01', description: 'The report to the faculty', tags: ['moodle'] };
const pdfBytes = (size = 2048) => Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.alloc(size, 0x20)]);
let seq = 0;
const aCandidate = () => ({ courseId: 'course-a', userId: `cand-${++seq}` });

async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const MiB = 1024 * 1024;

/** An upload as the form parser hands it over: the bytes arrive in 64 KB pieces, never as one buffer. */
async function upload(owner: { courseId: string; userId: string }, originalName: string, bytes: Buffer, fileBytes = 20 * MiB, quotaBytes = 200 * MiB) {
  const pieces = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
  const stored = await receiveFile(owner, { originalName, stream: Readable.from(pieces) }, { fileBytes, quotaBytes });
  return addFileEvidence(owner, details, stored, quotaBytes);
}

async function download(item: Parameters<typeof openEvidenceFile>[0]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of openEvidenceFile(item)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** A portfolio with one example in area 1a, as the section service makes it. */
async function withExample(owner: { courseId: string; userId: string }, title = 'VLE migration') {
  const portfolio = await openOrCreatePortfolio(frameworks(), owner, { pathway: 'cmalt', specialistAreas: ['Accessibility'] });
  const { sections } = await loadPortfolio(frameworks(), portfolio);
  const section = sections.find((s) => s.areaId === '1a')!;
  const result = await addExample(
    { portfolioId: portfolio._id, sectionId: String(section._id), byUser: owner.userId },
    { baseVersion: section.version, example: { title, tags: { role: '', project: '', year: '' }, description: 'd', reflection: 'r' }, format: 'text' },
  );
  if (!result.ok) throw new Error('could not add the example');
  const example = contentOf(result.section).examples.at(-1)!;
  return { sectionId: String(section._id), exampleId: example._id };
}

async function evidenceIdsOf(sectionId: string, exampleId: string): Promise<string[]> {
  const section = await Section.findById(sectionId).lean();
  return contentOf(section as never).examples.find((e) => e._id === exampleId)!.evidenceIds;
}

beforeAll(async () => {
  await mongoose.connect(freshDatabaseUri('evidence'));
});
afterAll(async () => {
  await mongoose.disconnect();
});

test('a PDF goes into GridFS and comes back byte for byte, with its type kept', async () => {
  const owner = aCandidate();
  const bytes = pdfBytes(300 * 1024);
  const item = await upload(owner, 'C:\\Users\\jo\\Quiz report.pdf', bytes, 20 * 1024 * 1024);
  expect(item.file).toMatchObject({ filename: 'Quiz report.pdf', contentType: 'application/pdf', size: bytes.length });
  expect((await download(item)).equals(bytes)).toBe(true);
});

test('a file over the size limit is refused with 413 and nothing is stored', async () => {
  const owner = aCandidate();
  const err = await refusal(upload(owner, 'big.pdf', pdfBytes(5000), 4096));
  expect(err.status).toBe(413);
  expect(err.message).toBe(FILE_MESSAGES.tooLarge(4096));
  expect(await countStoredFiles({ courseId: owner.courseId, ownerId: owner.userId })).toBe(0);
  expect(await Evidence.countDocuments({ ownerId: owner.userId })).toBe(0);
});

test('a file of the wrong type is refused with 415 and nothing is stored', async () => {
  const owner = aCandidate();
  const html = await refusal(upload(owner, 'page.html', Buffer.from('<script>x</script>'), 1e6));
  expect(html.status).toBe(415);
  expect(html.message).toBe(FILE_MESSAGES.wrongExtension);
  const renamed = await refusal(upload(owner, 'tool.pdf', Buffer.from('MZ\x90\x00program', 'latin1'), 1e6));
  expect(renamed.status).toBe(415);
  expect(renamed.message).toBe(FILE_MESSAGES.wrongContent);
  expect(await countStoredFiles({ courseId: owner.courseId, ownerId: owner.userId })).toBe(0);
  expect(await Evidence.countDocuments({ ownerId: owner.userId })).toBe(0);
});

test('the storage quota is per person: a file that would not fit, or any file once full, is refused with 413 and nothing is stored', async () => {
  const owner = aCandidate();
  const quota = 100 * 1024;
  await upload(owner, 'first.pdf', pdfBytes(60 * 1024), MiB, quota);
  const tooMuch = await refusal(upload(owner, 'second.pdf', pdfBytes(60 * 1024), MiB, quota));
  expect(tooMuch).toMatchObject({ status: 413, id: 'storage_full' });
  expect(tooMuch.message).toBe(FILE_MESSAGES.notEnoughRoom(60 * 1024 + 9, quota));
  expect(await countStoredFiles({ courseId: owner.courseId, ownerId: owner.userId })).toBe(1);
  // Another course of the same person shares the same room.
  const elsewhere = { courseId: 'course-b', userId: owner.userId };
  await upload(elsewhere, 'rest.pdf', pdfBytes(100 * 1024 - (60 * 1024 + 9) - 9), MiB, quota);
  expect(await storageUse(owner, quota)).toEqual({ usedBytes: quota, quotaBytes: quota, full: true });
  const full = await refusal(upload(owner, 'tiny.txt', Buffer.from('a few words'), MiB, quota));
  expect(full).toMatchObject({ status: 413, id: 'storage_full' });
  expect(full.message).toBe(FILE_MESSAGES.storageFull(quota, quota));
  expect(await Evidence.countDocuments({ ownerId: owner.userId })).toBe(2);
  expect(await countStoredFiles({ courseId: owner.courseId, ownerId: owner.userId })).toBe(1);
});

test('an empty file is refused before anything is stored', async () => {
  const owner = aCandidate();
  const empty = await refusal(upload(owner, 'empty.pdf', Buffer.alloc(0)));
  expect(empty).toMatchObject({ status: 422, message: FILE_MESSAGES.empty });
  expect(await countStoredFiles({ courseId: owner.courseId, ownerId: owner.userId })).toBe(0);
});

test('the list shows only the candidate’s own items, filtered by kind, tag and title', async () => {
  const owner = aCandidate();
  const other = aCandidate();
  await addLinkEvidence(owner, { ...details, title: 'Blog post on quizzes', tags: ['Moodle', 'blog'], url: 'https://example.org/post' });
  await addNoteEvidence(owner, { ...details, title: 'Feedback from the dean', tags: ['feedback'], text: 'Thanks for the quiz work' });
  await addNoteEvidence(other, { ...details, title: 'Someone else’s note', text: 'private' });
  expect((await listEvidence(owner)).map((i) => i.title).sort()).toEqual(['Blog post on quizzes', 'Feedback from the dean']);
  expect((await listEvidence(owner, { kind: 'note' })).map((i) => i.title)).toEqual(['Feedback from the dean']);
  expect((await listEvidence(owner, { tag: 'moodle' })).map((i) => i.title)).toEqual(['Blog post on quizzes']);
  expect((await listEvidence(owner, { q: 'DEAN' })).map((i) => i.title)).toEqual(['Feedback from the dean']);
  expect((await listEvidence(owner, { q: '.*' })).length).toBe(0); // a search is text, not a pattern
});

test('editing changes the details and the link address, never the kind', async () => {
  const owner = aCandidate();
  const link = await addLinkEvidence(owner, { ...details, url: 'https://example.org/a' });
  const updated = await updateEvidence(link, { title: 'Renamed', date: '', description: '', tags: [], url: 'https://example.org/b' });
  expect(updated).toMatchObject({ kind: 'link', title: 'Renamed', url: 'https://example.org/b', tags: [] });
  expect(updated.date).toBeUndefined();
});

test('"used in" lists every example that links the item, and attaching twice links once', async () => {
  const owner = aCandidate();
  const note = await addNoteEvidence(owner, { ...details, text: 'Minutes of the steering group' });
  const first = await withExample(owner, 'VLE migration');
  const second = await withExample(owner, 'Lecture capture roll-out');
  await attachEvidence(owner, note, first);
  await attachEvidence(owner, note, first);
  await attachEvidence(owner, note, second);
  const usedIn = await usageOfOne(owner, String(note._id));
  expect(usedIn.map((u) => u.exampleTitle).sort()).toEqual(['Lecture capture roll-out', 'VLE migration']);
  expect(usedIn[0].areaTitle).toBe('1a An understanding of the constraints and benefits of different technologies');
  expect(await evidenceIdsOf(first.sectionId, first.exampleId)).toEqual([String(note._id)]);
  await detachEvidence(owner, note, second);
  expect((await usageOfOne(owner, String(note._id))).map((u) => u.exampleTitle)).toEqual(['VLE migration']);
});

test('attaching raises the section version, so an editor holding the old version gets a conflict', async () => {
  const owner = aCandidate();
  const note = await addNoteEvidence(owner, { ...details, text: 'x' });
  const target = await withExample(owner);
  const before = (await Section.findById(target.sectionId).lean())!.version;
  await attachEvidence(owner, note, target);
  expect((await Section.findById(target.sectionId).lean())!.version).toBe(before + 1);
});

test('deleting evidence that is in use asks first and changes nothing until confirmed', async () => {
  const owner = aCandidate();
  const item = await upload(owner, 'report.pdf', pdfBytes(), 1e6);
  const target = await withExample(owner);
  await attachEvidence(owner, item, target);

  const asked = await deleteEvidence(owner, item);
  expect(asked.outcome).toBe('needs-confirmation');
  if (asked.outcome === 'needs-confirmation') expect(asked.usedIn.map((u) => u.exampleId)).toEqual([target.exampleId]);
  const stale = await deleteEvidence(owner, item, { confirmed: true, usedInSeen: '' }); // confirmed a page that showed no uses
  expect(stale.outcome).toBe('needs-confirmation');
  expect(await Evidence.countDocuments({ _id: item._id })).toBe(1);
  expect(await evidenceIdsOf(target.sectionId, target.exampleId)).toEqual([String(item._id)]);

  const done = await deleteEvidence(owner, item, { confirmed: true, usedInSeen: `1a/${target.exampleId}` });
  expect(done.outcome).toBe('deleted');
  expect(await Evidence.countDocuments({ _id: item._id })).toBe(0);
  expect(await evidenceIdsOf(target.sectionId, target.exampleId)).toEqual([]);
  expect(await countStoredFiles({ courseId: owner.courseId, ownerId: owner.userId })).toBe(0);
});

test('evidence not used anywhere is deleted on confirmation, with its file', async () => {
  const owner = aCandidate();
  const item = await upload(owner, 'a.txt', Buffer.from('plain words'), 1e6);
  expect(await findPortfolio(owner)).toBeNull();
  expect((await deleteEvidence(owner, item, { confirmed: true, usedInSeen: '' })).outcome).toBe('deleted');
  expect(await countStoredFiles({ courseId: owner.courseId, ownerId: owner.userId })).toBe(0);
});
