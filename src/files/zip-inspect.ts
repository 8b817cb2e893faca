import * as yauzl from 'yauzl';

/**
 * Reads a zip's central directory (never inflating anything) and says whether what it would unpack to
 * is within bounds, so a small file that inflates to gigabytes is refused before any parser sees it.
 * A central directory can lie about sizes; the worker's memory and time limits catch that case.
 */
export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxEntryBytes: 20 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024 };

export type ZipVerdict = { ok: true; entries: number; unpackedBytes: number } | { ok: false; reason: 'unpacked-too-large' | 'unreadable' };

export async function inspectZip(bytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipVerdict> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: true, strictFileNames: false });
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return { ok: false, reason: 'unpacked-too-large' };
  }
  return new Promise((resolve) => {
    let total = 0;
    let count = 0;
    const finish = (verdict: ZipVerdict) => {
      zip.removeAllListeners();
      zip.on('error', () => undefined);
      zip.close();
      resolve(verdict);
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      count += 1;
      total += entry.uncompressedSize;
      if (entry.uncompressedSize > limits.maxEntryBytes || total > limits.maxTotalBytes) return finish({ ok: false, reason: 'unpacked-too-large' });
      zip.readEntry();
    });
    zip.on('end', () => finish({ ok: true, entries: count, unpackedBytes: total }));
    zip.on('error', () => finish({ ok: false, reason: 'unreadable' }));
    zip.readEntry();
  });
}
