import { checkFileType, extensionOf, looksLikeText } from '../../../src/portfolio/evidence/file-types';

const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1');
const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);

test('a real PDF named .pdf is accepted and served as application/pdf', () => {
  expect(checkFileType('Report.PDF', pdf)).toEqual({ ok: true, extension: 'pdf', contentType: 'application/pdf' });
});

test('Office documents are recognised by their zip container', () => {
  const verdict = checkFileType('slides.pptx', zip);
  expect(verdict.ok && verdict.contentType).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
});

test('a program renamed to .pdf is refused for its contents', () => {
  expect(checkFileType('innocent.pdf', exe)).toEqual({ ok: false, reason: 'content' });
  expect(checkFileType('photo.png', elf)).toEqual({ ok: false, reason: 'content' });
});

test('HTML, SVG, scripts and files without an extension are refused by extension', () => {
  for (const name of ['page.html', 'page.htm', 'drawing.svg', 'run.exe', 'script.js', 'noextension', 'archive.pdf.exe']) {
    expect(checkFileType(name, Buffer.from('<html><script>alert(1)</script>'))).toEqual({ ok: false, reason: 'extension' });
  }
});

test('text files must be text: UTF-8 without NUL bytes', () => {
  expect(checkFileType('notes.txt', Buffer.from('Reflections on the VLE pilot – année 2024\n'))).toMatchObject({ ok: true });
  expect(checkFileType('data.csv', Buffer.from('name,score\nAda,10\n'))).toMatchObject({ ok: true, contentType: 'text/csv; charset=utf-8' });
  expect(checkFileType('notes.txt', png)).toEqual({ ok: false, reason: 'content' });
});

test('a text sample cut in the middle of a character still counts as text', () => {
  const full = Buffer.from('ééé');
  expect(looksLikeText(full.subarray(0, 5))).toBe(true);
  expect(looksLikeText(Buffer.from([0x61, 0xff, 0x62]))).toBe(false);
});

test('images are checked by their signature', () => {
  expect(checkFileType('a.png', png)).toMatchObject({ ok: true, contentType: 'image/png' });
  expect(checkFileType('a.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toMatchObject({ ok: true, contentType: 'image/jpeg' });
  expect(checkFileType('a.jpg', png)).toEqual({ ok: false, reason: 'content' });
});

test('the extension is the last one, in lower case', () => {
  expect(extensionOf('My.Report.DOCX')).toBe('docx');
  expect(extensionOf('README')).toBe('');
});
