import http from 'node:http';
import { inspectZip, readUntrustedText } from '../../src/files';
import { CV_MESSAGES } from '../../src/portfolio/planning/cv-text';
import { Plan } from '../../src/portfolio/planning/plan.model';
import type { ToolSession } from '../support/launch';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { candidateWithPortfolio, postFile, textOf } from '../portfolio/evidence/http';
import { docxOf } from '../portfolio/planning/cv-fixtures';
import { deflatedZipOf, docxBomb, lyingDocxBomb, pdfBomb } from './bombs';

let platform: TestPlatform;
let tool: TestTool;
let alice: ToolSession;

beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform });
  alice = await candidateWithPortfolio(tool, platform, platform.course({ title: 'CMALT bombs' }), 'Alice Bomb');
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

/** Another person's client asks /healthz over and over until stopped; every answer's time is kept. */
function keepAskingHealth(baseUrl: string): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      // A fresh connection each time: a kept-alive socket closed by the server between two asks is not the tool failing to answer.
      const status = await new Promise<number>((resolve, reject) => {
        http.get(`${baseUrl}/healthz`, { agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject);
      });
      if (status !== 200) throw new Error(`/healthz answered ${status}`);
      times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return times;
    },
  };
}

test('while a .docx bomb, a lying .docx bomb and a PDF bomb are read, another client is answered within a second and the candidate gets clear pages', async () => {
  const files = [
    { name: 'bomb.docx', bytes: docxBomb(40) }, // 40 MB document.xml, ~40 KB on the wire
    { name: 'liar.docx', bytes: lyingDocxBomb(40) }, // the same, its headers claiming 2 KB
    { name: 'stream.pdf', bytes: pdfBomb(100) }, // a 100 MB content stream, ~200 KB on the wire
  ];
  expect(Math.max(...files.map((f) => f.bytes.length))).toBeLessThan(400 * 1024);
  const health = keepAskingHealth(tool.baseUrl);
  const [bomb, liar, stream] = await Promise.all(files.map((f) => postFile(alice, '/portfolio/planning/cv/upload', {}, { field: 'cv', name: f.name, bytes: f.bytes })));
  const times = await health.stop();

  expect(times.length).toBeGreaterThan(5);
  expect(Math.max(...times)).toBeLessThan(1000);
  expect(bomb.status).toBe(413); // refused from the zip's directory, before anything is inflated
  expect(textOf(bomb.html)).toContain(CV_MESSAGES.unpackedTooLarge);
  expect(liar.status).toBe(422);
  expect([CV_MESSAGES.unreadable, CV_MESSAGES.tooComplex].some((m) => textOf(liar.html).includes(m))).toBe(true);
  expect(stream.status).toBe(422);
  // Stopped at the deadline, or (on a fast machine) read to the end and found to hold no text.
  expect([CV_MESSAGES.tooComplex, CV_MESSAGES.noText].some((m) => textOf(stream.html).includes(m))).toBe(true);
  expect(await Plan.countDocuments({ cvText: { $exists: true, $ne: '' } })).toBe(0); // nothing saved

  // The tool still reads an ordinary CV straight afterwards.
  const ok = await postFile(alice, '/portfolio/planning/cv/upload', {}, { field: 'cv', name: 'cv.docx', bytes: docxOf(['Alice Bomb', 'Ran the VLE upgrade']) });
  expect(ok.status).toBe(200);
  expect(textOf(ok.html)).toContain('Your CV text is saved.');
});

test('a zip is measured from its central directory before anything is inflated', async () => {
  const honest = deflatedZipOf([{ name: 'a.xml', data: Buffer.alloc(3 * 1024 * 1024, 'a') }, { name: 'b.xml', data: Buffer.from('<b/>') }]);
  expect(await inspectZip(honest)).toEqual({ ok: true, entries: 2, unpackedBytes: 3 * 1024 * 1024 + 4 });
  const limits = { maxEntries: 10, maxEntryBytes: 1024 * 1024, maxTotalBytes: 10 * 1024 * 1024 };
  expect(await inspectZip(honest, limits)).toEqual({ ok: false, reason: 'unpacked-too-large' });
  const many = deflatedZipOf(Array.from({ length: 11 }, (_, i) => ({ name: `${i}.txt`, data: Buffer.from('x') })));
  expect(await inspectZip(many, limits)).toEqual({ ok: false, reason: 'unpacked-too-large' });
  expect(await inspectZip(Buffer.from('PK\u0003\u0004 not really a zip'))).toEqual({ ok: false, reason: 'unreadable' });
});

test('a parser that outgrows its heap or its time is stopped, and the next file is read as usual', async () => {
  expect(await readUntrustedText('pdf-text', pdfBomb(30), { timeoutMs: 300 })).toEqual({ ok: false, reason: 'timeout' });
  // 15 MB of text passes the zip check (under 20 MB) but not a 16 MB heap: the worker dies, not the server.
  expect(await readUntrustedText('docx-text', docxBomb(15), { heapMb: 16 })).toEqual({ ok: false, reason: 'memory' });
  const after = await readUntrustedText('docx-text', docxOf(['Still here']));
  expect(after).toEqual({ ok: true, text: expect.stringContaining('Still here') });
});

test('at most two files are parsed at once and eight wait; the next is told the parser is busy at once', async () => {
  const bomb = pdfBomb(30);
  const outcomes = await Promise.all(Array.from({ length: 11 }, () => readUntrustedText('pdf-text', bomb, { timeoutMs: 300 })));
  expect(outcomes.filter((o) => !o.ok && o.reason === 'busy')).toHaveLength(1);
  expect(outcomes.filter((o) => !o.ok && o.reason === 'timeout')).toHaveLength(10);
});
