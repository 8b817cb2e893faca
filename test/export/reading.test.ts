import { toolSuite } from '../support/suite';
import { aPdf, aWrittenPortfolio, candidateWithPortfolio, download, launched, text } from './people';
import { readPdf } from './pdf-read';

const suite = toolSuite();

describe('reading the whole portfolio, and the PDF', () => {
  test('the candidate, their mentor and the coordinator read every area in framework order with examples and evidence; markup stays text', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Read');
    const own = await w.cat.session.get('/export');
    expect(own.status).toBe(200);
    expect(own.url).toContain(`/export/portfolios/${w.portfolioId}`);
    for (const reader of [w.cat.session, w.mo, w.cora]) {
      const page = await reader.get(`/export/portfolios/${w.portfolioId}`);
      expect(page.status).toBe(200);
      const t = text(page.html);
      expect(t).toContain('CMALT portfolio of Cat <b>Read</b>'); // a name with markup, shown as text
      expect(page.html).not.toContain('<b>Read</b>');
      expect(t).toContain('I work at <script>alert(1)</script> Example University.');
      expect(page.html).not.toContain('<script>alert(1)');
      // framework order: contextual statement, 1a, 1b ... future plans, declaration
      const order = ['Contextual statement', 'An understanding of the constraints and benefits of different technologies', 'Future plans'].map((h) => t.indexOf(h));
      expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
      expect(t).toContain('Choosing a quiz tool');
      expect(page.html).toContain('<strong>three</strong>'); // sanitised rich text keeps its meaning
      expect(t).toContain('E1: Options appraisal');
      expect(t).toContain('E3: Project blog');
      expect(t).toContain('Download appraisal.pdf');
      expect(page.html).toContain('/public/css/book.css'); // the print stylesheet
    }
    const mentorPage = await w.mo.get(`/mentoring/candidates/${w.portfolioId}`);
    expect(mentorPage.html).toContain(`/export/portfolios/${w.portfolioId}`);
  });

  test('nobody else reads or exports it: another candidate, a mentor not assigned, another course, a made-up id', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Guess');
    const peer = await candidateWithPortfolio(suite.tool, suite.platform, w.course, 'Pat Peer');
    const otherMentor = await launched(suite.tool, suite.platform, w.course, 'TeachingAssistant', suite.platform.user({ name: 'Max Other' }));
    const elsewhere = await aWrittenPortfolio(suite.tool, suite.platform, 'Elsewhere');
    for (const session of [peer, otherMentor, elsewhere.cora, elsewhere.cat.session]) {
      for (const path of [`/export/portfolios/${w.portfolioId}`, `/export/portfolios/${w.portfolioId}/pdf`]) {
        const page = await session.get(path);
        expect(page.status).toBe(404);
        expect(text(page.html)).toContain('We could not find that portfolio, or it is not shared with you.');
      }
    }
    expect((await w.cat.session.get('/export/portfolios/000000000000000000000000')).status).toBe(404);
    expect((await w.cat.session.get('/export/portfolios/not-an-id')).status).toBe(404);
    expect((await w.cora.get('/export')).status).toBe(404); // "/export" is the candidate's own
  });

  test('the PDF: A4 pages, text, contents, bookmarks per area, example and file, links, metadata; damaged and missing files listed', async () => {
    const w = await aWrittenPortfolio(suite.tool, suite.platform, 'Pdf');
    const answer = await download(w.mo, `/export/portfolios/${w.portfolioId}/pdf`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="CMALT portfolio - Cat bPdfb.pdf"/);
    const pdf = await readPdf(answer.body);
    expect(pdf.title).toBe('CMALT portfolio of Cat <b>Pdf</b>');
    expect(pdf.author).toBe('Cat <b>Pdf</b>');
    expect(pdf.language).toContain('en-GB');
    expect(pdf.text).toContain('CMALT portfolio of Cat <b>Pdf</b>');
    expect(pdf.text).toContain('I work at <script>alert(1)</script> Example University.');
    expect(pdf.text).toContain('Contents');
    expect(pdf.text).toContain('I compared three tools.');
    expect(pdf.text).toContain('E1: Options appraisal');
    expect(pdf.text).toContain('Appraisal page 3'); // the evidence PDF, appended with its own text
    expect(pdf.images).toBe(1); // the workshop photo, drawn in the appendix
    expect(pdf.text).toMatch(/Broken PDF.*could not be read/);
    expect(pdf.text).toMatch(/Vanished file.*could not be read/);
    // cover, contents, 12 areas, the appendix (at least a page), the 3-page appraisal
    expect(pdf.pages).toBeGreaterThanOrEqual(1 + 1 + 12 + 1 + 3);
    const top = pdf.bookmarks.map((b) => b.title);
    expect(top.slice(0, 3)).toEqual(['Cover', 'Contents', 'Contextual statement']);
    expect(top).toContain('Evidence');
    expect(top.at(-1)).toBe('Attached evidence files');
    const area1a = pdf.bookmarks.find((b) => b.title.startsWith('1a '))!;
    expect(area1a.children.map((c) => c.title)).toEqual(['Choosing a quiz tool', 'Lecture capture pilot']);
    const attached = pdf.bookmarks.at(-1)!;
    expect(attached.children.map((c) => c.title)).toEqual(['E1: Options appraisal']);
    expect(attached.children[0].page).toBe(pdf.pages - 3);
    expect(pdf.bookmarks.every((b) => b.page >= 0 && b.page < pdf.pages)).toBe(true);
    expect(pdf.uris).toEqual(expect.arrayContaining(['https://example.org/report', 'https://example.org/blog']));
    expect(pdf.internalLinks).toContain(pdf.pages - 3); // contents and appendix link to the appended file
    expect(pdf.internalLinks).toContain(-2); // contents lines go to named destinations
  });

  test('an empty portfolio reads and exports, and says what is missing', async () => {
    const course = suite.platform.course({ title: 'Empty course' });
    const s = await candidateWithPortfolio(suite.tool, suite.platform, course, 'Eve Empty');
    const page = await s.get('/export');
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Nothing written here yet.');
    expect(text(page.html)).toContain('No evidence is linked to any example yet.');
    const id = new URL(page.url).pathname.split('/').pop()!;
    const pdf = await readPdf((await download(s, `/export/portfolios/${id}/pdf`)).body);
    expect(pdf.text).toContain('Nothing written here yet.');
    expect(pdf.bookmarks.map((b) => b.title)).not.toContain('Attached evidence files');
    expect(await aPdf('x', 1)).toBeInstanceOf(Buffer);
  });
});
