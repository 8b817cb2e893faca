import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded';
import type { EmbeddedServer } from '../../../src/db/embedded/types';

/** Handshake, catalogue, indexes and aggregation through the official driver. */
describe('conformance (mongodb driver 6): admin, catalogue, indexes, aggregation', () => {
  let server: EmbeddedServer;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    server = await startEmbeddedServer({});
    client = await MongoClient.connect(server.uri);
    db = client.db('conformance_admin');
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  test('hello, ping and buildInfo', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 25, ok: 1 });
    expect(hello.topologyVersion).toBeUndefined();
    expect(await db.admin().ping()).toEqual({ ok: 1 });
    expect(await db.admin().buildInfo()).toMatchObject({ version: '8.0.0', versionArray: [8, 0, 0, 0] });
  });

  test('createCollection, NamespaceExists, listCollections, drop and NamespaceNotFound', async () => {
    await db.createCollection('made');
    await expect(db.createCollection('made')).rejects.toMatchObject({ code: 48, codeName: 'NamespaceExists' });
    await db.collection('implicit').insertOne({});
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['implicit', 'made']);
    expect(await db.listCollections({ name: 'made' }).toArray()).toMatchObject([{ name: 'made', type: 'collection' }]);
    expect(await db.collection('made').drop()).toBe(true);
    expect(await db.collection('made').drop()).toBe(true); // MongoDB 7+: dropping a missing collection succeeds
  });

  test('listDatabases and dropDatabase', async () => {
    const other = client.db('conformance_admin_other');
    await other.collection('x').insertOne({ a: 1 });
    const { databases } = await db.admin().listDatabases();
    expect(databases.map((d) => d.name)).toEqual(expect.arrayContaining(['conformance_admin', 'conformance_admin_other']));
    expect(await other.dropDatabase()).toBe(true);
    const after = await db.admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain('conformance_admin_other');
  });

  test('createIndex / createIndexes / listIndexes / indexExists / dropIndex / dropIndexes', async () => {
    const c = db.collection('ix');
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    expect(await c.createIndexes([{ key: { b: -1, c: 1 }, unique: true }, { key: { d: 1 }, name: 'by_d', sparse: true }])).toEqual(['b_-1_c_1', 'by_d']);
    const list = await c.listIndexes().toArray();
    expect(list.map((i) => i.name)).toEqual(['_id_', 'a_1', 'b_-1_c_1', 'by_d']);
    expect(list[2]).toMatchObject({ key: { b: -1, c: 1 }, unique: true });
    expect(await c.indexExists('by_d')).toBe(true);
    await c.dropIndex('a_1');
    await expect(c.dropIndex('a_1')).rejects.toMatchObject({ code: 27, codeName: 'IndexNotFound' });
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    await expect(db.collection('no_such').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
  });

  test('aggregate with $match, $group, $sort, $lookup, $unwind, $project, $facet, $count, $skip, $limit', async () => {
    await db.collection('courses').insertMany([{ _id: 'c1', title: 'CMALT' }, { _id: 'c2', title: 'Other' }] as never[]);
    await db.collection('enrol').insertMany([{ course: 'c1', u: 1 }, { course: 'c1', u: 2 }, { course: 'c2', u: 3 }, { course: 'c9', u: 4 }]);
    const joined = await db.collection('enrol').aggregate([
      { $match: { course: { $ne: 'c9' } } },
      { $group: { _id: '$course', people: { $sum: 1 } } },
      { $lookup: { from: 'courses', localField: '_id', foreignField: '_id', as: 'course' } },
      { $unwind: '$course' },
      { $project: { _id: 0, title: '$course.title', people: 1 } },
      { $sort: { people: -1 } },
    ]).toArray();
    expect(joined).toEqual([{ people: 2, title: 'CMALT' }, { people: 1, title: 'Other' }]);
    const [facet] = await db.collection('enrol').aggregate([
      { $facet: { n: [{ $count: 'total' }], second: [{ $sort: { u: 1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { _id: 0, u: 1 } }] } },
    ]).toArray();
    expect(facet).toEqual({ n: [{ total: 4 }], second: [{ u: 2 }] });
    const big = db.collection('big');
    await big.insertMany(Array.from({ length: 230 }, (_, i) => ({ i })));
    expect(await big.aggregate([{ $match: {} }], { batchSize: 20 }).toArray()).toHaveLength(230);
  });

  test('explain answers plainly', async () => {
    const plan = await db.collection('enrol').find({ u: 1 }).explain();
    expect(plan).toMatchObject({ queryPlanner: { namespace: 'conformance_admin.enrol' } });
  });
});
