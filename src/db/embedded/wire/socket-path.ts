import fs from 'node:fs';
import net from 'node:net';

/**
 * A Unix socket for the embedded database: reachable only by users who may open the file, which is
 * created 0600 inside a 0700 directory, so no other local user or TCP client can connect.
 */
export const SOCKET_MODE = 0o600;
const MAX_SOCKET_PATH = 103; // sun_path is 104 bytes on macOS, 108 on Linux, each with a NUL

/** Refuses a path too long for a socket, or one another server answers on; removes a stale one left by a crash. */
export async function prepareSocketPath(socketPath: string): Promise<void> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new Error(`the database socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes: choose a shorter DATA_DIR`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket; move it away before starting the database`);
  if (await answers(socketPath)) throw new Error(`another database is already listening on ${socketPath}`);
  fs.rmSync(socketPath, { force: true });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** The driver's form for a socket: the path percent-encoded as the host (it must end in .sock). */
export function socketUri(socketPath: string): string {
  return `mongodb://${encodeURIComponent(socketPath)}`;
}
