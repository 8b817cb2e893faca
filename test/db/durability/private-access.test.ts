import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Binary, MongoClient } from 'mongodb';
import { loadConfig } from '../../../src/config';
import { chooseDatabase, socketPathFor } from '../../../src/db';
import { startEmbeddedServer } from '../../../src/db/embedded';
import { quietLogger } from '../../../src/log';
import { removeDir, tempDataDir } from './helpers';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** The TCP ports this process is listening on, read from the kernel's own tables (not from our code). */
function ourListeningTcpPorts(): Set<number> {
  const ours = new Set<string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode) ours.add(inode);
    } catch {
      // an fd closed while we looked
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === '0A' && ours.has(cols[9])) ports.add(parseInt(cols[1].split(':').pop()!, 16)); // 0A = LISTEN
    }
  }
  return ports;
}

test('the tool’s embedded database opens no TCP port: only a 0600 socket in a 0700 DATA_DIR, with its files 0600', async () => {
  const root = tempDataDir('private');
  try {
    // The check sees a TCP listener when there is one (the test engine keeps loopback TCP).
    const tcp = await startEmbeddedServer({});
    expect(ourListeningTcpPorts().has(tcp.port)).toBe(true);
    await tcp.close();

    const dataDir = path.join(root, 'data');
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    const before = ourListeningTcpPorts();
    const db = await chooseDatabase(config, quietLogger());
    try {
      expect(ourListeningTcpPorts()).toEqual(before);
      expect(db.uri).toBe(`mongodb://${encodeURIComponent(socketPathFor(dataDir))}/cmalt`);
      const socket = socketPathFor(dataDir);
      expect(fs.statSync(socket).isSocket()).toBe(true);
      expect(modeOf(socket)).toBe(0o600);
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(path.join(dataDir, 'db'))).toBe(0o700);

      const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 10_000 });
      await client.db().collection('portfolios').insertOne({ owner: 'ada', photo: new Binary(randomBytes(64 * 1024)) });
      expect(await client.db().collection('portfolios').countDocuments()).toBe(1);
      await client.close();
    } finally {
      await db.close();
    }
    // After the close-time snapshot: journal, snapshot and key are all the tool's user's only.
    const files = fs.readdirSync(path.join(dataDir, 'db'));
    expect(files.some((f) => f.startsWith('snapshot.'))).toBe(true);
    expect(files).not.toContain('mongodb.sock');
    for (const file of files.filter((f) => f !== 'blobs')) expect([file, modeOf(path.join(dataDir, 'db', file))]).toEqual([file, 0o600]);
    // large binaries (evidence files' chunks) are kept in the blob directory, as private as the journal
    const blobs = path.join(dataDir, 'db', 'blobs');
    expect(modeOf(blobs)).toBe(0o700);
    const blobFiles = fs.readdirSync(blobs);
    expect(blobFiles).toHaveLength(1);
    for (const file of blobFiles) expect([file, modeOf(path.join(blobs, file))]).toEqual([file, 0o600]);
    expect(modeOf(path.join(dataDir, 'lti-key'))).toBe(0o600);
  } finally {
    removeDir(root);
  }
});

test('a data directory left readable by an earlier version is made private on start, and a stale socket is replaced', async () => {
  const root = tempDataDir('private-old');
  try {
    const dataDir = path.join(root, 'data');
    const dbDir = path.join(dataDir, 'db');
    fs.mkdirSync(dbDir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dbDir, 0o755);
    fs.writeFileSync(path.join(dbDir, 'journal.0.bson'), '', { mode: 0o644 });
    fs.chmodSync(path.join(dbDir, 'journal.0.bson'), 0o644);
    // A socket file left behind by a crash: nobody answers on it.
    const stale = net.createServer();
    await new Promise<void>((resolve) => stale.listen(socketPathFor(dataDir), resolve));
    const dangling = socketPathFor(dataDir) + '.keep';
    fs.renameSync(socketPathFor(dataDir), dangling);
    await new Promise<void>((resolve) => stale.close(() => resolve()));
    fs.renameSync(dangling, socketPathFor(dataDir));

    const db = await chooseDatabase(loadConfig({ DATA_DIR: dataDir, LTI_KEY: 'a-key-of-sixteen-chars-or-more' }), quietLogger());
    try {
      expect(modeOf(dbDir)).toBe(0o700);
      expect(modeOf(path.join(dbDir, 'journal.0.bson'))).toBe(0o600);
      const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 10_000 });
      await client.db().command({ ping: 1 });
      await client.close();
    } finally {
      await db.close();
    }
  } finally {
    removeDir(root);
  }
});
