import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

describe('engine: admin, catalogue and robustness', () => {
  const h = harness();
  afterAll(() => h.engine.close());

  test('hello answers as a standalone server', async () => {
    for (const name of ['hello', 'isMaster', 'ismaster']) {
      const reply = await h.run({ [name]: 1 }, 'admin');
      expect(reply).toMatchObject({
        ismaster: true, isWritablePrimary: true, helloOk: true, minWireVersion: 0, maxWireVersion: 25, logicalSessionTimeoutMinutes: 30,
        maxBsonObjectSize: 16777216, maxMessageSizeBytes: 48000000, maxWriteBatchSize: 100000, ok: 1,
      });
      expect(reply.localTime).toBeInstanceOf(Date);
      expect(typeof reply.connectionId).toBe('number');
      for (const absent of ['topologyVersion', 'compression', '$clusterTime', 'setName']) expect(reply).not.toHaveProperty(absent);
    }
  });

  test('ping, buildInfo, getParameter, endSessions', async () => {
    expect(await h.run({ ping: 1 })).toEqual({ ok: 1 });
    expect(await h.run({ buildInfo: 1 })).toMatchObject({ version: '8.0.0', versionArray: [8, 0, 0, 0] });
    expect(await h.run({ getParameter: 1, featureCompatibilityVersion: 1 })).toMatchObject({ featureCompatibilityVersion: { version: '8.0' } });
    expect(await h.run({ endSessions: [] })).toEqual({ ok: 1 });
  });

  test('an unknown command is CommandNotFound (59)', async () => {
    expect(await h.raw({ frobnicate: 1 })).toEqual({ ok: 0, errmsg: "no such command: 'frobnicate'", code: 59, codeName: 'CommandNotFound' });
  });

  test('malformed commands answer ok: 0 instead of throwing', async () => {
    expect(await h.raw({ insert: 'x', documents: 'not an array' })).toMatchObject({ ok: 0 });
    expect(await h.raw({ update: 'x', updates: [{ q: {}, u: 5 }] })).toMatchObject({ ok: 1, writeErrors: [expect.objectContaining({ index: 0 })] });
    expect(await h.raw({ aggregate: 'x', pipeline: [{ $nonsense: 1 }], cursor: {} })).toMatchObject({ ok: 0, code: 40324 });
    expect(await h.raw({ find: 'x', filter: 'nope' })).toMatchObject({ ok: 0 });
    expect(await h.raw({})).toMatchObject({ ok: 0, code: 59 });
    expect(await h.raw({ update: 'x', updates: [null] })).toMatchObject({ ok: 1, writeErrors: [expect.objectContaining({ code: 14 })] });
    // clients never get to run JavaScript inside the database
    expect(await h.raw({ find: 'x', filter: { $where: 'this.a > 1' } })).toMatchObject({ ok: 0, code: 2, codeName: 'BadValue' });
    expect(await h.run({ ping: 1 })).toEqual({ ok: 1 });
  });

  test('create, NamespaceExists, listCollections with filter and nameOnly, drop, and dropping a missing collection', async () => {
    expect(await h.run({ create: 'alpha' }, 'cat')).toEqual({ ok: 1 });
    expect(await h.raw({ create: 'alpha' }, 'cat')).toMatchObject({ ok: 0, code: 48, codeName: 'NamespaceExists' });
    await h.run({ insert: 'beta', documents: [{}] }, 'cat');
    const all = (await h.run({ listCollections: 1, cursor: {} }, 'cat')).cursor as Document;
    expect(all.ns).toBe('cat.$cmd.listCollections');
    expect((all.firstBatch as Document[]).map((c) => c.name)).toEqual(['alpha', 'beta']);
    expect((all.firstBatch as Document[])[0]).toMatchObject({ type: 'collection', options: {}, info: { readOnly: false } });
    const one = (await h.run({ listCollections: 1, filter: { name: 'beta' }, nameOnly: true }, 'cat')).cursor as Document;
    expect(one.firstBatch).toEqual([{ name: 'beta', type: 'collection' }]);
    expect(await h.run({ drop: 'alpha' }, 'cat')).toEqual({ ns: 'cat.alpha', nIndexesWas: 1, ok: 1 });
    expect(await h.raw({ drop: 'alpha' }, 'cat')).toEqual({ ok: 1 }); // MongoDB 7+: dropping a missing collection succeeds
  });

  test('listDatabases and dropDatabase', async () => {
    await h.run({ insert: 'c', documents: [{}] }, 'gone');
    const names = ((await h.run({ listDatabases: 1 }, 'admin')).databases as Document[]).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['cat', 'gone']));
    expect(await h.run({ dropDatabase: 1 }, 'gone')).toEqual({ dropped: 'gone', ok: 1 });
    const after = ((await h.run({ listDatabases: 1, nameOnly: true }, 'admin')).databases as Document[]).map((d) => d.name);
    expect(after).not.toContain('gone');
  });

  test('aggregate: $match, $group, $sort, $project, $unwind, $facet, $count, $skip, $limit and $lookup', async () => {
    await h.run({ insert: 'users', documents: [{ _id: 1, name: 'Ann' }, { _id: 2, name: 'Bob' }] }, 'agg');
    await h.run({ insert: 'posts', documents: [{ user: 1, tags: ['a', 'b'] }, { user: 1, tags: ['b'] }, { user: 2, tags: [] }] }, 'agg');
    const byUser = await h.run({
      aggregate: 'posts',
      pipeline: [
        { $group: { _id: '$user', posts: { $sum: 1 } } },
        { $lookup: { from: 'users', localField: '_id', foreignField: '_id', as: 'user' } },
        { $unwind: '$user' },
        { $project: { _id: 0, name: '$user.name', posts: 1 } },
        { $sort: { posts: -1 } },
      ],
      cursor: {},
    }, 'agg');
    expect(byUser.cursor).toMatchObject({ ns: 'agg.posts', firstBatch: [{ name: 'Ann', posts: 2 }, { name: 'Bob', posts: 1 }] });
    const facet = await h.run({
      aggregate: 'posts',
      pipeline: [{ $unwind: '$tags' }, { $facet: { total: [{ $count: 'n' }], page: [{ $sort: { tags: 1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { _id: 0, tags: 1 } }] } }],
      cursor: { batchSize: 10 },
    }, 'agg');
    expect((facet.cursor as Document).firstBatch).toEqual([{ total: [{ n: 3 }], page: [{ tags: 'b' }] }]);
  });

  test('explain, collStats and dbStats give plain answers', async () => {
    expect(await h.run({ explain: { find: 'users', filter: { _id: 1 } } }, 'agg')).toMatchObject({ queryPlanner: { namespace: 'agg.users' }, ok: 1 });
    expect(await h.run({ collStats: 'users' }, 'agg')).toMatchObject({ ns: 'agg.users', count: 2, nindexes: 1 });
    expect(await h.run({ dbStats: 1 }, 'agg')).toMatchObject({ db: 'agg', collections: 2, objects: 5 });
  });
});
