import { Evidence } from '../../../src/portfolio/evidence/evidence.model';
import { Section } from '../../../src/portfolio/models';
import { contentOf } from '../../../src/portfolio/section.service';
import { CV_MESSAGES } from '../../../src/portfolio/planning/cv-text';
import { Plan } from '../../../src/portfolio/planning/plan.model';
import { PLANNING_MESSAGES } from '../../../src/portfolio/planning/planning.schema';
import type { ToolSession } from '../../support/launch';
import { startTestPlatform, type TestPlatform } from '../../support/platform';
import { startTestTool, type TestTool } from '../../support/tool';
import { candidateWithPortfolio, download, evidenceIdsIn, postFile, sectionIdsIn, textOf } from '../evidence/http';
import { docxOf, pdfOf } from './cv-fixtures';
import { aCoordinator } from '../../support/factories';

let platform: TestPlatform;
let tool: TestTool;
let alice: ToolSession;

const noteIdsIn = (html: string) => [...new Set([...html.matchAll(/id="note-([a-f0-9]{24})"/g)].map((m) => m[1]))];

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  alice = await candidateWithPortfolio(tool, platform, platform.course({ title: 'CMALT 2026' }), 'Alice Planner');
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

test('the journey: CV upload, two areas planned, a note drafted into an example, evidence uploaded, attached and downloaded', async () => {
  const cv = docxOf(['Alice Planner, learning technologist', 'Deployed Moodle 4 across three faculties (2023)', 'Chaired the accessibility working group']);
  const uploaded = await postFile(alice, '/portfolio/planning/cv/upload', {}, { field: 'cv', name: 'Alice CV.docx', bytes: cv });
  expect(uploaded.status).toBe(200);
  expect(textOf(uploaded.html)).toContain('Your CV text is saved.');
  expect(textOf(uploaded.html)).toContain('From a Word document (Alice CV.docx)');

  // Area 1c: the CV line about deploying is highlighted beside the notes.
  const area = await alice.get('/portfolio/planning/areas/1c');
  expect(area.status).toBe(200);
  expect(area.html).toContain('<mark>Deployed</mark>');
  expect(textOf(area.html)).toContain('1 line mentions words from this area’s title; it is highlighted.');
  const none = await alice.get('/portfolio/planning/areas/1a'); // choosing technologies: nothing in this CV
  expect(textOf(none.html)).toContain('No line of your CV mentions words from this area’s title');
  const added = await alice.post('/portfolio/planning/areas/1c/notes', {
    title: 'Moodle 4 roll-out',
    did: 'Planned and ran the upgrade for three faculties',
    learned: 'Pilot with one faculty before the rest',
    proof: 'The project closure report and the training attendance list',
  });
  expect(added.status).toBe(200);
  const [noteId] = noteIdsIn(added.html);
  const second = await alice.post('/portfolio/planning/areas/3a/notes', { title: '', did: 'Wrote the accessibility statement for the VLE', learned: '', proof: '' });
  expect(noteIdsIn(second.html)).toHaveLength(1);
  const overview = textOf((await alice.get('/portfolio/planning')).html);
  expect(overview).toMatch(/1c Supporting the deployment of learning technologies 1 0/);
  expect(overview).toMatch(/3a Understanding and engaging with legislation 1 0/);

  // One action turns the note into a drafted example; the proof becomes linked note evidence.
  const drafted = await alice.post(`/portfolio/planning/areas/1c/notes/${noteId}/draft`);
  expect(drafted.status).toBe(200);
  expect(textOf(drafted.html)).toContain('Your note is now a drafted example.');
  const [sectionId] = sectionIdsIn(drafted.html);
  const section = await Section.findById(sectionId).lean();
  const example = contentOf(section as never).examples.find((e) => e.title === 'Moodle 4 roll-out')!;
  expect(example.description).toContain('Planned and ran the upgrade');
  expect(example.reflection).toContain('Pilot with one faculty');
  expect(example.evidenceIds).toHaveLength(1);
  const proof = await Evidence.findById(example.evidenceIds[0]).lean();
  expect(proof).toMatchObject({ kind: 'note', text: 'The project closure report and the training attendance list' });
  expect(textOf(drafted.html)).toContain('Turned into an example.');
  expect(drafted.html).not.toContain(`/notes/${noteId}/draft`); // the note remembers; no second button

  // Evidence uploaded, attached to the drafted example, then downloaded as an attachment.
  const file = Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.alloc(2000, 0x41)]);
  const item = await postFile(alice, '/portfolio/evidence/files', { title: 'Closure report', date: '2023-07-01', description: '', tags: 'moodle' }, { field: 'file', name: 'closure.pdf', bytes: file });
  expect(item.status).toBe(200);
  const evidenceId = item.location!.match(/evidence\/([a-f0-9]{24})/)![1];
  const attached = await alice.post('/portfolio/evidence/attach', { evidenceId, sectionId, exampleId: example._id, returnTo: `/portfolio/sections/${sectionId}` });
  expect(attached.status).toBe(200);
  const after = contentOf((await Section.findById(sectionId).lean()) as never).examples.find((e) => e._id === example._id)!;
  expect(after.evidenceIds).toContain(evidenceId);
  expect(textOf((await alice.get(`/portfolio/evidence/${evidenceId}`)).html)).toContain('Moodle 4 roll-out');
  const got = await download(alice, `/portfolio/evidence/${evidenceId}/download`);
  expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
  expect(got.body.equals(file)).toBe(true);
  expect(evidenceIdsIn((await alice.get('/portfolio/evidence')).html)).toEqual(expect.arrayContaining([evidenceId, String(proof!._id)]));
});

test('a PDF CV is read; a scanned PDF and an old .doc get clear messages and change nothing', async () => {
  const pdf = await postFile(alice, '/portfolio/planning/cv/upload', {}, { field: 'cv', name: 'cv.pdf', bytes: pdfOf(['Curriculum vitae', 'Digital education adviser']) });
  expect(textOf(pdf.html)).toContain('Your CV text is saved.');
  expect(pdf.status).toBe(200);
  const before = await Plan.findOne().lean();
  expect(before!.cvText).toContain('Digital education adviser');

  const scanned = await postFile(alice, '/portfolio/planning/cv/upload', {}, { field: 'cv', name: 'scan.pdf', bytes: pdfOf([]) });
  expect(scanned.status).toBe(422);
  expect(textOf(scanned.html)).toContain(CV_MESSAGES.noText);
  const old = await postFile(alice, '/portfolio/planning/cv/upload', {}, { field: 'cv', name: 'cv.doc', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) });
  expect(old.status).toBe(415);
  expect(textOf(old.html)).toContain(CV_MESSAGES.wrongType);
  const none = await postFile(alice, '/portfolio/planning/cv/upload', {});
  expect(none.status).toBe(422);
  expect(textOf(none.html)).toContain(CV_MESSAGES.noFile);
  expect((await Plan.findOne().lean())!.cvText).toBe(before!.cvText);
});

test('a CV file over 5 MB is refused with 413 and the kept text is unchanged', async () => {
  const before = (await Plan.findOne().lean())!.cvText;
  const big = await postFile(alice, '/portfolio/planning/cv/upload', {}, { field: 'cv', name: 'cv.txt', bytes: Buffer.alloc(5 * 1024 * 1024 + 1, 0x61) });
  expect(big.status).toBe(413);
  expect(textOf(big.html)).toContain(CV_MESSAGES.tooLarge);
  expect((await Plan.findOne().lean())!.cvText).toBe(before);
});

test('pasted CV text is kept; an empty paste gets 422', async () => {
  const empty = await alice.post('/portfolio/planning/cv', { cvText: '   ' });
  expect(empty.status).toBe(422);
  expect(textOf(empty.html)).toContain(PLANNING_MESSAGES.cvEmpty);
  const ok = await alice.post('/portfolio/planning/cv', { cvText: 'Line one\r\nLine two' });
  expect(ok.status).toBe(200);
  expect((await Plan.findOne().lean())!.cvText).toBe('Line one\nLine two');
});

test('an empty note gets 422 with a message; an unknown area is not found', async () => {
  const before = (await Plan.findOne().lean())!.notes.length;
  const empty = await alice.post('/portfolio/planning/areas/2b/notes', { title: '', did: '', learned: '', proof: '' });
  expect(empty.status).toBe(422);
  expect(textOf(empty.html)).toContain(PLANNING_MESSAGES.noteEmpty);
  expect((await alice.get('/portfolio/planning/areas/declaration')).status).toBe(404);
  expect((await alice.post('/portfolio/planning/areas/nope/notes', { did: 'x' })).status).toBe(404);
  expect((await Plan.findOne().lean())!.notes.length).toBe(before);
});

test('another candidate cannot see, change or draft someone else’s notes', async () => {
  const plan = (await Plan.findOne().lean())!;
  const note = plan.notes.find((n) => n.areaId === '3a')!;
  const bob = await candidateWithPortfolio(tool, platform, platform.course({ title: 'CMALT 2026' }), 'Bob Planner');
  const page = await bob.get('/portfolio/planning/areas/3a');
  expect(page.html).not.toContain(String(note._id));
  expect(page.html).not.toContain('Wrote the accessibility statement');
  expect((await bob.post(`/portfolio/planning/areas/3a/notes/${note._id}`, { title: 'Bob was here', did: 'x', learned: '', proof: '' })).status).toBe(404);
  expect((await bob.post(`/portfolio/planning/areas/3a/notes/${note._id}/draft`)).status).toBe(404);
  await bob.post(`/portfolio/planning/areas/3a/notes/${note._id}/remove`);
  expect(JSON.stringify((await Plan.findById(plan._id).lean())!.notes)).toBe(JSON.stringify(plan.notes));
});

test('a mentor has no planning page', async () => {
  const { session: mentor } = await aCoordinator({ tool, platform }, { course: platform.course({ title: 'Other' }), name: 'Mo Mentor' });
  expect((await mentor.get('/portfolio/planning')).status).toBe(403);
});

test('autosave: a note saved as JSON answers "saved"; an emptied note gets 422 JSON and is kept as it was', async () => {
  const page = await alice.post('/portfolio/planning/areas/4/notes', { title: 'Library partnership', did: 'Joint workshops', learned: '', proof: '' });
  const [noteId] = noteIdsIn(page.html);
  const saved = await alice.postJson(`/portfolio/planning/areas/4/notes/${noteId}`, { title: 'Library partnership', did: 'Joint workshops with the library', learned: 'Share the planning early', proof: '' });
  expect(saved.status).toBe(200);
  expect(saved.json()).toMatchObject({ saved: true });
  const refused = await alice.postJson(`/portfolio/planning/areas/4/notes/${noteId}`, { title: '', did: '', learned: '', proof: '' });
  expect(refused.status).toBe(422);
  expect(refused.json()).toMatchObject({ error: { message: PLANNING_MESSAGES.noteEmpty } });
  const note = (await Plan.findOne().lean())!.notes.find((n) => String(n._id) === noteId)!;
  expect(note).toMatchObject({ did: 'Joint workshops with the library', learned: 'Share the planning early' });
});
