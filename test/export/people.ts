import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Evidence } from '../../src/portfolio/evidence/evidence.model';
import { removeFile } from '../../src/portfolio/evidence/file-store';
import { Section } from '../../src/portfolio/models';
import { aCandidate, launched, sectionNow, text as tagless } from '../mentoring/people';
import { candidateWithPortfolio, download, postFile } from '../portfolio/evidence/http';
import type { ToolSession } from '../support/launch';
import type { PlatformCourse, TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';

export { launched, download, candidateWithPortfolio };

/** A page's text as a reader sees it: tags gone, entities decoded. */
export const text = (html: string) => tagless(html).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;/g, "'");

/** A real PDF of `pages` pages, each saying which page of which file it is. */
export async function aPdf(label: string, pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595, 842]).drawText(`${label} page ${i}`, { x: 72, y: 760, size: 18, font });
  return Buffer.from(await doc.save());
}

/** A valid PNG of w x h pixels in one colour (no image library needed). */
export function aPng(w = 40, h = 30): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.concat(Array.from({ length: h }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x4a)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function addFile(s: ToolSession, title: string, name: string, bytes: Buffer): Promise<string> {
  const page = await postFile(s, '/portfolio/evidence/files', { title, date: '2024-05-01', description: `About ${title}`, tags: '' }, { field: 'file', name, bytes });
  if (page.status !== 200) throw new Error(`upload failed: ${page.status} ${text(page.html).slice(0, 300)}`);
  return new URL(page.location!).pathname.split('/').pop()!;
}

async function addExampleHttp(s: ToolSession, sectionId: string, title: string, description: string, reflection: string): Promise<string> {
  const v = (await sectionNow(sectionId)).version;
  const r = await s.post(`/portfolio/sections/${sectionId}/examples`, { baseVersion: String(v), title, role: 'Learning technologist', project: 'VLE move', year: '2024', description, reflection, format: 'html' });
  if (r.status !== 200) throw new Error(`example failed: ${r.status}`);
  const section = await sectionNow(sectionId);
  return String(section.examples.at(-1)!._id);
}

async function attach(s: ToolSession, evidenceId: string, sectionId: string, exampleId: string) {
  const r = await s.post('/portfolio/evidence/attach', { evidenceId, sectionId, exampleId });
  if (r.status !== 200) throw new Error(`attach failed: ${r.status}`);
}

/**
 * A course with a coordinator (Cora), a mentor (Mo) assigned to a candidate (Cat) whose portfolio has a
 * contextual statement with markup typed as text, two examples in 1a citing a PDF, a picture, a link and
 * a note, and in 1b an example citing a damaged PDF and a file whose bytes have gone missing.
 */
export async function aWrittenPortfolio(tool: TestTool, platform: TestPlatform, who: string, course: PlatformCourse = platform.course({ title: `Course ${who}` })) {
  const cora = await launched(tool, platform, course, 'Instructor', platform.user({ name: `Cora ${who}` }));
  const moUser = platform.user({ name: `Mo ${who}` });
  const mo = await launched(tool, platform, course, 'TeachingAssistant', moUser);
  const cat = await aCandidate(tool, platform, course, `Cat <b>${who}</b>`);
  await cora.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: moUser.id, action: 'assign' });
  const s = cat.session;
  const contextual = cat.id('contextual');
  const v = (await sectionNow(contextual)).version;
  await s.post(`/portfolio/sections/${contextual}`, { baseVersion: String(v), format: 'text', body: 'I work at <script>alert(1)</script> Example University.\n\nMy team runs the VLE.' });
  const ex1 = await addExampleHttp(s, cat.id('1a'), 'Choosing a quiz tool', '<p>I compared <strong>three</strong> tools. See <a href="https://example.org/report">the report</a>.</p><ul><li>Cost</li><li>Accessibility</li></ul>', '<p>I would ask students <em>earlier</em>.</p>');
  const ex2 = await addExampleHttp(s, cat.id('1a'), 'Lecture capture pilot', '<p>Two departments tried it.</p>', '<p>Plan the training first.</p>');
  const pdfId = await addFile(s, 'Options appraisal', 'appraisal.pdf', await aPdf('Appraisal', 3));
  const pngId = await addFile(s, 'Workshop photo', 'workshop.png', aPng());
  const linkPage = await s.post('/portfolio/evidence/links', { title: 'Project blog', date: '', description: '', tags: '', url: 'https://example.org/blog' });
  const linkId = linkPage.url.match(/evidence\/([a-f0-9]{24})/)![1];
  const notePage = await s.post('/portfolio/evidence/notes', { title: 'Thanks from a lecturer', date: '', description: '', tags: '', text: 'The quizzes worked first time.' });
  const noteId = notePage.url.match(/evidence\/([a-f0-9]{24})/)![1];
  for (const id of [pdfId, pngId, linkId]) await attach(s, id, cat.id('1a'), ex1);
  await attach(s, noteId, cat.id('1a'), ex2);
  const ex3 = await addExampleHttp(s, cat.id('1b'), 'Damaged files', '<p>This one cites broken files.</p>', '<p>Nothing.</p>');
  const brokenId = await addFile(s, 'Broken PDF', 'broken.pdf', Buffer.from('%PDF-1.4\nthis is not really a PDF at all'));
  const goneId = await addFile(s, 'Vanished file', 'vanished.pdf', await aPdf('Vanished', 1));
  for (const id of [brokenId, goneId]) await attach(s, id, cat.id('1b'), ex3);
  const gone = (await Evidence.findById(goneId).lean())!;
  await removeFile(gone.file!.fileId); // its bytes are lost: an export lists it, never crashes
  const portfolioId = String(cat.portfolio._id);
  return { course, cora, mo, moUser, cat, portfolioId, evidence: { pdfId, pngId, linkId, noteId, brokenId, goneId }, examples: { ex1, ex2, ex3 } };
}

export const sectionCount = (portfolioId: string) => Section.countDocuments({ portfolio: portfolioId });
