import { AppError } from '../../../src/http/errors';
import { CV_MESSAGES, extractCvText, tidyText } from '../../../src/portfolio/planning/cv-text';
import { docxOf, pdfOf, pdfWithoutText, zipOf } from './cv-fixtures';

async function refusal(work: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected the CV to be refused');
}

test('a Word .docx CV becomes its paragraphs as text', async () => {
  const docx = docxOf(['Jo Bloggs — Learning Technologist', 'Led the Moodle 4 upgrade (2023)', 'Trained 40 staff in accessible design']);
  const { text, source } = await extractCvText('Jo CV.docx', docx);
  expect(source).toBe('docx');
  expect(text).toContain('Jo Bloggs — Learning Technologist');
  expect(text).toContain('Led the Moodle 4 upgrade (2023)');
  expect(text.split('\n').filter(Boolean)).toHaveLength(3);
});

test('a PDF CV becomes its lines as text', async () => {
  const pdf = pdfOf(['Curriculum vitae', 'Digital education adviser (2019-2024)', 'Accessibility audit of 120 courses']);
  const { text, source } = await extractCvText('cv.pdf', pdf);
  expect(source).toBe('pdf');
  expect(text).toContain('Curriculum vitae');
  expect(text).toContain('Digital education adviser (2019-2024)');
  expect(text).toContain('Accessibility audit of 120 courses');
});

test('a PDF that arrives inside a larger shared buffer (as uploads do) is still read', async () => {
  const pdf = pdfOf(['Learning technologist', 'Moodle administrator']);
  const pooled = Buffer.concat([Buffer.from('some bytes before the file'), pdf]).subarray(26);
  expect(pooled.byteOffset).toBeGreaterThan(0);
  const { text } = await extractCvText('cv.pdf', pooled);
  expect(text).toContain('Moodle administrator');
});

test('a plain text CV is kept as typed, tidied', async () => {
  const { text, source } = await extractCvText('cv.txt', Buffer.from('\uFEFFLine one  \r\n\r\n\r\n\r\nLine two\r\n'));
  expect(source).toBe('txt');
  expect(text).toBe('Line one\n\nLine two');
});

test('a PDF with no text (a scanned image) gets a clear message asking for pasted text', async () => {
  expect(await refusal(extractCvText('scan.pdf', pdfWithoutText()))).toEqual({ status: 422, message: CV_MESSAGES.noText });
});

test('a damaged PDF gets the unreadable message, not a crash', async () => {
  const broken = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage', 'latin1');
  const result = await refusal(extractCvText('cv.pdf', broken));
  expect(result.status).toBe(422);
  expect([CV_MESSAGES.unreadable, CV_MESSAGES.noText]).toContain(result.message);
});

test('a zip that is not a Word document gets the unreadable message', async () => {
  const notWord = zipOf([{ name: 'hello.txt', content: 'hello' }]);
  expect(await refusal(extractCvText('cv.docx', notWord))).toEqual({ status: 422, message: CV_MESSAGES.unreadable });
});

test('an old .doc, an image or a renamed program is refused with 415', async () => {
  expect(await refusal(extractCvText('cv.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))).toEqual({ status: 415, message: CV_MESSAGES.wrongType });
  expect(await refusal(extractCvText('cv.pdf', Buffer.from('MZ\x90\x00', 'latin1')))).toEqual({ status: 415, message: CV_MESSAGES.wrongContent });
  expect(await refusal(extractCvText('cv.docx', Buffer.from('%PDF-1.4', 'latin1')))).toEqual({ status: 415, message: CV_MESSAGES.wrongContent });
});

test('a CV file over 5 MB is refused with 413', async () => {
  const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x61);
  expect(await refusal(extractCvText('cv.txt', big))).toEqual({ status: 413, message: CV_MESSAGES.tooLarge });
});

test('tidying joins Windows line breaks and drops runs of blank lines', () => {
  expect(tidyText('a\r\nb\r\n\r\n\r\n\r\nc   ')).toBe('a\nb\n\nc');
});
