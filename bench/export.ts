/*
 * Export benchmark: a full portfolio (12 areas, 3 examples of ~400 words each, 40 evidence files including
 * ten 1 MB PDFs and ten 3 MB photos), seconds and peak memory for the PDF and the website zip, each against
 * a floor measured in the same run: pdf-lib merging the same ten PDFs alone, and a zip of the same files
 * with no pages. Goals: PDF under 3x its floor; peak memory under 2x the evidence bytes.
 * Files come from memory, so the figures are the exporters' own, without the database.
 * `npm run bench -- export` or `npx tsx bench/export.ts`.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PDFDocument } from 'pdf-lib';
import { ZipFile } from 'yazl';
import type { Book, BookEvidence } from '../src/export/book';
import type { FileReader } from '../src/export/files';
import { buildPdf } from '../src/export/pdf';
import { buildSiteZip } from '../src/export/site';
import { runIfMain } from './support/main';

const MB = 1024 * 1024;
const WORDS = 'learning technology students staff evaluation accessibility moodle quiz pilot feedback department reflection practice design'.split(' ');
const paragraph = (n: number) => Array.from({ length: n }, (_, i) => WORDS[(i * 7 + n) % WORDS.length]).join(' ');

/** A PDF of about 1 MB: a few pages, one holding an incompressible image. */
async function aPdf(i: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const side = 580; // 580 x 580 RGB noise, deflated: about 1 MB
  const rows = Buffer.concat(Array.from({ length: side }, () => Buffer.concat([Buffer.from([0]), randomBytes(side * 3)])));
  const png = pngOf(side, side, rows);
  const image = await doc.embedPng(png);
  for (let p = 0; p < 4; p++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Evidence PDF ${i}, page ${p + 1}`, { x: 60, y: 780, size: 16 });
    if (p === 0) page.drawImage(image, { x: 60, y: 200, width: 475, height: 475 });
  }
  return Buffer.from(await doc.save());
}

function pngOf(w: number, h: number, rows: Buffer): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = table[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A "photo" of about 3 MB: a JPEG of noise over a gradient (jpeg-js, pure JS). */
function aPhoto(i: number): Buffer {
  const width = 1400;
  const height = 1050;
  const data = Buffer.alloc(width * height * 4);
  const noise = randomBytes(width * height);
  for (let p = 0; p < width * height; p++) {
    const g = (p % width) / width;
    data[p * 4] = Math.min(255, g * 200 + (noise[p] >> 1));
    data[p * 4 + 1] = (noise[(p * 7) % noise.length] + i * 20) & 0xff;
    data[p * 4 + 2] = noise[p];
    data[p * 4 + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 95).data);
}

async function aFullPortfolio(): Promise<{ book: Book; files: Map<string, Buffer> }> {
  const files = new Map<string, Buffer>();
  const evidence: BookEvidence[] = [];
  const add = (kind: 'pdf' | 'photo' | 'doc', bytes: Buffer) => {
    const n = evidence.length + 1;
    const id = `e${n}`;
    files.set(id, bytes);
    const [filename, contentType] = kind === 'pdf' ? [`report-${n}.pdf`, 'application/pdf'] : kind === 'photo' ? [`photo-${n}.jpg`, 'image/jpeg'] : [`notes-${n}.docx`, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'];
    evidence.push({ id, number: n, kind: 'file', title: `Evidence ${n}`, date: '2025-03-01', description: paragraph(30), file: { fileId: id, filename, contentType, size: bytes.length }, citedIn: [] });
  };
  for (let i = 0; i < 10; i++) add('pdf', await aPdf(i));
  for (let i = 0; i < 10; i++) add('photo', aPhoto(i));
  for (let i = 0; i < 20; i++) add('doc', randomBytes(200 * 1024));
  const areas = Array.from({ length: 12 }, (_, a) => ({
    id: `area-${a}`,
    code: String(a),
    title: `Area ${a + 1}`,
    group: 'Core',
    assessed: true,
    required: true,
    kind: 'examples' as const,
    examplesExpected: { min: 2, max: 3 },
    words: { min: 250, max: 600 },
    state: 'draft' as const,
    stateLabel: 'Draft',
    body: '',
    examples: Array.from({ length: 3 }, (_, x) => {
      const cited = evidence.slice(((a * 3 + x) * 40) / 36, ((a * 3 + x + 1) * 40) / 36).map((e) => e.id);
      return {
        id: `ex-${a}-${x}`,
        title: `Example ${x + 1} of area ${a + 1}`,
        tags: { role: 'Learning technologist', project: 'VLE', year: '2025' },
        description: `<p>${paragraph(120)}</p><p>${paragraph(80)}</p>`,
        reflection: `<p>${paragraph(120)}</p><ul><li>${paragraph(40)}</li><li>${paragraph(40)}</li></ul>`,
        evidenceIds: cited,
        missingEvidence: 0,
      };
    }),
  }));
  const book: Book = {
    portfolioId: 'bench',
    courseId: 'bench',
    candidate: { userId: 'u', name: 'Bench Candidate' },
    courseTitle: 'Bench course',
    frameworkTitle: 'CMALT',
    pathwayTitle: 'CMALT',
    madeAt: new Date().toISOString(),
    areas,
    evidence,
  };
  return { book, files };
}

/** Wall time and the peak rise in resident memory while `fn` runs (sampled every 5 ms). */
async function measure<T>(fn: () => Promise<T>): Promise<{ seconds: number; peakMb: number; value: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  const value = await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds, peakMb: (peak - base) / MB, value };
}

async function toBytes(write: (out: PassThrough) => Promise<void>): Promise<number> {
  const out = new PassThrough();
  let size = 0;
  out.on('data', (c: Buffer) => (size += c.length));
  await write(out);
  return size;
}

export async function run(): Promise<void> {
  const { book, files } = await aFullPortfolio();
  const evidenceBytes = [...files.values()].reduce((n, b) => n + b.length, 0);
  const read: FileReader = async (e) => files.get(e.id) ?? null;
  const pdfs = book.evidence.filter((e) => e.file?.contentType === 'application/pdf').map((e) => files.get(e.id)!);
  console.log(`evidence: ${book.evidence.length} files, ${(evidenceBytes / MB).toFixed(1)} MB`);

  const floorPdf = async () => {
    const out = await PDFDocument.create();
    for (const bytes of pdfs) {
      const src = await PDFDocument.load(bytes);
      for (const page of await out.copyPages(src, src.getPageIndices())) out.addPage(page);
    }
    return (await out.save({ useObjectStreams: false })).length;
  };
  const ourPdf = async () => (await buildPdf(book, read)).length;
  const floorZip = () =>
    toBytes(async (out) => {
      const zip = new ZipFile();
      const done = new Promise<void>((resolve) => out.on('end', resolve));
      zip.outputStream.pipe(out);
      for (const e of book.evidence) zip.addBuffer(files.get(e.id)!, e.file!.filename, { compress: false });
      zip.end();
      out.resume();
      await done;
    });
  const ourZip = () =>
    toBytes(async (out) => {
      out.resume();
      await buildSiteZip({ book, read, exists: async () => true, out });
    });
  // One warm-up of each (compiling the code paths), then rounds taken in turn so a busy shared machine weighs
  // on floor and export alike; the median of each is reported, and the highest memory peak.
  for (const fn of [floorPdf, ourPdf, floorZip, ourZip]) await fn();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const runs: Record<string, Array<{ seconds: number; peakMb: number; value: number }>> = { pdfFloor: [], pdf: [], zipFloor: [], zip: [] };
  for (let r = 0; r < rounds; r++) {
    runs.pdfFloor.push(await measure(floorPdf));
    runs.pdf.push(await measure(ourPdf));
    runs.zipFloor.push(await measure(floorZip));
    runs.zip.push(await measure(ourZip));
  }
  const summary = (list: Array<{ seconds: number; peakMb: number; value: number }>) => ({
    seconds: [...list].sort((a, b) => a.seconds - b.seconds)[Math.floor(list.length / 2)].seconds,
    peakMb: Math.max(...list.map((m) => m.peakMb)),
    value: list[0].value,
  });
  const [pdfFloor, pdf, zipFloor, zip] = [summary(runs.pdfFloor), summary(runs.pdf), summary(runs.zipFloor), summary(runs.zip)];
  const line = (name: string, m: { seconds: number; peakMb: number; value: number }) =>
    console.log(`${name.padEnd(34)} ${m.seconds.toFixed(2).padStart(6)} s   peak +${m.peakMb.toFixed(0).padStart(4)} MB   ${(m.value / MB).toFixed(1)} MB out`);
  line('floor: pdf-lib merging the 10 PDFs', pdfFloor);
  line('PDF export', pdf);
  line('floor: zip of the files, no pages', zipFloor);
  line('website zip export', zip);
  const evidenceMb = evidenceBytes / MB;
  console.log(`PDF time vs floor: ${(pdf.seconds / pdfFloor.seconds).toFixed(2)}x (goal < 3x); zip time vs floor: ${(zip.seconds / zipFloor.seconds).toFixed(2)}x`);
  console.log(`peak memory vs evidence bytes: PDF ${(pdf.peakMb / evidenceMb).toFixed(2)}x, zip ${(zip.peakMb / evidenceMb).toFixed(2)}x (goal < 2x)`);
}

runIfMain(module, run);
