/**
 * A full or failing disk under autosaving candidates, through real launches: a refused save leaves no
 * trace (reads, versions, the file after a restart), people get a 503 that says their text is kept,
 * /readyz says not ready, the log says it once, and saves go through again once the disk is freed.
 */
import { ObjectId } from 'bson';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { startEmbeddedServer } from '../../../src/db/embedded';
import { journalFaults } from '../../../src/db/embedded/journal';
import type { EmbeddedServer } from '../../../src/db/embedded/types';
import { Section } from '../../../src/portfolio/models';
import { toolSuiteParts } from '../../support/suite';
import { aLaunchedCandidate, type Session } from '../../portfolio/journey';
import { removeDir, tempDataDir } from './helpers';

const dir = tempDataDir('full-disk');
const engineLog: Array<{ level: string; msg?: string }> = [];
const appErrors: string[] = [];
let server: EmbeddedServer;
const previousBase = process.env.CMALT_TEST_MONGO_BASE;
const parts = toolSuiteParts('full-disk', {
  tool: { log: pino({ level: 'error' }, { write: (line: string) => void appErrors.push(line) }) },
});
const suite = parts.suite;
let toolOpen = false;

beforeAll(async () => {
  server = await startEmbeddedServer({
    dataDir: dir,
    log: {
      warn: (_obj, msg) => void engineLog.push({ level: 'warn', msg }),
      info: (_obj, msg) => void engineLog.push({ level: 'info', msg }),
    },
  });
  process.env.CMALT_TEST_MONGO_BASE = server.uri; // the tool's fresh database lives on this journaled server
  await parts.start();
  toolOpen = true;
});

afterAll(async () => {
  journalFaults.next = undefined;
  if (toolOpen) await parts.close();
  await server.close();
  process.env.CMALT_TEST_MONGO_BASE = previousBase;
  removeDir(dir);
});

const fault = (code: 'ENOSPC' | 'EIO', stage: 'write' | 'sync') => () => {
  journalFaults.next = (at) => (at === stage ? Object.assign(new Error(`${code}: injected`), { code }) : undefined);
};

interface Writer {
  session: Session;
  section: string;
  version: number;
  acknowledged: string; // the last text the server said it saved
}

/** One autosave as the editor sends it: the text and the version it was based on. */
async function autosave(w: Writer, body: string): Promise<{ status: number; json: { version?: number; error?: { message: string } } }> {
  const r = await w.session.put(`/portfolio/sections/${w.section}`, { baseVersion: w.version, body });
  const json = JSON.parse(r.html) as { version?: number; error?: { message: string } };
  if (r.status === 200) {
    w.version = json.version!;
    w.acknowledged = body;
  }
  return { status: r.status, json };
}

/** Retries like the editor does after a failure, with a growing pause, until the server takes the text. */
async function saveWhenPossible(w: Writer, body: string): Promise<void> {
  for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
    const r = await autosave(w, body);
    if (r.status === 200) return;
    expect(r.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

const readyz = async () => (await fetch(`${suite.tool.baseUrl}/readyz`)).status;
const warnings = () => engineLog.filter((l) => l.level === 'warn').map((l) => l.msg);

test('a full, then failing, disk refuses saves without a trace, says so once, and recovers by itself', async () => {
  const course = suite.platform.course({ title: 'Full disk course' });
  const writers: Writer[] = [];
  for (const name of ['Ada Autosave', 'Bo Backspace', 'Cy Cursor']) {
    const c = await aLaunchedCandidate(suite.tool, suite.platform, course, name);
    const w: Writer = { session: c.session, section: c.id('contextual'), version: 0, acknowledged: '' };
    expect((await autosave(w, `<p>${name} first words</p>`)).status).toBe(200);
    writers.push(w);
  }
  expect(await readyz()).toBe(200);

  for (const [episode, [code, stage]] of ([['ENOSPC', 'write'], ['EIO', 'sync']] as const).entries()) {
    fault(code, stage)();
    // Every writer autosaves three times at once, and a reader opens the page while the saves fail.
    const attempts = writers.flatMap((w) => [1, 2, 3].map((n) => autosave(w, `<p>${code} attempt ${n} by ${w.section}</p>`)));
    const page = writers[0].session.get(`/portfolio/sections/${writers[0].section}`);
    const answers = await Promise.all(attempts);
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(a.json.error?.message).toBe('Your text could not be saved on the server; it is kept on this computer. Try again in a few minutes.');
    }
    expect((await page).html).not.toContain(`${code} attempt`);
    for (const w of writers) {
      // nothing of the refused saves: the stored text and version are the last acknowledged ones
      expect(await Section.findById(w.section).lean()).toMatchObject({ body: w.acknowledged, version: w.version });
      expect((await w.session.get(`/portfolio/sections/${w.section}`)).html).not.toContain(`${code} attempt`);
    }
    // A form post gets the same refusal as a page, not the generic error page.
    const form = await writers[1].session.post(`/portfolio/sections/${writers[1].section}`, { baseVersion: String(writers[1].version), format: 'text', body: 'From the form' });
    expect(form.status).toBe(503);
    expect(form.html).toContain('The server cannot store changes just now, so nothing was changed.');
    expect(await readyz()).toBe(503);
    expect(warnings().filter((m) => m?.startsWith('journal write failed'))).toHaveLength(episode + 1); // once per episode, not per save

    journalFaults.next = undefined; // space freed / the disk answers again
    await Promise.all(writers.map((w) => saveWhenPossible(w, `<p>${w.section} saved after ${code}</p>`)));
    expect(await readyz()).toBe(200);
    for (const w of writers) expect(await Section.findById(w.section).lean()).toMatchObject({ body: w.acknowledged, version: w.version });
  }
  expect(writers.map((w) => w.version)).toEqual([3, 3, 3]); // versions moved only on acknowledged saves
  expect(engineLog.filter((l) => l.msg === 'journal writable again: accepting writes')).toHaveLength(2);
  expect(appErrors).toEqual([]); // no stack trace per refused request

  // After a restart the journal holds exactly the acknowledged text.
  const dbName = new URL(suite.tool.dbUri).pathname.slice(1);
  await parts.close();
  toolOpen = false;
  await server.close();
  server = await startEmbeddedServer({ dataDir: dir, log: { warn: () => undefined, info: () => undefined } });
  const client = new MongoClient(server.uri);
  try {
    const stored = await client.db(dbName).collection('sections').find({ _id: { $in: writers.map((w) => new ObjectId(w.section)) } }).toArray();
    expect(stored.map((s) => [String(s._id), s.body, s.version]).sort()).toEqual(writers.map((w) => [w.section, w.acknowledged, w.version]).sort());
  } finally {
    await client.close();
  }
});
