import { ObjectId } from 'bson';
import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

describe('engine: update semantics mingo leaves to us', () => {
  const h = harness();
  afterAll(() => h.engine.close());
  const one = async (coll: string, filter: Document = {}) => (await h.findAll(coll, filter))[0];

  test('update answers n and nModified, and does not count a no-op as modified', async () => {
    await h.run({ insert: 'u1', documents: [{ _id: 1, a: 1 }, { _id: 2, a: 1 }] });
    expect(await h.run({ update: 'u1', updates: [{ q: { a: 1 }, u: { $set: { a: 1 } }, multi: true }] })).toEqual({ n: 2, nModified: 0, ok: 1 });
    expect(await h.run({ update: 'u1', updates: [{ q: { a: 1 }, u: { $inc: { a: 1 } }, multi: true }] })).toEqual({ n: 2, nModified: 2, ok: 1 });
    expect(await h.run({ update: 'u1', updates: [{ q: { a: 2 }, u: { $inc: { a: 1 } } }] })).toEqual({ n: 1, nModified: 1, ok: 1 });
  });

  test('$setOnInsert applies on upsert only', async () => {
    const up = await h.run({ update: 'u2', updates: [{ q: { k: 'x' }, u: { $set: { v: 1 }, $setOnInsert: { created: 1 } }, upsert: true }] });
    expect(up).toMatchObject({ n: 1, nModified: 0, upserted: [{ index: 0 }] });
    expect((up.upserted as Document[])[0]._id).toBeInstanceOf(ObjectId);
    await h.run({ update: 'u2', updates: [{ q: { k: 'x' }, u: { $set: { v: 2 }, $setOnInsert: { created: 2 } }, upsert: true }] });
    expect(await one('u2')).toMatchObject({ k: 'x', v: 2, created: 1 });
    const onlyOnInsert = await h.run({ update: 'u2', updates: [{ q: { k: 'x' }, u: { $setOnInsert: { created: 3 } }, upsert: true }] });
    expect(onlyOnInsert).toEqual({ n: 1, nModified: 0, ok: 1 });
  });

  test('an upsert builds its document from the query equalities ($eq, dotted paths, $and) and ignores ranges', async () => {
    await h.run({
      update: 'u3',
      updates: [{ q: { _id: 'seed', 'who.name': 'Ann', role: { $eq: 'mentor' }, $and: [{ course: 'c1' }], age: { $gt: 3 } }, u: { $inc: { n: 1 } }, upsert: true }],
    });
    expect(await one('u3')).toEqual({ _id: 'seed', who: { name: 'Ann' }, role: 'mentor', course: 'c1', n: 1 });
  });

  test('a replacement keeps _id; a replacement upsert takes _id from the query', async () => {
    await h.run({ insert: 'u4', documents: [{ _id: 'r', a: 1, b: 2 }] });
    await h.run({ update: 'u4', updates: [{ q: { _id: 'r' }, u: { c: 3 } }] });
    expect(await one('u4', { _id: 'r' })).toEqual({ _id: 'r', c: 3 });
    const up = await h.run({ update: 'u4', updates: [{ q: { _id: 'new' }, u: { d: 4 }, upsert: true }] });
    expect(up.upserted).toEqual([{ index: 0, _id: 'new' }]);
    expect(await one('u4', { _id: 'new' })).toEqual({ _id: 'new', d: 4 });
  });

  test('_id is immutable: ImmutableField (66), and nothing changes', async () => {
    await h.run({ insert: 'u5', documents: [{ _id: 1, a: 1 }] });
    const viaSet = await h.run({ update: 'u5', updates: [{ q: { _id: 1 }, u: { $set: { _id: 2, a: 9 } } }] });
    expect(viaSet.writeErrors).toEqual([expect.objectContaining({ index: 0, code: 66, codeName: 'ImmutableField' })]);
    const viaReplace = await h.run({ update: 'u5', updates: [{ q: { _id: 1 }, u: { _id: 3, a: 9 } }] });
    expect((viaReplace.writeErrors as Document[])[0]).toMatchObject({ code: 66, codeName: 'ImmutableField' });
    const viaFam = await h.raw({ findAndModify: 'u5', query: { _id: 1 }, update: { $set: { _id: 4 } } });
    expect(viaFam).toMatchObject({ ok: 0, code: 66, codeName: 'ImmutableField' });
    expect(await one('u5')).toEqual({ _id: 1, a: 1 });
  });

  test('conflicting paths answer ConflictingUpdateOperators (40)', async () => {
    await h.run({ insert: 'u6', documents: [{ _id: 1, a: { b: 1 } }] });
    const reply = await h.run({ update: 'u6', updates: [{ q: { _id: 1 }, u: { $set: { a: 1 }, $inc: { 'a.b': 1 } } }] });
    expect((reply.writeErrors as Document[])[0]).toMatchObject({ code: 40, codeName: 'ConflictingUpdateOperators' });
    expect(await one('u6')).toEqual({ _id: 1, a: { b: 1 } });
  });

  test('positional $, $[] and $[ident] with arrayFilters', async () => {
    await h.run({ insert: 'u7', documents: [{ _id: 1, items: [{ k: 'a', n: 1 }, { k: 'b', n: 2 }, { k: 'c', n: 3 }] }] });
    await h.run({ update: 'u7', updates: [{ q: { _id: 1, 'items.k': 'b' }, u: { $set: { 'items.$.n': 20 } } }] });
    await h.run({ update: 'u7', updates: [{ q: { _id: 1 }, u: { $inc: { 'items.$[].n': 1 } } }] });
    await h.run({ update: 'u7', updates: [{ q: { _id: 1 }, u: { $set: { 'items.$[big].flag': true } }, arrayFilters: [{ 'big.n': { $gte: 4 } }] }] });
    expect((await one('u7')).items).toEqual([{ k: 'a', n: 2 }, { k: 'b', n: 21, flag: true }, { k: 'c', n: 4, flag: true }]);
  });

  test('unknown update operators and $inc on text are errors, not silent no-ops', async () => {
    await h.run({ insert: 'u8', documents: [{ _id: 1, s: 'text' }] });
    const unknown = await h.run({ update: 'u8', updates: [{ q: { _id: 1 }, u: { $frobnicate: { s: 1 } } }] });
    expect((unknown.writeErrors as Document[])[0]).toMatchObject({ code: 9, codeName: 'FailedToParse' });
    const mismatch = await h.run({ update: 'u8', updates: [{ q: { _id: 1 }, u: { $inc: { s: 1 } } }] });
    expect((mismatch.writeErrors as Document[])[0]).toMatchObject({ code: 14, codeName: 'TypeMismatch' });
  });

  test('an unknown query operator is BadValue (2), never a silent match', async () => {
    const reply = await h.raw({ find: 'u8', filter: { s: { $almost: 'text' } } });
    expect(reply).toMatchObject({ ok: 0, code: 2, codeName: 'BadValue', errmsg: 'unknown operator: $almost' });
    const top = await h.raw({ find: 'u8', filter: { $almost: 1 } });
    expect(top).toMatchObject({ ok: 0, code: 2, codeName: 'BadValue' });
    const upd = await h.run({ update: 'u8', updates: [{ q: { s: { $almost: 1 } }, u: { $set: { x: 1 } }, upsert: true }] });
    expect((upd.writeErrors as Document[])[0]).toMatchObject({ code: 2 });
  });

  test('ordered batches stop at the first error; unordered batches carry on', async () => {
    await h.run({ insert: 'u9', documents: [{ _id: 1 }] });
    const ordered = await h.run({ insert: 'u9', documents: [{ _id: 2 }, { _id: 1 }, { _id: 3 }] });
    expect(ordered).toMatchObject({ n: 1, writeErrors: [{ index: 1, code: 11000 }] });
    const unordered = await h.run({ insert: 'u9', ordered: false, documents: [{ _id: 1 }, { _id: 4 }, { _id: 2 }, { _id: 5 }] });
    expect(unordered).toMatchObject({ n: 2 });
    expect((unordered.writeErrors as Document[]).map((e) => e.index)).toEqual([0, 2]);
  });

  test('findAndModify: new, fields, sort, upsert and remove', async () => {
    await h.run({ insert: 'fam', documents: [{ _id: 1, p: 2, s: 'open' }, { _id: 2, p: 1, s: 'open' }] });
    const claim = await h.run({ findAndModify: 'fam', query: { s: 'open' }, sort: { p: 1 }, update: { $set: { s: 'taken' } }, new: true, fields: { s: 1 } });
    expect(claim).toEqual({ lastErrorObject: { n: 1, updatedExisting: true }, value: { _id: 2, s: 'taken' }, ok: 1 });
    const before = await h.run({ findAndModify: 'fam', query: { _id: 1 }, update: { $inc: { p: 1 } } });
    expect(before.value).toEqual({ _id: 1, p: 2, s: 'open' });
    const up = await h.run({ findAndModify: 'fam', query: { _id: 9 }, update: { $set: { s: 'new' } }, upsert: true, new: true });
    expect(up).toEqual({ lastErrorObject: { n: 1, updatedExisting: false, upserted: 9 }, value: { _id: 9, s: 'new' }, ok: 1 });
    const removed = await h.run({ findAndModify: 'fam', query: { _id: 9 }, remove: true });
    expect(removed).toEqual({ lastErrorObject: { n: 1 }, value: { _id: 9, s: 'new' }, ok: 1 });
    const none = await h.run({ findAndModify: 'fam', query: { _id: 99 }, update: { $set: { a: 1 } } });
    expect(none).toEqual({ lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 });
  });

  test('pipeline-style updates are applied with mingo', async () => {
    await h.run({ insert: 'pipe', documents: [{ _id: 1, a: 2 }] });
    await h.run({ update: 'pipe', updates: [{ q: { _id: 1 }, u: [{ $set: { b: { $multiply: ['$a', 10] } } }] }] });
    expect(await one('pipe')).toEqual({ _id: 1, a: 2, b: 20 });
  });
});
