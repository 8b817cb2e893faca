import { Double, Long, MongoClient, MongoServerError } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded';
import type { EmbeddedServer } from '../../../src/db/embedded/types';

/** What a standalone MongoDB 8.0 does, through the official driver with BSON types kept. */
let server: EmbeddedServer;
let client: MongoClient;
beforeAll(async () => {
  server = await startEmbeddedServer({});
  client = new MongoClient(server.uri, { promoteValues: false });
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await server.close();
});

test('Long and Double come back as written, and $type finds them', async () => {
  const coll = client.db('eight').collection<{ _id: number; [k: string]: unknown }>('numbers');
  await coll.insertOne({ _id: 1, l: Long.fromNumber(5), d: new Double(2), i: 3 });
  const [doc] = await coll.find({}).toArray();
  expect(doc.l).toBeInstanceOf(Long);
  expect(doc.d).toBeInstanceOf(Double);
  for (const [field, type] of [['l', 'long'], ['d', 'double'], ['i', 'int']]) {
    expect(Number(await coll.countDocuments({ [field]: { $type: type } }))).toBe(1);
  }
});

test('collation: case-insensitive finds and a strength-2 unique index; an unknown locale is refused', async () => {
  const people = client.db('eight').collection('people');
  await people.createIndex({ name: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
  await people.insertOne({ name: 'PING' });
  await expect(people.insertOne({ name: 'ping' })).rejects.toMatchObject({ codeName: 'DuplicateKey' });
  expect((await people.find({ name: 'ping' }, { collation: { locale: 'en', strength: 2 } }).toArray()).map((d) => d.name)).toEqual(['PING']);
  expect(await people.find({ name: 'ping' }).toArray()).toEqual([]);
  expect(await people.find({ name: 'PÍNG' }, { collation: { locale: 'fr', strength: 1 } }).toArray()).toHaveLength(1);
  await expect(people.find({}, { collation: { locale: 'xx_nonsense' } }).toArray()).rejects.toMatchObject({ codeName: 'BadValue' });
  await expect(people.find({}, { collation: { locale: 'en', alternate: 'shifted' } }).toArray()).rejects.toBeInstanceOf(MongoServerError);
});

test('transactions are refused at their first command and leave nothing behind', async () => {
  const coll = client.db('eight').collection<{ _id: number }>('txn');
  const session = client.startSession();
  session.startTransaction();
  await expect(coll.insertOne({ _id: 1 }, { session })).rejects.toMatchObject({ codeName: 'IllegalOperation' });
  await session.endSession();
  expect(await coll.find({}).toArray()).toEqual([]);
});

test('views show their pipeline over the source and refuse writes; hint must name an index', async () => {
  const db = client.db('eight');
  await db.collection<{ _id: number; x: number }>('src').insertMany([{ _id: 1, x: 1 }, { _id: 2, x: 2 }]);
  await db.createCollection('bigger', { viewOn: 'src', pipeline: [{ $match: { x: { $gt: 1 } } }] });
  expect(await db.collection('bigger').find({}, { projection: { _id: 1 } }).toArray()).toEqual([{ _id: expect.anything() }]);
  await expect(db.collection('bigger').insertOne({ x: 3 })).rejects.toMatchObject({ codeName: 'CommandNotSupportedOnView' });
  await expect(db.collection('src').find({}, { hint: 'nope_1' }).toArray()).rejects.toMatchObject({ codeName: 'BadValue' });
  await expect(db.createCollection('capped', { capped: true, size: 1000 })).rejects.toMatchObject({ codeName: 'InvalidOptions' });
});
