import { BSON, Binary, Decimal128, Long, ObjectId } from 'bson';
import fs from 'node:fs';
import { createEngine } from '../../../src/db/embedded/engine';
import { Journal } from '../../../src/db/embedded/journal';
import type { CommandEngine, Document } from '../../../src/db/embedded/types';
import { captureLog, crashImage, removeDir, tempDataDir } from './helpers';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function openEngine(dir: string, compactBytes: number): Promise<{ engine: CommandEngine; journal: Journal }> {
  const journal = Journal.open({ dataDir: dir, log: captureLog().log, compactBytes });
  const engine = createEngine({ persist: journal.persist });
  await journal.recover(engine);
  return { engine, journal };
}

async function run(engine: CommandEngine, db: string, command: Document): Promise<Document> {
  const reply = await engine.execute(db, command);
  if (reply.ok !== 1) throw new Error(`${Object.keys(command)[0]} failed: ${JSON.stringify(reply)}`);
  return reply;
}

/** Everything a client could observe: collections, their indexes, and their documents in _id order. */
async function dump(engine: CommandEngine, dbs: string[]): Promise<Document> {
  const out: Document = {};
  for (const db of dbs) {
    const colls = (await run(engine, db, { listCollections: 1, nameOnly: true })).cursor as { firstBatch: Array<{ name: string }> };
    for (const { name } of colls.firstBatch.sort((a, b) => a.name.localeCompare(b.name))) {
      const indexes = (await run(engine, db, { listIndexes: name })).cursor as { firstBatch: Document[] };
      const docs = (await run(engine, db, { find: name, filter: {}, sort: { _id: 1 }, batchSize: 1_000_000 })).cursor as { firstBatch: Document[] };
      out[`${db}.${name}`] = { indexes: indexes.firstBatch, docs: docs.firstBatch };
    }
  }
  return out;
}

function snapshotGeneration(dir: string): number {
  const gens = fs.readdirSync(dir).flatMap((n) => /^snapshot\.(\d+)\.bson$/.exec(n)?.[1] ?? []).map(Number);
  return gens.length ? Math.max(...gens) : 0;
}

test('compaction while writing keeps every write, every index and every BSON type', async () => {
  const dir = tempDataDir('compact');
  dirs.push(dir);
  const { engine, journal } = await openEngine(dir, 32 * 1024);
  await run(engine, 'app', { createIndexes: 'people', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] });
  await run(engine, 'app', {
    insert: 'types',
    documents: [{
      _id: new ObjectId(),
      long: Long.fromString('9007199254740993'),
      decimal: Decimal128.fromString('12.3400'),
      binary: new Binary(Buffer.from([1, 2, 3]), 0),
      date: new Date('2026-01-02T03:04:05.678Z'),
      double: 1.5,
      big: 2 ** 40,
      nested: { list: [1, 'two', null, { three: [3] }] },
    }],
  });
  // Many concurrent writers, so compactions happen while writes are queued behind them.
  await Promise.all(Array.from({ length: 400 }, (_, i) =>
    run(engine, 'app', { insert: 'people', documents: [{ _id: i, email: `p${i}@example.ac.uk`, visits: 0, notes: 'n'.repeat(200) }] }),
  ));
  for (let wave = 0; wave < 4; wave += 1) {
    await Promise.all(Array.from({ length: 100 }, (_, i) =>
      run(engine, 'app', { update: 'people', updates: [{ q: { _id: (wave * 100 + i) % 50 }, u: { $inc: { visits: 1 } } }] }),
    ));
  }
  await run(engine, 'app', { delete: 'people', deletes: [{ q: { _id: { $gte: 350 } }, limit: 0 }] });
  await run(engine, 'app', { createIndexes: 'people', indexes: [{ key: { visits: -1 }, name: 'visits_-1' }] });
  await run(engine, 'app', { createIndexes: 'people', indexes: [{ key: { notes: 1 }, name: 'notes_1' }] });
  await run(engine, 'app', { dropIndexes: 'people', index: 'notes_1' });
  await run(engine, 'app', { insert: 'temporary', documents: [{ _id: 1 }] });
  await run(engine, 'app', { drop: 'temporary' });
  await run(engine, 'scratch', { insert: 'gone', documents: [{ _id: 1 }] });
  await run(engine, 'scratch', { dropDatabase: 1 });
  expect(snapshotGeneration(dir)).toBeGreaterThanOrEqual(2); // snapshots are built beside the appends, one at a time

  const expected = await dump(engine, ['app', 'scratch']);
  expect((expected['app.people'] as { docs: unknown[] }).docs).toHaveLength(350);
  const image = crashImage(dir, 'compact-image'); // as a crash would leave it, journal and all
  dirs.push(image);
  engine.close();
  await journal.close();

  for (const reopenDir of [dir, image]) {
    const again = await openEngine(reopenDir, 32 * 1024);
    // compared as BSON: a number the engine was handed (2 ** 40) replays as the double it was stored as
    expect(Buffer.from(BSON.serialize(await dump(again.engine, ['app', 'scratch'])))).toEqual(Buffer.from(BSON.serialize(expected)));
    await expect(again.engine.execute('app', { insert: 'people', documents: [{ _id: 'dup', email: 'p1@example.ac.uk' }] }))
      .resolves.toMatchObject({ writeErrors: [expect.objectContaining({ code: 11000 })] });
    again.engine.close();
    await again.journal.close();
  }
});

test('a clean close leaves a snapshot and an empty journal, and opening it replays no journal', async () => {
  const dir = tempDataDir('clean');
  dirs.push(dir);
  const first = await openEngine(dir, 64 * 1024 * 1024);
  await run(first.engine, 'app', { insert: 'things', documents: [{ _id: 1 }, { _id: 2 }] });
  first.engine.close();
  await first.journal.close();
  const files = fs.readdirSync(dir).sort();
  expect(files).toEqual(['journal.1.bson', 'snapshot.1.bson']);
  expect(fs.statSync(`${dir}/journal.1.bson`).size).toBe(0);
  const second = await openEngine(dir, 64 * 1024 * 1024);
  expect(await dump(second.engine, ['app'])).toMatchObject({ 'app.things': { docs: [{ _id: 1 }, { _id: 2 }] } });
  second.engine.close();
  await second.journal.close();
  expect(fs.readdirSync(dir).sort()).toEqual(['journal.1.bson', 'snapshot.1.bson']);
});

test('a snapshot left half-written by a crash during compaction is ignored', async () => {
  const dir = tempDataDir('halfsnap');
  dirs.push(dir);
  const first = await openEngine(dir, 64 * 1024 * 1024);
  await run(first.engine, 'app', { insert: 'things', documents: [{ _id: 1 }] });
  const image = crashImage(dir, 'halfsnap-image');
  dirs.push(image);
  first.engine.close();
  await first.journal.close();
  fs.writeFileSync(`${image}/snapshot.1.bson.tmp`, Buffer.from('half a snapshot'));
  const again = await openEngine(image, 64 * 1024 * 1024);
  expect(await dump(again.engine, ['app'])).toMatchObject({ 'app.things': { docs: [{ _id: 1 }] } });
  again.engine.close();
  await again.journal.close();
  expect(fs.existsSync(`${image}/snapshot.1.bson.tmp`)).toBe(false);
});

test('a crash while a snapshot is being built (old snapshot, two journals, a partial snapshot) loses nothing', async () => {
  const dir = tempDataDir('mid-build');
  dirs.push(dir);
  const { engine, journal } = await openEngine(dir, 16 * 1024);
  await run(engine, 'app', { createIndexes: 'people', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] });
  let image: string | undefined;
  let atImage: Buffer | undefined;
  let i = 0;
  // Writes go on while snapshots build; copy the directory at a moment two journals exist side by side.
  while (!image && i < 5000) {
    await run(engine, 'app', { insert: 'people', documents: [{ _id: i, email: `p${i}@example.ac.uk`, notes: 'n'.repeat(300) }] });
    // an email moves between people, so a fuzzy snapshot replays through a momentary unique-key clash
    if (i > 0) await run(engine, 'app', { update: 'people', updates: [{ q: { _id: i - 1 }, u: { $set: { email: `moved${i}@example.ac.uk` } } }] });
    i += 1;
    const names = fs.readdirSync(dir);
    if (names.filter((n) => /^journal\.\d+\.bson$/.test(n)).length === 2 && names.some((n) => n.endsWith('.tmp'))) {
      image = crashImage(dir, 'mid-build-image');
      atImage = Buffer.from(BSON.serialize(await dump(engine, ['app']))); // every write acknowledged when the copy was made
    }
  }
  expect(image).toBeDefined();
  dirs.push(image!);
  for (let k = 0; k < 50; k += 1) await run(engine, 'app', { insert: 'people', documents: [{ _id: `after${k}`, email: `after${k}@example.ac.uk` }] });
  const acknowledged = Buffer.from(BSON.serialize(await dump(engine, ['app'])));
  engine.close();
  await journal.close();
  const again = await openEngine(image!, 16 * 1024);
  expect(Buffer.from(BSON.serialize(await dump(again.engine, ['app'])))).toEqual(atImage);
  again.engine.close();
  await again.journal.close();
  const reopened = await openEngine(dir, 16 * 1024);
  expect(Buffer.from(BSON.serialize(await dump(reopened.engine, ['app'])))).toEqual(acknowledged);
  reopened.engine.close();
  await reopened.journal.close();
});
