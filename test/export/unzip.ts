import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';

/** Unpacks a zip (from memory) into a fresh folder; answers the folder and the entry names. */
export async function unzip(bytes: Buffer): Promise<{ dir: string; names: string[]; entries: Map<string, Buffer> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cmalt-site-'));
  const entries = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z!))));
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const data = Buffer.concat(chunks);
          entries.set(entry.fileName, data);
          const target = path.join(dir, entry.fileName);
          if (!target.startsWith(dir)) return reject(new Error(`zip entry escapes its folder: ${entry.fileName}`));
          mkdirSync(path.dirname(target), { recursive: true });
          writeFileSync(target, data);
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return { dir, names: [...entries.keys()].sort(), entries };
}
