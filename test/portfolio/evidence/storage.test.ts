import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { Evidence } from '../../../src/portfolio/evidence/evidence.model';
import { FILE_MESSAGES } from '../../../src/portfolio/evidence/evidence.service';
import { countChunks } from '../../../src/portfolio/evidence/file-store';
import type { ToolSession } from '../../support/launch';
import { startTestPlatform, type TestPlatform } from '../../support/platform';
import { startTestTool, type TestTool } from '../../support/tool';
import { candidateWithPortfolio, download, postFile, textOf } from './http';
import { until } from '../../support/until';

const MiB = 1024 * 1024;
const QUOTA_MB = 30;
let platform: TestPlatform;
let tool: TestTool;
let alice: ToolSession;

/** A PDF-looking file of exactly `size` bytes, random after its header so no layer can compress it away. */
const pdfOfSize = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), randomBytes(size - 9)]);
const details = { title: 'Lecture capture recording', date: '2024-03-01', description: '', tags: '' };
const upload = (name: string, bytes: Buffer) => postFile(alice, '/portfolio/evidence/files', details, { field: 'file', name, bytes });

beforeAll(async () => {
  platform = await startTestPlatform();
  // The default 20 MB upload limit, with a quota small enough to reach in a test.
  tool = await startTestTool({ platform, env: { STORAGE_QUOTA_MB: String(QUOTA_MB) } });
  alice = await candidateWithPortfolio(tool, platform, platform.course({ title: 'CMALT storage' }), 'Alice Storage');
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

test('a file one byte over the 20 MB default limit is refused and leaves no partial file; a 20 MB file uploads and downloads byte for byte', async () => {
  expect(tool.config.uploadLimitBytes).toBe(20 * MiB);
  const over = await upload('too-big.pdf', pdfOfSize(20 * MiB + 1));
  expect(over.status).toBe(413);
  expect(textOf(over.html)).toContain(FILE_MESSAGES.tooLarge(20 * MiB));
  expect(await countChunks()).toBe(0); // the 80 chunks written before the limit was reached are gone
  expect(await Evidence.countDocuments({ kind: 'file' })).toBe(0);

  const big = pdfOfSize(20 * MiB);
  const added = await upload('recording.pdf', big);
  expect(added.status).toBe(200);
  const id = added.location!.match(/evidence\/([a-f0-9]{24})/)![1];
  const back = await download(alice, `/portfolio/evidence/${id}/download`);
  expect(back.status).toBe(200);
  expect(back.body.length).toBe(big.length);
  expect(back.body.equals(big)).toBe(true);

});

test('an upload whose connection drops half way leaves no partial file behind', async () => {
  const chunksBefore = await countChunks();
  const url = new URL('/portfolio/evidence/files', tool.baseUrl);
  url.searchParams.set('ltik', alice.ltik!);
  url.searchParams.set('_csrf', alice.csrfToken!);
  const boundary = 'cmaltboundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nHalf a file\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const cookie = alice.jar.header(url);
  const socket = net.connect(Number(url.port), url.hostname);
  await once(socket, 'connect');
  socket.write(
    `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${head.length + 5 * MiB}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`,
  );
  socket.write(head);
  socket.write(pdfOfSize(2 * MiB)); // eight GridFS chunks' worth, then the connection drops
  // Wait until the tool has stored some of it, so the drop really leaves a partial file to clean up.
  await until('the upload has started writing chunks', async () => (await countChunks()) > chunksBefore);
  socket.destroy();
  await until('the cut-off upload\'s chunks are gone', async () => (await countChunks()) === chunksBefore);
  expect(await Evidence.countDocuments({ title: 'Half a file' })).toBe(0);
});

test('the evidence page shows the storage used; a file that would not fit, or any file once full, gets a clear 413 page and nothing is stored', async () => {
  const list = await alice.get('/portfolio/evidence');
  expect(textOf(list.html)).toContain(`Your evidence files: 20 MB of ${QUOTA_MB} MB used.`);

  const chunksBefore = await countChunks();
  const tooMuch = await upload('second.pdf', pdfOfSize(15 * MiB));
  expect(tooMuch.status).toBe(413);
  expect(textOf(tooMuch.html)).toContain(FILE_MESSAGES.notEnoughRoom(20 * MiB, QUOTA_MB * MiB));
  expect(await countChunks()).toBe(chunksBefore);
  expect(await Evidence.countDocuments({ kind: 'file' })).toBe(1);

  expect((await upload('rest.pdf', pdfOfSize(10 * MiB))).status).toBe(200); // exactly the room left
  const full = await alice.get('/portfolio/evidence');
  expect(textOf(full.html)).toContain(`Your evidence files: ${QUOTA_MB} MB of ${QUOTA_MB} MB used.`);
  expect(textOf(full.html)).toContain('Your evidence storage is full');

  const chunksWhenFull = await countChunks();
  const refused = await upload('tiny.pdf', pdfOfSize(100));
  expect(refused.status).toBe(413);
  expect(textOf(refused.html)).toContain(FILE_MESSAGES.storageFull(QUOTA_MB * MiB, QUOTA_MB * MiB));
  expect(refused.html).toContain('value="Lecture capture recording"'); // what they typed is kept
  expect(await countChunks()).toBe(chunksWhenFull);
  expect(await Evidence.countDocuments({ kind: 'file' })).toBe(2);
});
