import { Binary, Decimal128, Long, ObjectId, UUID } from 'bson';
import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

describe('engine: bson values compare by value', () => {
  const h = harness();
  afterAll(() => h.engine.close());
  const oid = new ObjectId();
  const uuid = new UUID();

  beforeAll(async () => {
    await h.run({
      insert: 'typed',
      documents: [
        { _id: 'oid', v: oid },
        { _id: 'long', v: Long.fromNumber(10) },
        { _id: 'bigLong', v: Long.fromString('9007199254740993') },
        { _id: 'dec', v: Decimal128.fromString('2.5') },
        { _id: 'uuid', v: uuid },
        { _id: 'bin', v: new Binary(Buffer.from('hello')) },
        { _id: 'date', v: new Date(1000) },
        { _id: 'int', v: 3 },
        { _id: 'double', v: 3.5 },
        { _id: 'str', v: 'text' },
        { _id: 'arr', v: [oid, 1] },
      ],
    });
  });
  const ids = async (filter: Document) => (await h.findAll('typed', filter)).map((d) => d._id);

  test('equality with a fresh copy of an ObjectId, UUID, Binary or Date', async () => {
    expect(await ids({ v: new ObjectId(oid.toHexString()) })).toEqual(['oid', 'arr']);
    expect(await ids({ v: { $in: [new ObjectId(oid.toHexString())] } })).toEqual(['oid', 'arr']);
    expect(await ids({ v: new UUID(uuid.toHexString()) })).toEqual(['uuid']);
    expect(await ids({ v: new Binary(Buffer.from('hello')) })).toEqual(['bin']);
    expect(await ids({ v: new Date(1000) })).toEqual(['date']);
    expect(await ids({ v: new ObjectId() })).toEqual([]);
  });

  test('$type knows objectId, binData, long, decimal, date, int, double, string and number', async () => {
    expect(await ids({ v: { $type: 'objectId' } })).toEqual(['oid', 'arr']);
    expect(await ids({ v: { $type: 7 } })).toEqual(['oid', 'arr']);
    expect(await ids({ v: { $type: 'binData' } })).toEqual(['uuid', 'bin']);
    expect(await ids({ v: { $type: 'long' } })).toEqual(['long', 'bigLong']);
    expect(await ids({ v: { $type: 'decimal' } })).toEqual(['dec']);
    expect(await ids({ v: { $type: 'date' } })).toEqual(['date']);
    expect(await ids({ v: { $type: 'string' } })).toEqual(['str']);
    expect(await ids({ v: { $type: 'double' } })).toEqual(['int', 'double', 'arr']);
    expect(await ids({ v: { $type: ['long', 'decimal'] } })).toEqual(['long', 'bigLong', 'dec']);
    expect(await ids({ v: { $type: 'number' } })).toEqual(['long', 'bigLong', 'dec', 'int', 'double', 'arr']);
  });

  test('Long and Decimal128 compare numerically with numbers', async () => {
    expect(await ids({ v: Long.fromNumber(10) })).toEqual(['long']);
    expect(await ids({ v: 10 })).toEqual(['long']);
    expect(await ids({ v: { $gt: 2, $lt: 11 } })).toEqual(['long', 'dec', 'int', 'double']);
    expect(await ids({ v: { $gte: Long.fromNumber(9) } })).toEqual(['long', 'bigLong']);
  });

  test('Longs sort numerically among plain numbers', async () => {
    await h.run({ insert: 'longs', documents: [{ _id: 'nine', v: Long.fromNumber(9) }, { _id: 'ten', v: Long.fromNumber(10) }, { _id: 'plain', v: 9.5 }, { _id: 'hundred', v: Long.fromNumber(100) }] });
    expect((await h.findAll('longs', {}, { sort: { v: 1 } })).map((d) => d._id)).toEqual(['nine', 'plain', 'ten', 'hundred']);
    expect((await h.findAll('longs', {}, { sort: { v: -1 }, limit: 1 }))[0].v).toEqual(Long.fromNumber(100));
  });

  test('ObjectIds sort by value; Dates sort by time', async () => {
    const a = new ObjectId('000000000000000000000002');
    const b = new ObjectId('000000000000000000000001');
    await h.run({ insert: 'sorted', documents: [{ o: a, d: new Date(2) }, { o: b, d: new Date(1) }] });
    const byOid = (await h.findAll('sorted', {}, { sort: { o: 1 } })).map((d) => (d.o as ObjectId).toHexString());
    expect(byOid).toEqual([b.toHexString(), a.toHexString()]);
    const byDate = (await h.findAll('sorted', { d: { $lt: new Date(2) } })).map((d) => (d.d as Date).getTime());
    expect(byDate).toEqual([1]);
  });
});
