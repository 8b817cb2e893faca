import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import ejs from 'ejs';
import { ZipFile } from 'yazl';
import type { Book, BookEvidence } from '../book';
import type { FileReader } from '../files';
import { readingPresenter } from '../reading.presenter';
import { VIEWS } from '../views-dir';
import { leap2a } from './leap2a';
import { areaFile, evidenceFile } from './names';

/**
 * The website export: a zip of plain HTML pages (contents, one per area, evidence) with the evidence files
 * beside them and relative links, so it opens from disk or any web host; plus leap2a.xml for Mahara.
 * Streamed with yazl: each file is read only when the zip reaches it, so one file is in memory at a time.
 */
export type Progress = (message: string) => void;
export interface FileCheck {
  exists: (e: BookEvidence) => Promise<boolean>;
}

const STORED = /\.(jpe?g|png|gif|webp|pdf|zip|docx|xlsx|pptx|mp4|mp3|m4a)$/i; // already compressed: store as they are
const page = (name: string, data: Record<string, unknown>) => ejs.renderFile(path.join(VIEWS, 'export/site', `${name}.ejs`), data);

async function wrap(book: ReturnType<typeof readingPresenter>, pageTitle: string, body: string): Promise<Buffer> {
  return Buffer.from(await page('_page', { book, pageTitle, body }), 'utf8');
}

export async function buildSiteZip(input: { book: Book; read: FileReader; exists: FileCheck['exists']; out: Writable; progress?: Progress }): Promise<void> {
  const { book, read, out } = input;
  const progress = input.progress ?? (() => {});
  const zip = new ZipFile();
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    zip.outputStream.once('error', reject);
  });
  zip.outputStream.pipe(out);
  const mtime = new Date(book.madeAt);
  const included = new Set<string>();
  const files = book.evidence.filter((e) => e.file);
  let n = 0;
  for (const e of files) {
    if (!(await input.exists(e))) continue;
    const name = evidenceFile(e);
    const number = ++n;
    zip.addReadStreamLazy(name, { mtime, compress: !STORED.test(name) }, (cb) => {
      progress(`Adding evidence ${number} of ${files.length}`);
      read(e).then((bytes) => {
        if (bytes) included.add(e.id);
        cb(null, Readable.from([bytes ?? Buffer.alloc(0)]));
      }, (err: Error) => cb(err, undefined as never));
    });
  }
  // Pages are rendered when the zip reaches them, after every file: they know which files made it.
  const view = () =>
    readingPresenter(book, { evidenceHref: (e) => (included.has(e.id) ? evidenceFile(e) : ''), showStates: false });
  const addPage = (name: string, make: () => Promise<Buffer>) =>
    zip.addReadStreamLazy(name, { mtime }, (cb) => {
      make().then((bytes) => cb(null, Readable.from([bytes])), (err: Error) => cb(err, undefined as never));
    });
  addPage('index.html', async () => {
    progress('Writing the pages');
    const v = view();
    const withFiles = { ...v, areas: v.areas.map((a, i) => ({ ...a, file: areaFile(book.areas[i].id) })) };
    return wrap(v, v.title, await page('index', { book: withFiles }));
  });
  book.areas.forEach((area, i) =>
    addPage(areaFile(area.id), async () => {
      const v = view();
      return wrap(v, `${v.areas[i].title} – ${v.title}`, await page('area', { a: v.areas[i] }));
    }),
  );
  addPage('evidence.html', async () => {
    const v = view();
    return wrap(v, `Evidence – ${v.title}`, await page('evidence', { book: v }));
  });
  addPage('leap2a.xml', async () => Buffer.from(leap2a(book, (e) => (included.has(e.id) ? evidenceFile(e) : null)), 'utf8'));
  zip.end();
  await done;
}
