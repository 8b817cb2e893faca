import { createEngine } from '../../../src/db/embedded/engine';
import type { Document, JournalOp } from '../../../src/db/embedded/types';

/** An engine whose journal can be made to refuse, and a picture of everything a client could read. */
function engineWithDisk() {
  const state = { full: false, held: [] as Array<() => void> };
  const engine = createEngine({
    persist: (_ops: JournalOp[]) => {
      if (state.full) return Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' }));
      return Promise.resolve();
    },
  });
  const picture = async (): Promise<unknown> => {
    const dbs = ((await engine.execute('admin', { listDatabases: 1 })).databases as Document[]).map((d) => String(d.name));
    const out: Record<string, unknown> = {};
    for (const db of dbs) {
      const colls = ((await engine.execute(db, { listCollections: 1 })).cursor as Document).firstBatch as Document[];
      for (const c of colls) {
        const name = String(c.name);
        out[`${db}.${name}`] = {
          docs: ((await engine.execute(db, { find: name, filter: {} })).cursor as Document).firstBatch,
          indexes: ((await engine.execute(db, { listIndexes: name })).cursor as Document).firstBatch,
        };
      }
    }
    return out;
  };
  return { engine, state, picture };
}

test('every kind of write the journal refuses is undone exactly, natural order and indexes included', async () => {
  const { engine, state, picture } = engineWithDisk();
  const run = (db: string, cmd: Document) => engine.execute(db, cmd);
  await run('a', { insert: 'people', documents: [{ _id: 1, email: 'x' }, { _id: 2, email: 'y' }, { _id: 3, email: 'z' }] });
  await run('a', { createIndexes: 'people', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] });
  await run('a', { insert: 'other', documents: [{ _id: 1 }] });
  await run('b', { insert: 'things', documents: [{ _id: 'k', n: 1 }] });
  const before = await picture();

  state.full = true;
  const refused = [
    { insert: 'people', documents: [{ _id: 4, email: 'w' }] },
    { insert: 'fresh', documents: [{ _id: 1 }] },
    { update: 'people', updates: [{ q: { _id: 2 }, u: { $set: { email: 'moved' } } }, { q: { _id: 9 }, u: { $set: { n: 1 } }, upsert: true }] },
    { update: 'people', updates: [{ q: {}, u: { $set: { seen: true } }, multi: true }] },
    { delete: 'people', deletes: [{ q: { _id: 2 }, limit: 1 }] },
    { delete: 'people', deletes: [{ q: {}, limit: 0 }] },
    { findAndModify: 'people', query: { _id: 1 }, remove: true },
    { findAndModify: 'people', query: { _id: 3 }, update: { $inc: { n: 1 } } },
    { createIndexes: 'people', indexes: [{ key: { n: 1 }, name: 'n_1' }] },
    { dropIndexes: 'people', index: 'email_1' },
    { drop: 'other' },
    { create: 'made' },
  ];
  for (const cmd of refused) expect(await run('a', cmd)).toMatchObject({ ok: 0, codeName: 'OutOfDiskSpace' });
  expect(await run('b', { dropDatabase: 1 })).toMatchObject({ ok: 0, codeName: 'OutOfDiskSpace' });
  // all at once, so later writes build on earlier ones that fail with them
  const together = await Promise.all([
    run('a', { update: 'people', updates: [{ q: { _id: 1 }, u: { $set: { email: 'same' } } }] }),
    run('a', { delete: 'people', deletes: [{ q: { _id: 1 }, limit: 1 }] }),
    run('a', { insert: 'people', documents: [{ _id: 1, email: 'same' }] }),
  ]);
  for (const r of together) expect(r).toMatchObject({ ok: 0 });
  expect(await picture()).toEqual(before);

  state.full = false;
  // the unique index is still whole: it refuses a duplicate and accepts a new value
  expect(await run('a', { insert: 'people', documents: [{ _id: 5, email: 'x' }] })).toMatchObject({ writeErrors: [{ code: 11000 }] });
  expect(await run('a', { insert: 'people', documents: [{ _id: 5, email: 'v' }] })).toMatchObject({ n: 1, ok: 1 });
  engine.close();
});

test('a read waits for a write in flight, and never sees it when the journal refuses it', async () => {
  let refuse!: (err: Error) => void;
  const engine = createEngine({ persist: () => new Promise((_, reject) => (refuse = reject)) });
  const write = engine.execute('a', { insert: 'c', documents: [{ _id: 1, text: 'never saved' }] });
  const read = engine.execute('a', { find: 'c', filter: {} });
  let readDone = false;
  void read.then(() => (readDone = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(readDone).toBe(false);
  refuse(Object.assign(new Error('io'), { code: 'EIO' }));
  expect(await write).toMatchObject({ ok: 0, codeName: 'FileStreamFailed' });
  expect(await read).toMatchObject({ ok: 1, cursor: { firstBatch: [] } });
  engine.close();
});
