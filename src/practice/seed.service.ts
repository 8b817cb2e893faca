import { Readable } from 'node:stream';
import mongoose, { Types } from 'mongoose';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { launchFacts, recordLaunch, type AfterLaunch, type RecordedLaunch } from '../lti';
import { addComment, decide, loadSectionById } from '../mentoring';
import {
  addExample,
  addFileEvidence,
  addLinkEvidence,
  frameworks,
  loadPortfolio,
  openOrCreatePortfolio,
  receiveFile,
  requestReview,
  saveBody,
  type SectionTarget,
} from '../portfolio';
import { Course } from '../people/course.model';
import { buildClaims } from './platform/launches';
import { SAMPLE_PEOPLE, type SamplePerson } from './sample';
import { SAMPLE_PORTFOLIOS, type SampleEvidence, type SamplePortfolio, type SampleSection } from './sample-portfolios';
import type { PracticeVle } from './vle';

/** Sample people get no emails (their addresses are .invalid): notifications are kept in the tool only. */
const NO_EMAIL = { emailEnabled: false };
/** The sample evidence file is a few kilobytes; these only satisfy the upload's checks. */
const SAMPLE_FILE_LIMITS = { fileBytes: 1024 * 1024, quotaBytes: 50 * 1024 * 1024 };
const WRITER = 'practice-sample';

/**
 * The sample course set up in the tool as if its people had launched it once each (the same claims a launch from
 * the practice VLE carries, recorded by the same code, with the same after-launch steps), then the sample
 * portfolios written through the portfolio's and mentoring's own services. Safe to run again: a person whose
 * portfolio exists is left alone (it is sample data, or the evaluator's own writing), and so is a section already
 * written. Answers the tool's id for the course.
 */
export async function seedPracticeCourse(vle: PracticeVle, afterLaunch: AfterLaunch[]): Promise<string> {
  const recorded = new Map<string, RecordedLaunch>();
  for (const person of SAMPLE_PEOPLE.filter((p) => p.kind !== 'installer')) recorded.set(person.id, await recordAsLaunched(vle, person, afterLaunch));
  const courseId = recorded.values().next().value!.courseId;
  const mentor = SAMPLE_PEOPLE.find((p) => p.mentors)!;
  const mentorIds = { ...recorded.get(mentor.id)!, sub: mentor.id, name: mentor.name };
  for (const sample of SAMPLE_PORTFOLIOS) await seedPortfolio(sample, recorded.get(sample.personId)!, mentorIds);
  return courseId;
}

async function recordAsLaunched(vle: PracticeVle, person: SamplePerson, afterLaunch: AfterLaunch[]): Promise<RecordedLaunch> {
  const launch = vle.launchAs(person);
  vle.ctx.launches.delete(launch.hint); // never opened: only its claims are wanted
  const facts = launchFacts(buildClaims(vle.ctx, vle.ags, launch, 'practice-sample') as Parameters<typeof launchFacts>[0], vle.state.clientId);
  const recorded = await recordLaunch(facts);
  for (const hook of afterLaunch) await hook(facts, recorded);
  return recorded;
}

interface MentorIds extends RecordedLaunch {
  sub: string;
  name: string;
}

async function seedPortfolio(sample: SamplePortfolio, candidate: RecordedLaunch, mentor: MentorIds): Promise<void> {
  const registry = frameworks();
  const who = { userId: candidate.userId, courseId: candidate.courseId };
  const portfolio = await openOrCreatePortfolio(registry, who, { pathway: sample.pathway, names: { specialist: sample.specialist } });
  const { sections } = await loadPortfolio(registry, portfolio);
  for (const section of sample.sections) {
    const stored = sections.find((s) => s.areaId === section.areaId);
    if (!stored || stored.version > 0) continue; // already written: by an earlier seed, or by the evaluator
    await seedSection(section, { portfolioId: portfolio._id, sectionId: String(stored._id), byUser: candidate.userId, writer: WRITER }, who, mentor);
  }
}

async function seedSection(sample: SampleSection, target: SectionTarget, owner: { userId: string; courseId: string }, mentor: MentorIds): Promise<void> {
  let saved = await saveBody(target, { baseVersion: 0, body: sample.body });
  if (!saved.ok) return; // written meanwhile (a second start at the same moment): theirs stands
  for (const example of sample.examples ?? []) {
    const evidenceIds: string[] = [];
    for (const item of example.evidence) evidenceIds.push(String((await addEvidence(owner, item))._id));
    saved = await addExample(target, { baseVersion: saved.section.version, example: { title: example.title, tags: example.tags, description: example.description, reflection: example.reflection, evidenceIds }, format: 'text' });
    if (!saved.ok) return;
  }
  const asMentor = { userId: mentor.userId, courseId: mentor.courseId, sub: mentor.sub, roles: mentor.roles, name: mentor.name };
  const asCandidate = { userId: owner.userId, courseId: owner.courseId, sub: '', roles: ['candidate'], name: '' };
  for (const comment of sample.comments ?? []) {
    const loaded = (await loadSectionById(target.sectionId))!;
    const thread = await addComment(asMentor, loaded, { body: comment.mentor }, NO_EMAIL);
    if (thread.ok && comment.reply) await addComment({ ...asCandidate, sub: loaded.candidate.sub, name: loaded.candidate.name }, loaded, { body: comment.reply, parentId: String(thread.comment._id) }, NO_EMAIL);
  }
  if (sample.state === 'draft') return;
  const asked = await requestReview(target, saved.section.version);
  if (!asked.ok || sample.state === 'ready_for_review') return;
  const loaded = (await loadSectionById(target.sectionId))!;
  await decide(asMentor, loaded, { decision: sample.state, feedback: sample.feedback ?? '', expectedVersion: loaded.section.version }, NO_EMAIL);
}

async function addEvidence(owner: { userId: string; courseId: string }, item: SampleEvidence) {
  const details = { title: item.title, description: item.description, tags: item.tags, date: item.date };
  if (item.kind === 'link') return addLinkEvidence(owner, { ...details, url: item.url! });
  const pdf = await onePagePdf(item.lines ?? [item.title]);
  const stored = await receiveFile(owner, { originalName: item.filename ?? 'sample.pdf', stream: Readable.from([pdf]) }, SAMPLE_FILE_LIMITS);
  return addFileEvidence(owner, details, stored, SAMPLE_FILE_LIMITS.quotaBytes);
}

/** A small real PDF made at seed time (nothing binary is kept in the repository). */
async function onePagePdf(lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(lines[0]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595, 842]); // A4
  lines.forEach((line, i) => page.drawText(line, { x: 56, y: 780 - i * (i === 0 ? 0 : 22) - (i === 0 ? 0 : 20), size: i === 0 ? 16 : 11, font: i === 0 ? bold : font }));
  return Buffer.from(await doc.save());
}

/**
 * Everything the tool holds for one practice course, gone: found by the course's id wherever a record names it
 * (courseId or course), and what hangs off its portfolios and sections (portfolio, section), including stored
 * evidence files. Generic on purpose: a capability that adds a collection keyed by course is covered without a
 * change here. Only ever called for a practice course (the practice VLE's issuer), never for a real VLE's.
 */
export async function eraseCourse(courseId: string): Promise<void> {
  const db = mongoose.connection.db;
  if (!db || !Types.ObjectId.isValid(courseId)) return;
  const oid = new Types.ObjectId(courseId);
  const either = (ids: Types.ObjectId[]) => ({ $in: [...ids, ...ids.map(String)] });
  const portfolios = await db.collection('portfolios').find({ courseId: { $in: [courseId, oid] } }, { projection: { _id: 1 } }).toArray();
  const portfolioIds = portfolios.map((d) => d._id as Types.ObjectId);
  const sections = portfolioIds.length ? await db.collection('sections').find({ portfolio: { $in: portfolioIds } }, { projection: { _id: 1 } }).toArray() : [];
  const sectionIds = sections.map((d) => d._id as Types.ObjectId);
  const owned = [
    { courseId: either([oid]) },
    { course: either([oid]) },
    ...(portfolioIds.length ? [{ portfolio: either(portfolioIds) }, { portfolioId: either(portfolioIds) }] : []),
    ...(sectionIds.length ? [{ section: either(sectionIds) }, { sectionId: either(sectionIds) }] : []),
  ];
  for (const info of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const name = info.name;
    if (name.startsWith('system.') || name.endsWith('.chunks')) continue;
    const collection = db.collection(name);
    if (name.endsWith('.files')) {
      // stored files (evidence, exports): their chunks go with them
      const files = await collection.find({ 'metadata.courseId': either([oid]) }, { projection: { _id: 1 } }).toArray();
      if (!files.length) continue;
      const ids = files.map((f) => f._id);
      await db.collection(`${name.slice(0, -'.files'.length)}.chunks`).deleteMany({ files_id: { $in: ids } });
      await collection.deleteMany({ _id: { $in: ids } });
      continue;
    }
    await collection.deleteMany({ $or: owned });
  }
  await Course.deleteOne({ _id: oid });
}

/** The tool's id for a practice course, if it was ever launched or seeded. */
export async function toolCourseIdOf(issuer: string, deploymentId: string, contextId: string): Promise<string | undefined> {
  const course = await Course.findOne({ issuer, deploymentId, contextId }, { _id: 1 }).lean();
  return course ? String(course._id) : undefined;
}
