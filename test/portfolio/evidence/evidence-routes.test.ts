import { Evidence } from '../../../src/portfolio/evidence/evidence.model';
import { FILE_MESSAGES } from '../../../src/portfolio/evidence/evidence.service';
import { MESSAGES } from '../../../src/portfolio/evidence/evidence.schema';
import { countStoredFiles } from '../../../src/portfolio/evidence/file-store';
import { Portfolio, Section } from '../../../src/portfolio/models';
import { addExample, contentOf } from '../../../src/portfolio/section.service';
import type { ToolSession } from '../../support/launch';
import { startTestPlatform, type TestPlatform } from '../../support/platform';
import { startTestTool, type TestTool } from '../../support/tool';
import { candidateWithPortfolio, download, evidenceIdsIn, postFile, textOf } from './http';
import { aCoordinator } from '../../support/factories';

let platform: TestPlatform;
let tool: TestTool;
let alice: ToolSession;
let bob: ToolSession;
let course: ReturnType<TestPlatform['course']>;
const LIMIT = 0.01 * 1024 * 1024; // UPLOAD_LIMIT_MB=0.01 below: about 10 KB, so the limit is cheap to cross
const pdf = (size = 1024) => Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.alloc(size, 0x20)]);
const details = { title: 'Faculty report', date: '2024-05-01', description: 'Findings of the pilot', tags: 'moodle, pilot' };

const whoAmI = async (session: ToolSession) => {
  const html = (await session.get('/portfolio/evidence')).html;
  return html;
};

async function anExample(session: ToolSession, title: string) {
  const portfolio = (await Portfolio.find().lean()).find((p) => p.userId === userIdOf(session))!;
  const section = (await Section.findOne({ portfolio: portfolio._id, areaId: '1b' }).lean())!;
  const result = await addExample(
    { portfolioId: portfolio._id, sectionId: String(section._id), byUser: portfolio.userId },
    { baseVersion: section.version, example: { title, tags: { role: '', project: '', year: '' }, description: 'd', reflection: 'r' }, format: 'text' },
  );
  if (!result.ok) throw new Error('example not added');
  return { sectionId: String(section._id), exampleId: contentOf(result.section).examples.at(-1)!._id };
}

const userIds = new Map<ToolSession, string>();
const userIdOf = (s: ToolSession) => userIds.get(s)!;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform, env: { UPLOAD_LIMIT_MB: '0.01' } });
  course = platform.course({ title: 'CMALT cohort 2026' });
  alice = await candidateWithPortfolio(tool, platform, course, 'Alice Candidate');
  userIds.set(alice, (await Portfolio.findOne().sort({ createdAt: -1 }).lean())!.userId);
  bob = await candidateWithPortfolio(tool, platform, course, 'Bob Candidate');
  userIds.set(bob, (await Portfolio.findOne().sort({ createdAt: -1 }).lean())!.userId);
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

test('a candidate uploads a PDF through the form and sees it in their library', async () => {
  const page = await postFile(alice, '/portfolio/evidence/files', details, { field: 'file', name: 'report.pdf', bytes: pdf(), type: 'application/pdf' });
  expect(page.status).toBe(200);
  expect(textOf(page.html)).toContain('Evidence added to your library.');
  expect(textOf(page.html)).toContain('report.pdf (PDF, 1 KB)');
  const list = await alice.get('/portfolio/evidence');
  expect(textOf(list.html)).toContain('Faculty report');
  expect(textOf(list.html)).toContain('Not used in any example yet');
});

test('a file over the limit gets a 413 page with a message, and nothing is stored', async () => {
  const before = await Evidence.countDocuments();
  const page = await postFile(alice, '/portfolio/evidence/files', details, { field: 'file', name: 'big.pdf', bytes: pdf(LIMIT + 10) });
  expect(page.status).toBe(413);
  expect(textOf(page.html)).toContain(FILE_MESSAGES.tooLarge(LIMIT));
  expect(page.html).toContain('value="Faculty report"'); // what they typed is kept
  expect(await Evidence.countDocuments()).toBe(before);
  expect(await countStoredFiles({ courseId: (await Portfolio.findOne({ userId: userIdOf(alice) }).lean())!.courseId, ownerId: userIdOf(alice) })).toBe(1);
});

test('a file of the wrong type gets a 415 page with a message, and nothing is stored', async () => {
  const before = await Evidence.countDocuments();
  const html = await postFile(alice, '/portfolio/evidence/files', details, { field: 'file', name: 'page.html', bytes: Buffer.from('<script>alert(1)</script>') });
  expect(html.status).toBe(415);
  expect(textOf(html.html)).toContain(FILE_MESSAGES.wrongExtension);
  const renamed = await postFile(alice, '/portfolio/evidence/files', details, { field: 'file', name: 'report.pdf', bytes: Buffer.from('MZ this is a program') });
  expect(renamed.status).toBe(415);
  expect(textOf(renamed.html)).toContain(FILE_MESSAGES.wrongContent);
  expect(await Evidence.countDocuments()).toBe(before);
});

test('a link must be http or https: a javascript: address gets 422 and a message', async () => {
  const before = await Evidence.countDocuments();
  const page = await alice.post('/portfolio/evidence/links', { ...details, url: 'javascript:alert(1)' });
  expect(page.status).toBe(422);
  expect(textOf(page.html)).toContain(MESSAGES.urlInvalid);
  expect(page.html).toContain('aria-invalid="true"');
  expect(await Evidence.countDocuments()).toBe(before);
  const ok = await alice.post('/portfolio/evidence/links', { ...details, title: 'Blog post', url: 'https://blog.example.org/quizzes' });
  expect(ok.status).toBe(200);
  expect(ok.html).toContain('href="https://blog.example.org/quizzes"');
});

test('a note without text gets 422 and nothing is stored', async () => {
  const before = await Evidence.countDocuments();
  const page = await alice.post('/portfolio/evidence/notes', { ...details, text: '  ' });
  expect(page.status).toBe(422);
  expect(textOf(page.html)).toContain(MESSAGES.textMissing);
  expect(await Evidence.countDocuments()).toBe(before);
});

test('a download is an attachment with the stored type and nosniff, byte for byte', async () => {
  const bytes = pdf(3000);
  const page = await postFile(alice, '/portfolio/evidence/files', { ...details, title: 'Download me' }, { field: 'file', name: 'Évaluation "final".pdf', bytes, type: 'text/html' });
  const id = evidenceIdsIn(page.location ?? '')[0] ?? page.location!.match(/evidence\/([a-f0-9]{24})/)![1];
  const file = await download(alice, `/portfolio/evidence/${id}/download`);
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe('application/pdf'); // never what the browser claimed
  expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
  expect(file.headers.get('content-disposition')).toContain("filename*=UTF-8''%C3%89valuation%20final.pdf");
  expect(file.headers.get('x-content-type-options')).toBe('nosniff');
  expect(file.body.equals(bytes)).toBe(true);
});

test('another candidate cannot list, read, download, edit, attach or delete it by guessing the address', async () => {
  const list = await alice.get('/portfolio/evidence');
  const ids = evidenceIdsIn(list.html);
  expect(ids.length).toBeGreaterThan(0);
  const before = JSON.stringify(await Evidence.find().sort({ _id: 1 }).lean());
  const bobList = await whoAmI(bob);
  for (const id of ids) expect(bobList).not.toContain(id);
  const bobExample = await anExample(bob, 'Bob’s example');
  for (const id of ids) {
    expect((await bob.get(`/portfolio/evidence/${id}`)).status).toBe(404);
    expect((await download(bob, `/portfolio/evidence/${id}/download`)).status).toBe(404);
    expect((await bob.get(`/portfolio/evidence/${id}/edit`)).status).toBe(404);
    expect((await bob.post(`/portfolio/evidence/${id}`, { title: 'Mine now', date: '', description: '', tags: '' })).status).toBe(404);
    expect((await bob.get(`/portfolio/evidence/${id}/delete`)).status).toBe(404);
    expect((await bob.post(`/portfolio/evidence/${id}/delete`, { confirmed: 'yes', usedInSeen: '' })).status).toBe(404);
    expect((await bob.post('/portfolio/evidence/attach', { evidenceId: id, ...bobExample })).status).toBe(404);
  }
  expect(JSON.stringify(await Evidence.find().sort({ _id: 1 }).lean())).toBe(before);
  const section = await Section.findById(bobExample.sectionId).lean();
  expect(contentOf(section as never).examples.at(-1)!.evidenceIds).toEqual([]);
});

test('a mentor has no evidence library of their own', async () => {
  const { session: mentor } = await aCoordinator({ tool, platform }, { course: platform.course({ title: 'Another' }), name: 'Mo Mentor' });
  const page = await mentor.get('/portfolio/evidence');
  expect(page.status).toBe(403);
});

test('attaching from the picker shows "used in"; deleting asks first, then unlinks and deletes', async () => {
  const page = await alice.post('/portfolio/evidence/notes', { ...details, title: 'Minutes of the steering group', text: 'Agreed the roll-out' });
  const id = page.url.match(/evidence\/([a-f0-9]{24})/)?.[1] ?? evidenceIdsIn(page.html)[0];
  const target = await anExample(alice, 'Lecture capture roll-out');
  const back = await alice.post('/portfolio/evidence/attach', { evidenceId: id, ...target, returnTo: `/portfolio/sections/${target.sectionId}` });
  expect(back.status).toBe(200);
  expect(back.url).toContain(`/portfolio/sections/${target.sectionId}`);

  const item = await alice.get(`/portfolio/evidence/${id}`);
  expect(textOf(item.html)).toContain('Lecture capture roll-out');
  const confirm = await alice.get(`/portfolio/evidence/${id}/delete`);
  expect(textOf(confirm.html)).toContain('This evidence is in use');
  expect(textOf(confirm.html)).toContain('Lecture capture roll-out');

  const unconfirmed = await alice.post(`/portfolio/evidence/${id}/delete`, {});
  expect(unconfirmed.status).toBe(409);
  expect(await Evidence.countDocuments({ _id: id })).toBe(1);

  const seen = confirm.html.match(/name="usedInSeen" value="([^"]*)"/)![1];
  const done = await alice.post(`/portfolio/evidence/${id}/delete`, { confirmed: 'yes', usedInSeen: seen.replace(/&#x2F;|&#47;/g, '/') });
  expect(done.status).toBe(200);
  expect(textOf(done.html)).toContain('The evidence was deleted.');
  expect(await Evidence.countDocuments({ _id: id })).toBe(0);
  const section = await Section.findById(target.sectionId).lean();
  expect(contentOf(section as never).examples.find((e) => e._id === target.exampleId)!.evidenceIds).toEqual([]);
});

test('a return address outside the portfolio is not followed', async () => {
  const page = await alice.post('/portfolio/evidence/notes', { ...details, title: 'Redirect check', text: 'x' });
  const id = page.url.match(/evidence\/([a-f0-9]{24})/)![1];
  const target = await anExample(alice, 'Another example');
  const answer = await alice.post('/portfolio/evidence/attach', { evidenceId: id, ...target, returnTo: '//evil.example/steal' }, { follow: false });
  expect(answer.status).toBe(303);
  expect(new URL(answer.location!).host).toBe(new URL(tool.baseUrl).host);
  expect(answer.location).toContain(`/portfolio/sections/${target.sectionId}`);
});

test('a coordinator whom the mentoring policy lets read can view and download, never edit or delete', async () => {
  const page = await postFile(alice, '/portfolio/evidence/files', { ...details, title: 'For my mentor' }, { field: 'file', name: 'plan.pdf', bytes: pdf() });
  const id = page.location!.match(/evidence\/([a-f0-9]{24})/)![1];
  const { session: coordinator } = await aCoordinator({ tool, platform }, { course, name: 'Meg Mentor' });
  const view = await coordinator.get(`/portfolio/evidence/${id}`);
  expect(view.status).toBe(200);
  expect(textOf(view.html)).toContain('For my mentor');
  expect(view.html).not.toContain(`/portfolio/evidence/${id}/edit`);
  expect((await download(coordinator, `/portfolio/evidence/${id}/download`)).status).toBe(200);
  expect((await coordinator.get(`/portfolio/evidence/${id}/edit`)).status).toBe(403);
  expect((await coordinator.post(`/portfolio/evidence/${id}/delete`, { confirmed: 'yes', usedInSeen: '' })).status).toBe(403);
  expect(await Evidence.countDocuments({ _id: id })).toBe(1);
});

test('the section page offers each example its evidence picker, and linking from it shows the link there', async () => {
  await alice.post('/portfolio/evidence/links', { title: 'Pilot evaluation site', date: '2024-06-01', url: 'https://example.ac.uk/pilot', description: '', tags: '' });
  const target = await anExample(alice, 'Pilot of lecture capture');
  const id = (await Evidence.findOne({ title: 'Pilot evaluation site' }).lean())!._id.toString();
  const before = textOf((await alice.get(`/portfolio/sections/${target.sectionId}`)).html);
  expect(before).toContain('Evidence for “Pilot of lecture capture”');
  expect(before).toContain('Pilot evaluation site');
  await alice.post('/portfolio/evidence/attach', { evidenceId: id, ...target, returnTo: `/portfolio/sections/${target.sectionId}` });
  const after = (await alice.get(`/portfolio/sections/${target.sectionId}`)).html;
  expect(after).toMatch(/Unlink<span class="visually-hidden"> Pilot evaluation site from this example/);
});
