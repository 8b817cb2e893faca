import mongoose from 'mongoose';
import { AppError } from '../../../src/http/errors';
import { Evidence } from '../../../src/portfolio/evidence/evidence.model';
import { usageOfOne } from '../../../src/portfolio/evidence/evidence.service';
import { frameworks } from '../../../src/portfolio/framework';
import { Section } from '../../../src/portfolio/models';
import { openOrCreatePortfolio } from '../../../src/portfolio/portfolio.service';
import { contentOf } from '../../../src/portfolio/section.service';
import { areaKeywords, highlightCv } from '../../../src/portfolio/planning/keywords';
import { presentAreaPlan } from '../../../src/portfolio/planning/planning.presenter';
import {
  addNote,
  DRAFT_MESSAGES,
  draftExampleFromNote,
  findNote,
  getPlan,
  planningAreas,
  removeNote,
  saveCv,
  updateNote,
} from '../../../src/portfolio/planning/planning.service';
import { freshDatabaseUri } from '../../support/db';

let seq = 0;
const aCandidate = () => ({ courseId: 'course-p', userId: `planner-${++seq}` });
const withPortfolio = async (owner: { courseId: string; userId: string }) =>
  openOrCreatePortfolio(frameworks(), owner, { pathway: 'cmalt', specialistAreas: ['Digital accessibility'] });
const note = { title: '', did: 'Moved 300 courses from Blackboard to Moodle\nand trained the admins', learned: 'Plan the content audit first', proof: 'The project board’s closing report' };

async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  await mongoose.connect(freshDatabaseUri('planning'));
});
afterAll(async () => {
  await mongoose.disconnect();
});

test('the CV text is kept on the plan and replaced by a later upload', async () => {
  const owner = aCandidate();
  await saveCv(owner, { text: 'First version', source: 'pasted' });
  await saveCv(owner, { text: 'Second version', source: 'docx', filename: 'cv.docx' });
  const plan = await getPlan(owner);
  expect(plan).toMatchObject({ cvText: 'Second version', cvSource: 'docx', cvFilename: 'cv.docx' });
});

test('notes are added, edited and removed per area, for their owner only', async () => {
  const owner = aCandidate();
  const other = aCandidate();
  const id = await addNote(owner, '1a', note);
  await addNote(owner, '2b', { title: 'Induction for part-time tutors', did: '', learned: '', proof: '' });
  await updateNote(owner, id, { ...note, title: 'VLE migration' });
  expect(findNote(await getPlan(owner), id)).toMatchObject({ areaId: '1a', title: 'VLE migration', learned: note.learned });
  expect((await refusal(updateNote(other, id, note))).status).toBe(404);
  await removeNote(other, id);
  expect((await getPlan(owner))!.notes).toHaveLength(2);
  await removeNote(owner, id);
  expect((await getPlan(owner))!.notes.map((n) => n.areaId)).toEqual(['2b']);
});

test('before a pathway is chosen, planning offers the first pathway’s areas (its specialist area unnamed); drafting asks for the pathway first', async () => {
  const owner = aCandidate();
  const { portfolio, areas } = await planningAreas(owner);
  expect(portfolio).toBeNull();
  expect(areas.map((a) => a.id)).toEqual(['1a', '1b', '1c', '2a', '2b', '3a', '3b', '4', 'specialist-1']);
  const id = await addNote(owner, '1a', note);
  const err = await refusal(draftExampleFromNote(owner, id));
  expect(err.status).toBe(409);
  expect(err.message).toBe(DRAFT_MESSAGES.noPortfolio);
});

test('a note becomes a drafted example with its proof as linked note evidence, and remembers it', async () => {
  const owner = aCandidate();
  await withPortfolio(owner);
  const id = await addNote(owner, '1c', note);
  const drafted = await draftExampleFromNote(owner, id);

  const section = await Section.findById(drafted.sectionId).lean();
  expect(section!.areaId).toBe('1c');
  expect(section!.state).toBe('draft');
  const example = contentOf(section as never).examples.find((e) => e._id === drafted.exampleId)!;
  expect(example.title).toBe('Moved 300 courses from Blackboard to Moodle');
  expect(example.description).toContain('Moved 300 courses from Blackboard to Moodle');
  expect(example.description).toContain('trained the admins');
  expect(example.reflection).toContain('Plan the content audit first');
  expect(example.evidenceIds).toEqual([drafted.evidenceId]);

  const proof = await Evidence.findById(drafted.evidenceId).lean();
  expect(proof).toMatchObject({ kind: 'note', text: note.proof, ownerId: owner.userId, courseId: owner.courseId });
  expect((await usageOfOne(owner, drafted.evidenceId!)).map((u) => u.exampleId)).toEqual([drafted.exampleId]);

  expect(findNote(await getPlan(owner), id)).toMatchObject({ draftedExampleId: drafted.exampleId, draftedEvidenceId: drafted.evidenceId });
});

test('drafting the same note twice, even at once, makes one example', async () => {
  const owner = aCandidate();
  await withPortfolio(owner);
  const id = await addNote(owner, '2a', { ...note, title: 'Assessment redesign' });
  const results = await Promise.allSettled([draftExampleFromNote(owner, id), draftExampleFromNote(owner, id)]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect((refused.reason as AppError).status).toBe(409);
  expect((await refusal(draftExampleFromNote(owner, id))).message).toBe(DRAFT_MESSAGES.alreadyDrafted);
  const { sections } = { sections: await Section.find({ areaId: '2a' }).lean() };
  const titles = sections.flatMap((s) => contentOf(s as never).examples.map((e) => e.title)).filter((t) => t === 'Assessment redesign');
  expect(titles).toHaveLength(1);
  expect(await Evidence.countDocuments({ ownerId: owner.userId })).toBe(1);
});

test('a note without a proof drafts an example with no evidence', async () => {
  const owner = aCandidate();
  await withPortfolio(owner);
  const id = await addNote(owner, '4', { title: 'Working with the library', did: 'Joint workshops', learned: '', proof: '' });
  const drafted = await draftExampleFromNote(owner, id);
  expect(drafted.evidenceId).toBeNull();
  expect(await Evidence.countDocuments({ ownerId: owner.userId })).toBe(0);
});

test('CV lines that mention an area’s words are marked', () => {
  const stems = areaKeywords({ title: 'Supporting the deployment of learning technologies' });
  expect(stems).toEqual(['support', 'deploy']);
  const lines = highlightCv('Deployed Moodle 4 across faculties\nLearning technology lead\nSupported 40 staff', stems);
  expect(lines.map((l) => l.mentions)).toEqual([true, false, true]);
  expect(lines[0].parts).toEqual([{ text: 'Deployed', mark: true }, { text: ' Moodle 4 across faculties', mark: false }]);
});

test('a specialist area highlights CV lines by the name the candidate gave it', async () => {
  const owner = aCandidate();
  await withPortfolio(owner);
  await saveCv(owner, { text: 'Audited courses for digital accessibility\nRan the help desk', source: 'pasted' });
  const { areas } = await planningAreas(owner);
  const specialist = areas.find((a) => a.id === 'specialist-1')!;
  const view = presentAreaPlan(await getPlan(owner), specialist, undefined);
  expect(view.area.title).toBe('5 Specialist area: Digital accessibility');
  expect(view.cvLines.map((l) => l.mentions)).toEqual([true, false]);
});
