import { Evidence } from '../../../src/portfolio/evidence/evidence.model';
import { FILE_MESSAGES } from '../../../src/portfolio/evidence/evidence.service';
import { MESSAGES } from '../../../src/portfolio/evidence/evidence.schema';
import { countStoredFiles } from '../../../src/portfolio/evidence/file-store';
import { Portfolio, Section, type SectionDoc } from '../../../src/portfolio/models';
import { addExample, contentOf } from '../../../src/portfolio/section.service';
import type { ToolSession } from '../../support/launch';
import { startTestPlatform, type TestPlatform } from '../../support/platform';
import { startTestTool, type TestTool } from '../../support/tool';
import { aPng, candidateWithPortfolio, download, postFile, textOf } from './http';

/**
 * Evidence added and linked from an example on the section page (issue 16): the JSON answers the page's script
 * reads, the plain forms that go back to the same example, the limits, and nobody reaching another's example.
 */
let platform: TestPlatform;
let tool: TestTool;
let alice: ToolSession;
let bob: ToolSession;
const people = new Map<ToolSession, { userId: string; courseId: string }>();
const LIMIT = 0.01 * 1024 * 1024; // UPLOAD_LIMIT_MB=0.01: about 10 KB
const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const pdf = (size = 1024) => Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.alloc(size, 0x20)]);

async function anExample(session: ToolSession, title: string) {
  const { userId } = people.get(session)!;
  const portfolio = (await Portfolio.findOne({ userId }).lean())!;
  const section = (await Section.findOne({ portfolio: portfolio._id, areaId: '1b' }).lean())!;
  const result = await addExample(
    { portfolioId: portfolio._id, sectionId: String(section._id), byUser: userId },
    { baseVersion: section.version, example: { title, tags: { role: '', project: '', year: '' }, description: 'd', reflection: 'r' }, format: 'text' },
  );
  if (!result.ok) throw new Error('example not added');
  const sectionId = String(section._id);
  return { sectionId, exampleId: contentOf(result.section).examples.at(-1)!._id, returnTo: `/portfolio/sections/${sectionId}` };
}

const sectionNow = async (id: string) => (await Section.findById(id).lean()) as SectionDoc;
const linkedTo = async (target: { sectionId: string; exampleId: string }) =>
  contentOf(await sectionNow(target.sectionId)).examples.find((e) => e._id === target.exampleId)!.evidenceIds;
const filesOf = (s: ToolSession) => countStoredFiles({ courseId: people.get(s)!.courseId, ownerId: people.get(s)!.userId });

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform, env: { UPLOAD_LIMIT_MB: '0.01', STORAGE_QUOTA_MB: '0.015' } });
  const course = platform.course({ title: 'CMALT cohort 2026' });
  for (const [name, set] of [['Alice Inline', (s: ToolSession) => (alice = s)], ['Bob Guesser', (s: ToolSession) => (bob = s)]] as const) {
    const session = await candidateWithPortfolio(tool, platform, course, name);
    set(session);
    const p = (await Portfolio.findOne().sort({ createdAt: -1 }).lean())!;
    people.set(session, { userId: p.userId, courseId: p.courseId });
  }
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

test('from an example, a picture is uploaded and linked in one step; the script gets its thumbnail address, which shows it inline', async () => {
  const target = await anExample(alice, 'Workshop on alt text');
  const answer = await postFile(alice, '/portfolio/evidence/files', { ...target, title: 'Whiteboard after the workshop' }, { field: 'file', name: 'board.png', bytes: aPng(), type: 'image/png' }, 'application/json');
  expect(answer.status).toBe(201);
  const json = JSON.parse(answer.html);
  expect(json).toMatchObject({ linked: true, evidence: { title: 'Whiteboard after the workshop', kindLabel: 'File', preview: true } });
  expect(json.message).toContain('linked to this example');
  expect(await linkedTo(target)).toEqual([json.evidence.id]);
  const preview = await download(alice, new URL(json.evidence.previewSrc, tool.baseUrl).pathname);
  expect(preview.status).toBe(200);
  expect(preview.headers.get('content-type')).toBe('image/png');
  expect(preview.headers.get('content-disposition')).toBe('inline');
  expect(preview.headers.get('x-content-type-options')).toBe('nosniff');
  expect(preview.body.equals(aPng())).toBe(true);
  // The section page lists it with a thumbnail whose text is the title.
  const page = await alice.get(target.returnTo);
  expect(page.html).toMatch(new RegExp(`<li class="evidence-item" id="ev-${target.exampleId}-${json.evidence.id}"[^>]*>\\s*<img class="evidence-thumb" src="/portfolio/evidence/${json.evidence.id}/preview\\?ltik=[^"]+" alt="Whiteboard after the workshop">`));
});

test('a file that is not a picture has no preview', async () => {
  const item = await postFile(alice, '/portfolio/evidence/files', { title: 'Report' }, { field: 'file', name: 'report.pdf', bytes: pdf(100) }, 'application/json');
  expect(item.status).toBe(201);
  const { evidence } = JSON.parse(item.html);
  expect(evidence).toMatchObject({ preview: false, previewSrc: null });
  expect((await download(alice, `/portfolio/evidence/${evidence.id}/preview`)).status).toBe(404);
});

test('refusals come back as JSON with the message and the field, and change nothing', async () => {
  const target = await anExample(alice, 'Refusals');
  const before = await Evidence.countDocuments();
  const badLink = await alice.post('/portfolio/evidence/links', { ...target, url: 'javascript:alert(1)', title: 'Bad' }, JSON_ACCEPT);
  expect(badLink.status).toBe(422);
  expect(JSON.parse(badLink.html).error).toMatchObject({ message: MESSAGES.urlInvalid, fields: { url: MESSAGES.urlInvalid } });
  const tooBig = await postFile(alice, '/portfolio/evidence/files', { ...target, title: 'Big' }, { field: 'file', name: 'big.pdf', bytes: pdf(LIMIT + 10) }, 'application/json');
  expect(tooBig.status).toBe(413);
  expect(JSON.parse(tooBig.html).error).toMatchObject({ id: 'too_large', message: FILE_MESSAGES.tooLarge(LIMIT), fields: { file: FILE_MESSAGES.tooLarge(LIMIT) } });
  const noTitle = await postFile(alice, '/portfolio/evidence/files', { ...target, title: ' ' }, { field: 'file', name: 'a.pdf', bytes: pdf(10) }, 'application/json');
  expect(noTitle.status).toBe(422);
  expect(JSON.parse(noTitle.html).error.fields).toEqual({ title: MESSAGES.titleMissing });
  expect(await Evidence.countDocuments()).toBe(before);
  expect(await linkedTo(target)).toEqual([]);
});

test('the storage quota is respected from the example too, with a message that says what to do', async () => {
  const target = await anExample(alice, 'Quota');
  const used = await filesOf(alice);
  // About 9 KB each against a 15 KB quota: the first fits, the next cannot.
  const first = await postFile(alice, '/portfolio/evidence/files', { ...target, title: 'First' }, { field: 'file', name: 'one.pdf', bytes: pdf(9000) }, 'application/json');
  expect(first.status).toBe(201);
  const second = await postFile(alice, '/portfolio/evidence/files', { ...target, title: 'Second' }, { field: 'file', name: 'two.pdf', bytes: pdf(9000) }, 'application/json');
  expect(second.status).toBe(413);
  expect(JSON.parse(second.html).error.message).toMatch(/would not fit in your evidence storage|Your evidence storage is full/);
  expect(JSON.parse(second.html).error.message).toContain('add a link to where the file is kept instead');
  expect(await filesOf(alice)).toBe(used + 1);
  expect(await linkedTo(target)).toEqual([JSON.parse(first.html).evidence.id]);
});

test('without the script, the forms go back to the same example with the changed item named in the address', async () => {
  const target = await anExample(alice, 'Plain forms');
  const added = await alice.post('/portfolio/evidence/links', { ...target, url: 'https://example.org/report', title: 'Published report' }, { follow: false });
  expect(added.status).toBe(303);
  const [evidenceId] = await linkedTo(target);
  const location = new URL(added.headers.get('location')!, tool.baseUrl);
  expect(location.pathname).toBe(target.returnTo);
  expect(location.searchParams.get('done')).toBe('evidence-added');
  expect(location.hash).toBe(`#ev-${target.exampleId}-${evidenceId}`);

  const unlinked = await alice.post('/portfolio/evidence/detach', { ...target, evidenceId }, { follow: false });
  expect(new URL(unlinked.headers.get('location')!, tool.baseUrl).hash).toBe(`#evidence-picker-${target.exampleId}-heading`);
  const linked = await alice.post('/portfolio/evidence/attach', { ...target, evidenceId }, { follow: false });
  const back = new URL(linked.headers.get('location')!, tool.baseUrl);
  expect(back.searchParams.get('done')).toBe('evidence-linked');
  expect(back.hash).toBe(`#ev-${target.exampleId}-${evidenceId}`);
  const page = await alice.get(back.pathname + back.search);
  expect(textOf(page.html)).toContain('Evidence linked to the example.');
  expect(page.html).toContain(`id="ev-${target.exampleId}-${evidenceId}"`);

  // A refused plain form shows the full page, which keeps the example and leads back to it.
  const refused = await alice.post('/portfolio/evidence/links', { ...target, url: 'not an address', title: 'Oops' });
  expect(refused.status).toBe(422);
  expect(refused.html).toContain(`name="exampleId" value="${target.exampleId}"`);
  expect(textOf(refused.html)).toContain('Back to the example');
  expect(refused.html).toContain(`#evidence-picker-${target.exampleId}-heading`);
});

test('full-page actions on the section page land on what they changed', async () => {
  const target = await anExample(alice, 'Landing');
  const section = (await Section.findById(target.sectionId).lean())!;
  const saved = await alice.post(`/portfolio/sections/${target.sectionId}/examples/${target.exampleId}`, { baseVersion: String(section.version), title: 'Landing', description: 'd2', reflection: 'r', format: 'text' }, { follow: false });
  expect(new URL(saved.headers.get('location')!, tool.baseUrl).hash).toBe(`#ex-${target.exampleId}-heading`);
  const now = (await Section.findById(target.sectionId).lean())!;
  const added = await alice.post(`/portfolio/sections/${target.sectionId}/examples`, { baseVersion: String(now.version), title: 'Another', description: 'x', reflection: 'y', format: 'text' }, { follow: false });
  const newId = contentOf(await sectionNow(target.sectionId)).examples.at(-1)!._id;
  const at = new URL(added.headers.get('location')!, tool.baseUrl);
  expect([at.searchParams.get('done'), at.hash]).toEqual(['example-added', `#ex-${newId}-heading`]);
  const latest = (await Section.findById(target.sectionId).lean())!;
  const removed = await alice.post(`/portfolio/sections/${target.sectionId}/examples/${newId}/remove`, { baseVersion: String(latest.version) }, { follow: false });
  const gone = new URL(removed.headers.get('location')!, tool.baseUrl);
  expect([gone.searchParams.get('done'), gone.hash]).toEqual(['example-removed', '#examples-heading']);
  const ready = await alice.post(`/portfolio/sections/${target.sectionId}/ready`, { baseVersion: String((await Section.findById(target.sectionId).lean())!.version) }, { follow: false });
  expect(new URL(ready.headers.get('location')!, tool.baseUrl).hash).toBe('#review-heading');
});

describe('another candidate guessing addresses', () => {
  test('cannot link your evidence to their example, nor their evidence to your example, nor add to your example', async () => {
    const aliceExample = await anExample(alice, 'Alice’s example');
    const bobExample = await anExample(bob, 'Bob’s example');
    const aliceItem = JSON.parse((await alice.post('/portfolio/evidence/links', { url: 'https://example.org/a', title: 'Alice’s link' }, JSON_ACCEPT)).html).evidence.id;
    const bobItem = JSON.parse((await bob.post('/portfolio/evidence/links', { url: 'https://example.org/b', title: 'Bob’s link' }, JSON_ACCEPT)).html).evidence.id;
    const evidenceBefore = await Evidence.countDocuments();
    const bobFiles = await filesOf(bob);

    for (const [evidenceId, where] of [[aliceItem, bobExample], [bobItem, aliceExample], [aliceItem, aliceExample]] as const) {
      const json = await bob.post('/portfolio/evidence/attach', { ...where, evidenceId }, JSON_ACCEPT);
      expect(json.status).toBe(404);
      expect(JSON.parse(json.html).error.message).toBeTruthy();
      const page = await bob.post('/portfolio/evidence/attach', { ...where, evidenceId });
      expect(page.status).toBe(404);
    }
    const addLink = await bob.post('/portfolio/evidence/links', { ...aliceExample, url: 'https://example.org/c', title: 'Sneaky' }, JSON_ACCEPT);
    expect(addLink.status).toBe(404);
    const upload = await postFile(bob, '/portfolio/evidence/files', { ...aliceExample, title: 'Sneaky file' }, { field: 'file', name: 'x.png', bytes: aPng(4, 4) }, 'application/json');
    expect(upload.status).toBe(404);
    const unlink = await bob.post('/portfolio/evidence/detach', { ...aliceExample, evidenceId: aliceItem }, JSON_ACCEPT);
    expect(unlink.status).toBe(404);
    const form = await bob.get('/portfolio/evidence/new', { kind: 'link', sectionId: aliceExample.sectionId, exampleId: aliceExample.exampleId });
    expect(form.status).toBe(404);

    expect(await Evidence.countDocuments()).toBe(evidenceBefore);
    expect(await filesOf(bob)).toBe(bobFiles); // the refused upload left no file behind
    expect(await linkedTo(aliceExample)).toEqual([]);
    expect(await linkedTo(bobExample)).toEqual([]);
  });

  test('cannot see the preview of your picture', async () => {
    const item = JSON.parse((await postFile(alice, '/portfolio/evidence/files', { title: 'Private picture' }, { field: 'file', name: 'p.png', bytes: aPng(4, 4) }, 'application/json')).html).evidence;
    expect((await download(alice, `/portfolio/evidence/${item.id}/preview`)).status).toBe(200);
    const guessed = await download(bob, `/portfolio/evidence/${item.id}/preview`);
    expect(guessed.status).toBe(404);
    expect(guessed.headers.get('content-type')).not.toMatch(/^image\//);
  });
});
