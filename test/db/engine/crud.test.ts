import { Long, ObjectId } from 'bson';
import { CursorRegistry } from '../../../src/db/embedded/engine/cursors';
import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

describe('engine: insert, find and cursors', () => {
  const h = harness();
  afterAll(() => h.engine.close());

  test('insert adds an ObjectId _id first and answers n', async () => {
    const reply = await h.run({ insert: 'people', documents: [{ name: 'Ann' }, { name: 'Bob', _id: 7 }] });
    expect(reply).toEqual({ n: 2, ok: 1 });
    const docs = await h.findAll('people');
    expect(docs.map((d) => d.name)).toEqual(['Ann', 'Bob']);
    expect(docs[0]._id).toBeInstanceOf(ObjectId);
    expect(Object.keys(docs[0])[0]).toBe('_id');
  });

  test('find applies filter, sort, skip, limit and projection', async () => {
    await h.run({ insert: 'nums', documents: [5, 3, 9, 1, 7].map((n) => ({ _id: n, n, sq: n * n, tag: n > 4 ? 'big' : 'small' })) });
    const docs = await h.findAll('nums', { tag: 'big' }, { sort: { n: -1 }, skip: 1, limit: 1, projection: { sq: 1, _id: 0 } });
    expect(docs).toEqual([{ sq: 49 }]);
  });

  test('natural order is insertion order and survives updates; sorts are stable', async () => {
    await h.run({ insert: 'order', documents: [{ _id: 'c', k: 1 }, { _id: 'a', k: 0 }, { _id: 'b', k: 1 }] });
    await h.run({ update: 'order', updates: [{ q: { _id: 'c' }, u: { $set: { touched: true } } }] });
    expect((await h.findAll('order')).map((d) => d._id)).toEqual(['c', 'a', 'b']);
    expect((await h.findAll('order', {}, { sort: { k: -1 } })).map((d) => d._id)).toEqual(['c', 'b', 'a']);
  });

  test('first batch holds 101 documents, getMore hands out the rest, then the cursor id is 0', async () => {
    await h.run({ insert: 'many', documents: Array.from({ length: 250 }, (_, i) => ({ i })) });
    const first = (await h.run({ find: 'many' })).cursor as Document;
    expect((first.firstBatch as Document[]).length).toBe(101);
    expect(first.ns).toBe('enginetest.many');
    expect(Long.fromValue(first.id as Long).isZero()).toBe(false);
    const second = (await h.run({ getMore: first.id, collection: 'many', batchSize: 100 })).cursor as Document;
    expect((second.nextBatch as Document[]).map((d) => d.i)).toEqual(Array.from({ length: 100 }, (_, i) => i + 101));
    const third = (await h.run({ getMore: first.id, collection: 'many' })).cursor as Document;
    expect((third.nextBatch as Document[]).length).toBe(49);
    expect(Long.fromValue(third.id as Long).isZero()).toBe(true);
    const gone = await h.raw({ getMore: first.id, collection: 'many' });
    expect(gone).toMatchObject({ ok: 0, code: 43, codeName: 'CursorNotFound' });
  });

  test('singleBatch and a negative limit close the cursor at once', async () => {
    const single = (await h.run({ find: 'many', batchSize: 10, singleBatch: true })).cursor as Document;
    expect((single.firstBatch as Document[]).length).toBe(10);
    expect(Long.fromValue(single.id as Long).isZero()).toBe(true);
    const neg = (await h.run({ find: 'many', limit: -5 })).cursor as Document;
    expect((neg.firstBatch as Document[]).length).toBe(5);
    expect(Long.fromValue(neg.id as Long).isZero()).toBe(true);
  });

  test('killCursors answers which cursors it killed and which it did not know', async () => {
    const open = (await h.run({ find: 'many', batchSize: 2 })).cursor as Document;
    const reply = await h.run({ killCursors: 'many', cursors: [open.id, Long.fromNumber(424242)] });
    expect((reply.cursorsKilled as Long[]).map(String)).toEqual([String(open.id)]);
    expect((reply.cursorsNotFound as Long[]).map(String)).toEqual(['424242']);
  });

  test('a caller can never mutate stored state through inserted or returned documents', async () => {
    const doc = { _id: 'shared', nested: { list: [1, 2] }, when: new Date(1000) };
    await h.run({ insert: 'iso', documents: [doc] });
    doc.nested.list.push(3);
    doc.when.setTime(5);
    const [found] = await h.findAll('iso');
    expect(found).toEqual({ _id: 'shared', nested: { list: [1, 2] }, when: new Date(1000) });
    (found.nested as Document).list = [];
    expect((await h.findAll('iso'))[0].nested).toEqual({ list: [1, 2] });
  });

  test('delete honours limit 1 and limit 0', async () => {
    await h.run({ insert: 'del', documents: [{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }] });
    expect(await h.run({ delete: 'del', deletes: [{ q: { g: 1 }, limit: 1 }] })).toEqual({ n: 1, ok: 1 });
    expect(await h.run({ delete: 'del', deletes: [{ q: { g: 1 }, limit: 0 }] })).toEqual({ n: 2, ok: 1 });
    expect((await h.findAll('del')).map((d) => d.g)).toEqual([2]);
  });

  test('count and distinct (distinct unwinds arrays)', async () => {
    await h.run({ insert: 'tags', documents: [{ t: ['a', 'b'] }, { t: 'b' }, { t: ['c'] }, { u: 1 }] });
    expect(await h.run({ count: 'tags', query: { t: 'b' } })).toEqual({ n: 2, ok: 1 });
    expect(await h.run({ count: 'tags', query: {}, skip: 1, limit: 2 })).toEqual({ n: 2, ok: 1 });
    expect(((await h.run({ distinct: 'tags', key: 't' })).values as string[]).sort()).toEqual(['a', 'b', 'c']);
  });

  test('projection supports $slice, $elemMatch and the positional $', async () => {
    await h.run({ insert: 'proj', documents: [{ _id: 1, items: [{ k: 'a' }, { k: 'b' }, { k: 'c' }], other: 1 }] });
    expect(await h.findAll('proj', {}, { projection: { items: { $slice: -1 }, other: 0 } })).toEqual([{ _id: 1, items: [{ k: 'c' }] }]);
    expect(await h.findAll('proj', {}, { projection: { items: { $elemMatch: { k: 'b' } } } })).toEqual([{ _id: 1, items: [{ k: 'b' }] }]);
    expect(await h.findAll('proj', { 'items.k': 'b' }, { projection: { 'items.$': 1 } })).toEqual([{ _id: 1, items: [{ k: 'b' }] }]);
    const mixed = await h.raw({ find: 'proj', projection: { a: 1, b: 0 } });
    expect(mixed).toMatchObject({ ok: 0, code: 2 });
  });

  test('top-level projections keep the document order and treat _id as MongoDB does', async () => {
    await h.run({ insert: 'top', documents: [{ _id: 1, b: 2, a: 1, c: { d: 3 }, e: [1, 2] }] });
    expect(await h.findAll('top', {}, { projection: { a: 1, b: 1 } })).toEqual([{ _id: 1, b: 2, a: 1 }]);
    expect(Object.keys((await h.findAll('top', {}, { projection: { a: 1, b: 1 } }))[0])).toEqual(['_id', 'b', 'a']);
    expect(await h.findAll('top', {}, { projection: { c: 1, _id: 0 } })).toEqual([{ c: { d: 3 } }]);
    expect(await h.findAll('top', {}, { projection: { c: 0, e: false } })).toEqual([{ _id: 1, b: 2, a: 1 }]);
    expect(await h.findAll('top', {}, { projection: { _id: 0 } })).toEqual([{ b: 2, a: 1, c: { d: 3 }, e: [1, 2] }]);
    expect(await h.findAll('top', {}, { projection: { _id: 1 } })).toEqual([{ _id: 1 }]);
    expect(await h.findAll('top', {}, { projection: { missing: 1 } })).toEqual([{ _id: 1 }]);
    // what the projection returned is a copy: changing it changes nothing stored
    const [copy] = await h.findAll('top', {}, { projection: { c: 1 } });
    (copy.c as { d: number }).d = 99;
    expect(await h.findAll('top', {}, { projection: { c: 1 } })).toEqual([{ _id: 1, c: { d: 3 } }]);
  });

  test('top-level $-prefixed field names are stored (MongoDB 5+); an _id holding one is refused', async () => {
    expect(await h.run({ insert: 'dollar', documents: [{ _id: 1, $where: 1 }] })).toMatchObject({ n: 1 });
    expect(await h.findAll('dollar')).toEqual([{ _id: 1, $where: 1 }]);
    const reply = await h.run({ insert: 'dollar', documents: [{ _id: { $a: 1 } }] });
    expect(reply).toMatchObject({ n: 0, writeErrors: [{ index: 0, code: 52, codeName: 'DollarPrefixedFieldName' }] });
  });

  test('$in and $nin: array elements, regexes, null for missing, numbers of any width', async () => {
    await h.run({ insert: 'inq', documents: [{ _id: 1, v: ['x', 'y'] }, { _id: 2, v: 'Zed' }, { _id: 3 }, { _id: 4, v: 2 }, { _id: 5, v: { a: 1 } }] });
    const ids = async (filter: Document) => (await h.findAll('inq', filter)).map((d) => d._id);
    expect(await ids({ v: { $in: ['y', /^z/i] } })).toEqual([1, 2]);
    expect(await ids({ v: { $in: [null, 2.0] } })).toEqual([3, 4]);
    expect(await ids({ v: { $in: [{ a: 1 }] } })).toEqual([5]);
    expect(await ids({ v: { $nin: ['x', null] } })).toEqual([2, 4, 5]);
    expect(await h.raw({ find: 'inq', filter: { v: { $in: 'x' } } })).toMatchObject({ ok: 0 });
  });

  test('a find on a missing collection answers an empty batch', async () => {
    const cursor = (await h.run({ find: 'nothing_here', filter: { a: 1 } })).cursor as Document;
    expect(cursor.firstBatch).toEqual([]);
    expect(Long.fromValue(cursor.id as Long).isZero()).toBe(true);
  });

  test('generic fields drivers add (lsid, $clusterTime, readConcern, comment...) are ignored', async () => {
    const reply = await h.run({
      find: 'people', filter: { name: 'Bob' }, lsid: { id: new ObjectId() }, $clusterTime: {}, $readPreference: { mode: 'primary' },
      readConcern: { level: 'local' }, writeConcern: { w: 1 }, apiVersion: '1', comment: 'x', maxTimeMS: 100, hint: { $natural: 1 }, collation: { locale: 'en' },
    });
    expect(((reply.cursor as Document).firstBatch as Document[]).map((d) => d.name)).toEqual(['Bob']);
  });
});

describe('cursor registry', () => {
  test('cursors idle for more than ten minutes are closed', () => {
    const registry = new CursorRegistry();
    const docs = Array.from({ length: 5 }, (_, i) => ({ i }));
    const idle = registry.firstBatch('db.c', docs, 2);
    registry.expireIdle(Date.now() + 9 * 60_000);
    expect(registry.size).toBe(1);
    registry.expireIdle(Date.now() + 11 * 60_000);
    expect(registry.size).toBe(0);
    expect(() => registry.getMore(idle.id, 'db.c', 2)).toThrow(/not found/);
  });
});
