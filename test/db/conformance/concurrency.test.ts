import { MongoClient } from 'mongodb';
import { startEmbeddedServer } from '../../../src/db/embedded';
import type { EmbeddedServer } from '../../../src/db/embedded/types';

/** Single-document atomicity under load: many clients, many connections, one counter. */
describe('conformance: concurrent clients', () => {
  let server: EmbeddedServer;
  let clients: MongoClient[] = [];

  beforeAll(async () => {
    server = await startEmbeddedServer({});
    clients = await Promise.all(Array.from({ length: 8 }, () => MongoClient.connect(server.uri, { maxPoolSize: 10 })));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
  });
  const coll = (i: number, name: string) => clients[i % clients.length].db('conformance_concurrency').collection(name);

  test('concurrent $inc from many clients loses no update', async () => {
    await coll(0, 'counter').insertOne({ _id: 'n' as never, n: 0 });
    await Promise.all(Array.from({ length: 800 }, (_, i) => coll(i, 'counter').updateOne({ _id: 'n' as never }, { $inc: { n: 1 } })));
    expect((await coll(0, 'counter').findOne({ _id: 'n' as never }))?.n).toBe(800);
  });

  test('conditional findOneAndUpdate claims hand each job to exactly one worker', async () => {
    await coll(0, 'jobs').insertMany(Array.from({ length: 100 }, (_, i) => ({ job: i, status: 'queued' })));
    const claims = await Promise.all(
      Array.from({ length: 300 }, (_, w) =>
        coll(w, 'jobs').findOneAndUpdate({ status: 'queued' }, { $set: { status: 'running', worker: w } }, { sort: { job: 1 }, returnDocument: 'after' }),
      ),
    );
    const won = claims.filter((c) => c !== null);
    expect(won).toHaveLength(100);
    expect(new Set(won.map((c) => c?.job)).size).toBe(100);
    expect(await coll(0, 'jobs').countDocuments({ status: 'queued' })).toBe(0);
  });

  test('concurrent upserts on a unique key create one document; the rest update it or see E11000', async () => {
    await coll(0, 'members').createIndex({ email: 1 }, { unique: true });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => coll(i, 'members').updateOne({ email: 'same@x.org' }, { $inc: { visits: 1 } }, { upsert: true })),
    );
    const failures = results.filter((r) => r.status === 'rejected');
    expect(failures).toHaveLength(0);
    expect(await coll(0, 'members').countDocuments({})).toBe(1);
    expect((await coll(0, 'members').findOne({ email: 'same@x.org' }))?.visits).toBe(200);
  });
});
