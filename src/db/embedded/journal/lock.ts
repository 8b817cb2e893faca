/**
 * One process per data directory. The lock file holds the owner's pid and, on Linux, its start
 * time, so that a pid reused after a crash (a container restarting as pid 1) is not mistaken for
 * a live owner. A lock left by a dead process is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'mongod.lock';

interface LockOwner {
  pid: number;
  start?: string;
}

/** Directories locked by this process, so that opening one twice in-process is refused too. */
const heldHere = new Set<string>();

export class DataDirLockedError extends Error {}

/** Field 22 of /proc/PID/stat (start time in clock ticks), or undefined off Linux. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(owner.pid);
  return owner.start === undefined || start === undefined || start === owner.start;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined; // empty or half-written: its writer died before finishing
  }
}

export interface DataDirLock {
  release(): void;
}

export function acquireLock(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  if (heldHere.has(dir)) throw new DataDirLockedError(`data directory ${dir} is already open in this process`);
  const me: LockOwner = { pid: process.pid, start: processStart(process.pid) };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(me));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      heldHere.add(dir);
      return {
        release() {
          heldHere.delete(dir);
          const owner = readOwner(file);
          if (owner?.pid === me.pid && owner.start === me.start) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (owner && owner.pid !== process.pid && isAlive(owner)) {
      throw new DataDirLockedError(
        `data directory ${dir} is in use by process ${owner.pid}; stop that process, or use another data directory`,
      );
    }
    // Stale: move it aside atomically, so two processes taking over race on the rename, not the write.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      continue;
    }
    const moved = readOwner(aside);
    if (moved && moved.pid !== owner?.pid && isAlive(moved)) {
      fs.renameSync(aside, file); // we moved a lock someone took in between: give it back
      throw new DataDirLockedError(`data directory ${dir} is in use by process ${moved.pid}`);
    }
    fs.rmSync(aside, { force: true });
  }
  throw new DataDirLockedError(`could not take the lock on data directory ${dir}`);
}
