import { ObjectId } from 'bson';
import { createEngine } from '../../../src/db/embedded/engine';
import type { Document, JournalOp } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

describe('engine: persistence hook, replay and snapshots', () => {
  test('each write hands its ops to persist, and the reply waits for it', async () => {
    let release: () => void = () => undefined;
    const seen: JournalOp[][] = [];
    const engine = createEngine({
      persist: (ops) => {
        seen.push(ops);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    let replied = false;
    const pending = engine.execute('j', { insert: 'c', documents: [{ _id: 1 }] }).then((r) => {
      replied = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(replied).toBe(false);
    expect(seen).toEqual([[{ op: 'createColl', db: 'j', coll: 'c' }, { op: 'put', db: 'j', coll: 'c', doc: { _id: 1 } }]]);
    release();
    expect(await pending).toEqual({ n: 1, ok: 1 });
    engine.close();
  });

  test('reads do not call persist; a failing persist becomes an error reply and leaves no trace', async () => {
    let calls = 0;
    const engine = createEngine({
      persist: async () => {
        calls++;
        throw new Error('disk full');
      },
    });
    expect(await engine.execute('j', { find: 'c', filter: {} })).toMatchObject({ ok: 1 });
    expect(calls).toBe(0);
    expect(await engine.execute('j', { insert: 'c', documents: [{}] })).toMatchObject({ ok: 0, code: 39, codeName: 'FileStreamFailed' });
    const full = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    const engine2 = createEngine({ persist: async () => Promise.reject(full) });
    expect(await engine2.execute('j', { insert: 'c', documents: [{ _id: 1 }] })).toMatchObject({ ok: 0, codeName: 'OutOfDiskSpace' });
    expect(await engine.execute('j', { listCollections: 1 })).toMatchObject({ cursor: { firstBatch: [] } });
    engine.close();
    engine2.close();
  });

  test('snapshotOps replayed with applyOp rebuilds collections, indexes and documents', async () => {
    const h = harness();
    await h.run({ createIndexes: 'people', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] });
    await h.run({ insert: 'people', documents: [{ _id: new ObjectId(), email: 'a' }, { _id: 2, email: 'b', when: new Date(5) }] });
    await h.run({ update: 'people', updates: [{ q: { _id: 2 }, u: { $set: { email: 'c' } } }] });
    await h.run({ create: 'empty' });
    const copy = createEngine({});
    for (const op of h.engine.snapshotOps()) copy.applyOp(op);
    const docs = ((await copy.execute('enginetest', { find: 'people' })).cursor as Document).firstBatch;
    expect(docs).toEqual(await h.findAll('people'));
    const dup = await copy.execute('enginetest', { insert: 'people', documents: [{ email: 'c' }] });
    expect((dup.writeErrors as Document[])[0]).toMatchObject({ code: 11000 });
    const names = ((await copy.execute('enginetest', { listCollections: 1, nameOnly: true })).cursor as Document).firstBatch as Document[];
    expect(names.map((n) => n.name).sort()).toEqual(['empty', 'people']);
    // the journal the harness recorded replays to the same state as the snapshot
    const replayed = createEngine({});
    for (const op of h.journal) replayed.applyOp(op);
    expect(((await replayed.execute('enginetest', { find: 'people' })).cursor as Document).firstBatch).toEqual(docs);
    h.engine.close();
    copy.close();
    replayed.close();
  });
});

describe('engine: TTL indexes', () => {
  test('expired documents are removed by the sweep and the deletions are journaled', async () => {
    const h = harness({ ttlSweepMs: 30 });
    await h.run({ createIndexes: 'sessions', indexes: [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60 }] });
    const old = new Date(Date.now() - 120_000);
    await h.run({ insert: 'sessions', documents: [{ _id: 'old', at: old }, { _id: 'fresh', at: new Date() }, { _id: 'nodate', at: 'x' }, { _id: 'none' }] });
    await new Promise((r) => setTimeout(r, 120));
    expect((await h.findAll('sessions')).map((d) => d._id)).toEqual(['fresh', 'nodate', 'none']);
    expect(h.journal).toContainEqual({ op: 'del', db: 'enginetest', coll: 'sessions', id: 'old' });
    h.engine.close();
  });
});
