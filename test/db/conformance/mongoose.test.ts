import mongoose, { Schema } from 'mongoose';
import { startEmbeddedServer } from '../../../src/db/embedded';
import type { EmbeddedServer } from '../../../src/db/embedded/types';

// ltijs brings its own mongoose 7 (driver 5.9); it must work against the same server unmodified.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mongoose7 = require('ltijs/node_modules/mongoose') as typeof mongoose;

describe('conformance: mongoose 8 models and indexes', () => {
  let server: EmbeddedServer;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    server = await startEmbeddedServer({});
    conn = await mongoose.createConnection(`${server.uri}/conformance_mongoose`).asPromise();
  });
  afterAll(async () => {
    await conn?.close();
    await server?.close();
  });

  const Member = () =>
    conn.models.Member ??
    conn.model(
      'Member',
      new Schema({
        email: { type: String, required: true, unique: true },
        course: String,
        role: String,
        nickname: { type: String, unique: true, sparse: true },
        lead: Boolean,
        n: { type: Number, default: 0 },
      }).index({ course: 1, email: 1 }, { unique: true }).index({ course: 1 }, { unique: true, partialFilterExpression: { lead: true }, name: 'one_lead_per_course' }),
    );
  const Session = () =>
    conn.models.Session ?? conn.model('Session', new Schema({ token: String, createdAt: { type: Date, expires: 3600 } }));

  test('syncIndexes builds unique, compound, sparse, partial and TTL indexes, and is repeatable', async () => {
    await Member().syncIndexes();
    await Member().syncIndexes();
    await Session().syncIndexes();
    const names = (await Member().listIndexes()).map((i: { name: string }) => i.name).sort();
    expect(names).toEqual(['_id_', 'course_1_email_1', 'email_1', 'nickname_1', 'one_lead_per_course'].sort());
    const ttl = (await Session().listIndexes()).find((i: { name: string }) => i.name === 'createdAt_1');
    expect(ttl).toMatchObject({ key: { createdAt: 1 }, expireAfterSeconds: 3600 });
  });

  test('CRUD through models', async () => {
    const m = await Member().create({ email: 'ann@x.org', course: 'c1', role: 'candidate' });
    expect(await Member().findById(m._id).lean()).toMatchObject({ email: 'ann@x.org', n: 0 });
    await Member().updateOne({ _id: m._id }, { $inc: { n: 2 } });
    const found = await Member().findOne({ email: 'ann@x.org' });
    expect(found?.n).toBe(2);
    found!.role = 'mentor';
    await found!.save();
    expect((await Member().find({ role: 'mentor' }).lean()).map((d) => d.email)).toEqual(['ann@x.org']);
    expect(await Member().countDocuments({ course: 'c1' })).toBe(1);
    await Member().deleteOne({ _id: m._id });
    expect(await Member().exists({ _id: m._id })).toBeNull();
  });

  test('unique, sparse and partial indexes are enforced as MongoDB does', async () => {
    await Member().create({ email: 'a@x.org', course: 'c2' });
    await expect(Member().create({ email: 'a@x.org', course: 'c3' })).rejects.toMatchObject({ code: 11000, keyValue: { email: 'a@x.org' } });
    // sparse: many without a nickname, but not two with the same one
    await Member().create({ email: 'b@x.org', course: 'c2' });
    await Member().create({ email: 'c@x.org', course: 'c2', nickname: 'cee' });
    await expect(Member().create({ email: 'd@x.org', course: 'c2', nickname: 'cee' })).rejects.toMatchObject({ code: 11000 });
    // partial: one lead per course, any number of non-leads
    await Member().create({ email: 'lead@x.org', course: 'c2', lead: true });
    await expect(Member().create({ email: 'lead2@x.org', course: 'c2', lead: true })).rejects.toMatchObject({ code: 11000, keyValue: { course: 'c2' } });
    await expect(Member().updateOne({ email: 'b@x.org' }, { lead: true })).rejects.toMatchObject({ code: 11000 });
    expect(await Member().countDocuments({ course: 'c2' })).toBe(4);
  });

  test('findOneAndUpdate with upsert, and a version-checked update', async () => {
    const up = await Member().findOneAndUpdate({ email: 'new@x.org' }, { $set: { course: 'c9' }, $setOnInsert: { role: 'candidate' } }, { upsert: true, new: true });
    expect(up).toMatchObject({ email: 'new@x.org', course: 'c9', role: 'candidate' });
    const stale = await Member().findOneAndUpdate({ _id: up!._id, __v: 99 }, { $set: { role: 'x' } }, { new: true });
    expect(stale).toBeNull();
  });

  test('createCollection answers NamespaceExists (48) as mongoose expects, and drop works', async () => {
    const Scratch = conn.model('Scratch', new Schema({ a: Number }));
    await Scratch.createCollection();
    await Scratch.createCollection(); // Model.createCollection tolerates exactly code 48 from a MongoServerError
    await expect(conn.createCollection('scratches')).rejects.toMatchObject({ name: 'MongoServerError', code: 48, codeName: 'NamespaceExists' });
    expect(await conn.dropCollection('scratches')).toBe(true);
    expect(await conn.dropCollection('scratches')).toBe(true); // MongoDB 7+: a missing collection drops without error
  });
});

describe('conformance: ltijs mongoose 7 (driver 5.9)', () => {
  let server: EmbeddedServer;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    server = await startEmbeddedServer({});
    conn = await mongoose7.createConnection(`${server.uri}/conformance_ltijs`).asPromise();
  });
  afterAll(async () => {
    await conn?.close();
    await server?.close();
  });

  test('CRUD, findOneAndUpdate upserts, countDocuments and aggregate with $lookup', async () => {
    const Platform = conn.model('platform', new mongoose7.Schema({ platformUrl: String, clientId: String, kid: { type: String, unique: true } }));
    const Key = conn.model('publickey', new mongoose7.Schema({ kid: String, key: String }));
    await Platform.init();
    await Platform.create({ platformUrl: 'https://vle.example', clientId: 'c1', kid: 'k1' });
    await Key.create({ kid: 'k1', key: 'PEM' });
    const upserted = await Platform.findOneAndUpdate({ platformUrl: 'https://vle2.example', clientId: 'c2' }, { kid: 'k2' }, { upsert: true, new: true });
    expect(upserted).toMatchObject({ platformUrl: 'https://vle2.example', clientId: 'c2', kid: 'k2' });
    await Platform.findOneAndUpdate({ platformUrl: 'https://vle2.example' }, { clientId: 'c2b' }, { upsert: true });
    expect(await Platform.countDocuments({})).toBe(2);
    expect((await Platform.findOne({ kid: 'k2' }).lean())?.clientId).toBe('c2b');
    await expect(Platform.create({ kid: 'k1' })).rejects.toMatchObject({ code: 11000 });
    const joined = await Platform.aggregate([
      { $match: { kid: 'k1' } },
      { $lookup: { from: 'publickeys', localField: 'kid', foreignField: 'kid', as: 'keys' } },
      { $project: { _id: 0, clientId: 1, key: { $arrayElemAt: ['$keys.key', 0] } } },
    ]);
    expect(joined).toEqual([{ clientId: 'c1', key: 'PEM' }]);
    await Platform.deleteOne({ kid: 'k2' });
    expect(await Platform.countDocuments({})).toBe(1);
  });
});
