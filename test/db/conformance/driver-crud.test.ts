import { MongoBulkWriteError, MongoClient, MongoServerError, ObjectId, type Db } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded';
import type { EmbeddedServer } from '../../../src/db/embedded/types';

/** CRUD through the official driver: results and error shapes as a MongoDB 7 server gives them. */
describe('conformance (mongodb driver 6): CRUD', () => {
  let server: EmbeddedServer;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    server = await startEmbeddedServer({});
    client = await MongoClient.connect(server.uri);
    db = client.db('conformance_crud');
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  test('insertOne / insertMany return the ids', async () => {
    const c = db.collection('ins');
    const one = await c.insertOne({ a: 1 });
    expect(one.insertedId).toBeInstanceOf(ObjectId);
    const many = await c.insertMany([{ _id: 'x' as never, a: 2 }, { a: 3 }]);
    expect(many.insertedCount).toBe(2);
    expect(many.insertedIds[0]).toBe('x');
    expect(await c.countDocuments()).toBe(3);
  });

  test('find with filter, sort, skip, limit, projection, and iteration across getMore batches', async () => {
    const c = db.collection('find');
    await c.insertMany(Array.from({ length: 350 }, (_, i) => ({ i, even: i % 2 === 0 })));
    const page = await c.find({ even: true }, { projection: { _id: 0, i: 1 } }).sort({ i: -1 }).skip(2).limit(3).toArray();
    expect(page).toEqual([{ i: 344 }, { i: 342 }, { i: 340 }]);
    const all = await c.find({}).batchSize(50).toArray();
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: 350 }, (_, i) => i));
    const cursor = c.find({}).batchSize(10);
    await cursor.next();
    await cursor.close(); // killCursors
    expect(cursor.killed).toBe(true);
    expect(await c.findOne({ i: 7 }, { projection: { _id: 0 } })).toEqual({ i: 7, even: false });
  });

  test('updateOne / updateMany / replaceOne results, including upserts', async () => {
    const c = db.collection('upd');
    await c.insertMany([{ k: 1, n: 0 }, { k: 1, n: 0 }, { k: 2, n: 0 }]);
    expect(await c.updateMany({ k: 1 }, { $inc: { n: 1 } })).toMatchObject({ matchedCount: 2, modifiedCount: 2, upsertedCount: 0, upsertedId: null });
    expect(await c.updateOne({ k: 2 }, { $set: { n: 0 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const up = await c.updateOne({ k: 3 }, { $set: { n: 5 }, $setOnInsert: { made: true } }, { upsert: true });
    expect(up).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    expect(await c.findOne({ _id: up.upsertedId as ObjectId }, { projection: { _id: 0 } })).toEqual({ k: 3, n: 5, made: true });
    expect(await c.replaceOne({ k: 2 }, { k: 2, replaced: true })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ k: 2 }, { projection: { _id: 0 } })).toEqual({ k: 2, replaced: true });
    await c.updateOne({ k: 1 }, { $push: { list: { $each: [3, 1, 2], $sort: 1 } } } as never);
    expect((await c.findOne({ k: 1, list: { $exists: true } }))?.list).toEqual([1, 2, 3]);
  });

  test('arrayFilters and positional updates', async () => {
    const c = db.collection('arr');
    await c.insertOne({ _id: 1 as never, grades: [{ g: 80 }, { g: 95 }, { g: 99 }] });
    await c.updateOne({ _id: 1 as never }, { $set: { 'grades.$[hi].top': true } }, { arrayFilters: [{ 'hi.g': { $gte: 95 } }] });
    await c.updateOne({ _id: 1 as never, 'grades.g': 80 }, { $inc: { 'grades.$.g': 5 } });
    expect((await c.findOne({ _id: 1 as never }))?.grades).toEqual([{ g: 85 }, { g: 95, top: true }, { g: 99, top: true }]);
  });

  test('deleteOne / deleteMany', async () => {
    const c = db.collection('del');
    await c.insertMany([{ t: 1 }, { t: 1 }, { t: 1 }, { t: 2 }]);
    expect(await c.deleteOne({ t: 1 })).toMatchObject({ deletedCount: 1 });
    expect(await c.deleteMany({ t: 1 })).toMatchObject({ deletedCount: 2 });
    expect(await c.estimatedDocumentCount()).toBe(1);
  });

  test('findOneAndUpdate / findOneAndReplace / findOneAndDelete', async () => {
    const c = db.collection('fam');
    await c.insertMany([{ q: 'a', p: 2 }, { q: 'a', p: 1 }]);
    const after = await c.findOneAndUpdate({ q: 'a' }, { $set: { taken: true } }, { sort: { p: 1 }, returnDocument: 'after', projection: { _id: 0 } });
    expect(after).toEqual({ q: 'a', p: 1, taken: true });
    const raw = await c.findOneAndUpdate({ q: 'z' }, { $set: { v: 1 } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
    expect(raw.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(raw.value).toMatchObject({ q: 'z', v: 1 });
    const replaced = await c.findOneAndReplace({ q: 'z' }, { q: 'z2' }, { returnDocument: 'after', projection: { _id: 0 } });
    expect(replaced).toEqual({ q: 'z2' });
    expect(await c.findOneAndDelete({ q: 'z2' }, { projection: { _id: 0 } })).toEqual({ q: 'z2' });
    expect(await c.findOneAndDelete({ q: 'nothing' })).toBeNull();
  });

  test('countDocuments (aggregate), estimatedDocumentCount (count) and distinct', async () => {
    const c = db.collection('cnt');
    await c.insertMany([{ c: 'x', tags: ['a', 'b'] }, { c: 'y', tags: ['b'] }, { c: 'x' }]);
    expect(await c.countDocuments({ c: 'x' })).toBe(2);
    expect(await c.countDocuments({}, { skip: 1, limit: 1 })).toBe(1);
    expect(await c.estimatedDocumentCount()).toBe(3);
    expect((await c.distinct('tags')).sort()).toEqual(['a', 'b']);
    expect(await c.distinct('c', { tags: 'b' })).toEqual(['x', 'y']);
  });

  test('a duplicate key raises MongoServerError 11000 with keyPattern and keyValue', async () => {
    const c = db.collection('dup');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x.org' });
    const err = await c.insertOne({ email: 'a@x.org' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x.org' },
      message: 'E11000 duplicate key error collection: conformance_crud.dup index: email_1 dup key: { email: "a@x.org" }',
    });
    const famErr = await c.findOneAndUpdate({ email: 'b@x.org' }, { $set: { email: 'a@x.org' } }, { upsert: true }).catch((e: unknown) => e);
    expect(famErr).toMatchObject({ code: 11000, codeName: 'DuplicateKey' });
  });

  test('bulkWrite: ordered stops at the first error, unordered carries on', async () => {
    const c = db.collection('bulk');
    await c.insertOne({ _id: 1 as never });
    const ordered = (await c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }] as never[]).catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect(ordered.result.insertedCount).toBe(1);
    expect(ordered.writeErrors).toMatchObject([{ index: 1, code: 11000 }]);
    const unordered = (await c.insertMany([{ _id: 1 }, { _id: 4 }, { _id: 2 }, { _id: 5 }] as never[], { ordered: false }).catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(unordered.result.insertedCount).toBe(2);
    expect((unordered.writeErrors as unknown as Array<{ index: number }>).map((e) => e.index)).toEqual([0, 2]);
    const mixed = await c.bulkWrite([
      { insertOne: { document: { _id: 10 } as never } },
      { updateOne: { filter: { _id: 10 }, update: { $set: { v: 1 } } } },
      { updateOne: { filter: { _id: 11 }, update: { $set: { v: 2 } }, upsert: true } },
      { deleteOne: { filter: { _id: 1 } } },
    ] as never);
    expect(mixed).toMatchObject({ insertedCount: 1, matchedCount: 1, modifiedCount: 1, upsertedCount: 1, deletedCount: 1 });
  });

  test('errors: unknown query operator (2), unknown update operator (9), _id change (66), conflicting paths (40)', async () => {
    const c = db.collection('errs');
    await c.insertOne({ _id: 1 as never, a: { b: 1 } });
    await expect(c.find({ a: { $nope: 1 } }).toArray()).rejects.toMatchObject({ code: 2, codeName: 'BadValue' });
    await expect(c.updateOne({ _id: 1 as never }, { $nope: { a: 1 } } as never)).rejects.toMatchObject({ code: 9, codeName: 'FailedToParse' });
    await expect(c.updateOne({ _id: 1 as never }, { $set: { _id: 2 } } as never)).rejects.toMatchObject({ code: 66, codeName: 'ImmutableField' });
    await expect(c.updateOne({ _id: 1 as never }, { $set: { a: 1 }, $unset: { 'a.b': '' } })).rejects.toMatchObject({ code: 40, codeName: 'ConflictingUpdateOperators' });
    await expect(db.command({ nope: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound', message: "no such command: 'nope'" });
  });
});
