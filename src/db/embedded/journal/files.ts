/** The two file operations every durable write of the journal, the snapshots and the blob store rests on. */
import fsp from 'node:fs/promises';

export async function writeFully(handle: fsp.FileHandle, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}

/** Makes the directory's entries (a new, renamed or removed file) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
