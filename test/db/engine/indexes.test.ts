import { Collection } from '../../../src/db/embedded/engine/store/collection';
import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

describe('engine: indexes', () => {
  const h = harness();
  afterAll(() => h.engine.close());
  const errorsOf = (reply: Document) => (reply.writeErrors as Document[] | undefined) ?? [];

  test('createIndexes answers counts, is idempotent, and listIndexes shows _id_ first', async () => {
    const first = await h.run({ createIndexes: 'ix', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] });
    expect(first).toEqual({ numIndexesBefore: 1, numIndexesAfter: 2, createdCollectionAutomatically: true, ok: 1 });
    const again = await h.run({ createIndexes: 'ix', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] });
    expect(again).toEqual({ numIndexesBefore: 2, numIndexesAfter: 2, createdCollectionAutomatically: false, note: 'all indexes already exist', ok: 1 });
    const list = await h.run({ listIndexes: 'ix' });
    expect((list.cursor as Document).firstBatch).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
    ]);
  });

  test('conflicting index definitions are refused with MongoDB codes', async () => {
    const otherOptions = await h.raw({ createIndexes: 'ix', indexes: [{ key: { email: 1 }, name: 'email_1' }] });
    expect(otherOptions).toMatchObject({ ok: 0, code: 85, codeName: 'IndexOptionsConflict' });
    const sameNameOtherKey = await h.raw({ createIndexes: 'ix', indexes: [{ key: { other: 1 }, name: 'email_1' }] });
    expect(sameNameOtherKey).toMatchObject({ ok: 0, code: 86, codeName: 'IndexKeySpecsConflict' });
  });

  test('a unique index refuses a duplicate on insert with the exact E11000 shape', async () => {
    await h.run({ insert: 'ix', documents: [{ _id: 1, email: 'a@x.org' }] });
    const reply = await h.run({ insert: 'ix', documents: [{ _id: 2, email: 'a@x.org' }] });
    expect(errorsOf(reply)).toEqual([
      {
        index: 0,
        code: 11000,
        codeName: 'DuplicateKey',
        errmsg: 'E11000 duplicate key error collection: enginetest.ix index: email_1 dup key: { email: "a@x.org" }',
        keyPattern: { email: 1 },
        keyValue: { email: 'a@x.org' },
      },
    ]);
    const idDup = await h.run({ insert: 'ix', documents: [{ _id: 1, email: 'other' }] });
    expect(errorsOf(idDup)[0].errmsg).toBe('E11000 duplicate key error collection: enginetest.ix index: _id_ dup key: { _id: 1 }');
  });

  test('a unique index refuses a duplicate made by update or upsert, and the failed write changes nothing', async () => {
    await h.run({ insert: 'ix', documents: [{ _id: 3, email: 'b@x.org', n: 1 }] });
    const upd = await h.run({ update: 'ix', updates: [{ q: { _id: 3 }, u: { $set: { email: 'a@x.org', n: 2 } } }] });
    expect(errorsOf(upd)[0]).toMatchObject({ code: 11000, keyValue: { email: 'a@x.org' } });
    const ups = await h.run({ update: 'ix', updates: [{ q: { _id: 4 }, u: { $set: { email: 'b@x.org' } }, upsert: true }] });
    expect(errorsOf(ups)[0]).toMatchObject({ code: 11000 });
    const fam = await h.raw({ findAndModify: 'ix', query: { _id: 3 }, update: { $set: { email: 'a@x.org' } } });
    expect(fam).toMatchObject({ ok: 0, code: 11000, codeName: 'DuplicateKey', keyPattern: { email: 1 }, keyValue: { email: 'a@x.org' } });
    expect(await h.findAll('ix', { _id: { $in: [3, 4] } })).toEqual([{ _id: 3, email: 'b@x.org', n: 1 }]);
    // the index still answers for the unchanged document
    expect(await h.findAll('ix', { email: 'b@x.org' })).toEqual([{ _id: 3, email: 'b@x.org', n: 1 }]);
  });

  test('compound unique indexes compare the whole key', async () => {
    await h.run({ createIndexes: 'cmp', indexes: [{ key: { course: 1, user: 1 }, name: 'course_1_user_1', unique: true }] });
    await h.run({ insert: 'cmp', documents: [{ course: 'c', user: 'u1' }, { course: 'c', user: 'u2' }, { course: 'd', user: 'u1' }] });
    const dup = await h.run({ insert: 'cmp', documents: [{ course: 'c', user: 'u2' }] });
    expect(errorsOf(dup)[0].errmsg).toBe('E11000 duplicate key error collection: enginetest.cmp index: course_1_user_1 dup key: { course: "c", user: "u2" }');
  });

  test('sparse unique indexes ignore documents without the field; plain unique ones count missing as null', async () => {
    await h.run({ createIndexes: 'sp', indexes: [{ key: { nick: 1 }, name: 'nick_1', unique: true, sparse: true }, { key: { code: 1 }, name: 'code_1', unique: true }] });
    const reply = await h.run({ insert: 'sp', documents: [{ _id: 1, code: 1 }, { _id: 2, code: 2 }, { _id: 3 }, { _id: 4 }] });
    expect(reply.n).toBe(3);
    expect(errorsOf(reply)[0]).toMatchObject({ index: 3, keyValue: { code: null } });
    expect(errorsOf(await h.run({ insert: 'sp', documents: [{ _id: 5, nick: 'n', code: 5 }, { _id: 6, nick: 'n', code: 6 }] }))).toHaveLength(1);
  });

  test('partial unique indexes only constrain documents matching the filter', async () => {
    await h.run({ createIndexes: 'pt', indexes: [{ key: { email: 1 }, name: 'active_email', unique: true, partialFilterExpression: { active: true } }] });
    const ok = await h.run({ insert: 'pt', documents: [{ email: 'e', active: false }, { email: 'e', active: false }, { email: 'e', active: true }] });
    expect(ok).toEqual({ n: 3, ok: 1 });
    const clash = await h.run({ insert: 'pt', documents: [{ email: 'e', active: true }] });
    expect(errorsOf(clash)[0]).toMatchObject({ code: 11000 });
  });

  test('a unique index cannot be built over duplicates, and is not kept', async () => {
    await h.run({ insert: 'dups', documents: [{ k: 1 }, { k: 1 }] });
    expect(await h.raw({ createIndexes: 'dups', indexes: [{ key: { k: 1 }, name: 'k_1', unique: true }] })).toMatchObject({ ok: 0, code: 11000 });
    expect(((await h.run({ listIndexes: 'dups' })).cursor as Document).firstBatch).toHaveLength(1);
  });

  test('dropIndexes by name, by key and with *; _id_ stays; missing ones are IndexNotFound', async () => {
    await h.run({ createIndexes: 'dr', indexes: [{ key: { a: 1 }, name: 'a_1' }, { key: { b: -1 }, name: 'b_-1' }, { key: { c: 1 }, name: 'c_1' }] });
    expect(await h.run({ dropIndexes: 'dr', index: 'a_1' })).toEqual({ nIndexesWas: 4, ok: 1 });
    expect(await h.run({ dropIndexes: 'dr', index: { b: -1 } })).toEqual({ nIndexesWas: 3, ok: 1 });
    expect(await h.raw({ dropIndexes: 'dr', index: 'nope' })).toMatchObject({ ok: 0, code: 27, codeName: 'IndexNotFound' });
    expect(await h.raw({ dropIndexes: 'dr', index: '_id_' })).toMatchObject({ ok: 0, code: 72 });
    expect(await h.run({ dropIndexes: 'dr', index: '*' })).toMatchObject({ nIndexesWas: 2, ok: 1 });
    expect(((await h.run({ listIndexes: 'dr' })).cursor as Document).firstBatch).toEqual([{ v: 2, key: { _id: 1 }, name: '_id_' }]);
    expect(await h.raw({ listIndexes: 'never_made' })).toMatchObject({ ok: 0, code: 26, codeName: 'NamespaceNotFound' });
  });
});

describe('store: equality lookups use the index instead of scanning', () => {
  const coll = new Collection('db', 'people');
  coll.addIndex({ name: 'email_1', key: { email: 1 }, unique: true });
  coll.addIndex({ name: 'course_1_role_1', key: { course: 1, role: 1 } });
  for (let i = 0; i < 2000; i++) coll.insert({ _id: i, email: `u${i}@x.org`, course: `c${i % 10}`, role: i % 2 ? 'mentor' : 'candidate', tags: [`t${i % 3}`] });

  test('by _id, $eq and $in', () => {
    expect(coll.candidates({ _id: 42 })).toHaveLength(1);
    expect(coll.candidates({ _id: { $eq: 42 } })).toHaveLength(1);
    expect(coll.candidates({ _id: { $in: [1, 2, 3000] } }).map((d) => d._id)).toEqual([1, 2]);
  });

  test('by a single-field index and by a full compound key', () => {
    expect(coll.candidates({ email: 'u7@x.org', other: { $gt: 1 } }).map((d) => d._id)).toEqual([7]);
    expect(coll.candidates({ course: 'c3', role: 'mentor' })).toHaveLength(200);
    expect(coll.candidates({ course: 'c3', role: { $in: ['mentor', 'candidate'] } })).toHaveLength(200);
  });

  test('by the leading fields of a compound index, including $in', () => {
    expect(coll.candidates({ course: 'c3' })).toHaveLength(200);
    expect(coll.candidates({ course: { $in: ['c3', 'c4'] }, other: 1 })).toHaveLength(400);
  });

  test('falls back to every document when no index covers the filter', () => {
    expect(coll.candidates({ role: 'mentor' })).toHaveLength(2000);
    expect(coll.candidates({ email: { $regex: 'u1' } })).toHaveLength(2000);
  });

  test('index entries follow updates and removals', () => {
    const doc = coll.getById(7) as Document;
    coll.replace(doc, { ...doc, email: 'moved@x.org' });
    expect(coll.candidates({ email: 'u7@x.org' })).toHaveLength(0);
    expect(coll.candidates({ email: 'moved@x.org' })).toHaveLength(1);
    coll.remove(coll.getById(7) as Document);
    expect(coll.candidates({ email: 'moved@x.org' })).toHaveLength(0);
  });
});
