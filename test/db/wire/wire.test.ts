import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../../../src/db/embedded';
import type { EmbeddedServer } from '../../../src/db/embedded/types';
import { OP_MSG, OP_REPLY, RawClient, opMsg, opQuery } from './raw-client';

let server: EmbeddedServer;
const warnings: string[] = [];
const log = { warn: (_obj: unknown, msg?: string) => void warnings.push(msg ?? ''), info: () => undefined };
const clients: RawClient[] = [];

async function raw(): Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startEmbeddedServer({ log });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.end();
});

afterAll(async () => {
  await server.close();
});

function header(length: number, requestID: number, opCode: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(length, 0);
  b.writeInt32LE(requestID, 4);
  b.writeInt32LE(opCode, 12);
  return b;
}

/** A second connection still answers: bad input on one connection never harms the server. */
async function expectServerStillServes(): Promise<void> {
  const other = await raw();
  const reply = await other.command(900, { ping: 1, $db: 'admin' });
  expect(reply.doc.ok).toBe(1);
}

describe('legacy handshake', () => {
  test.each(['isMaster', 'ismaster', 'hello'])('OP_QUERY %s on admin.$cmd is answered with OP_REPLY', async (name) => {
    const client = await raw();
    client.send(opQuery(41, 'admin.$cmd', { [name]: 1, helloOk: true, client: { driver: { name: 'raw', version: '0' } } }));
    const reply = await client.next();
    if (typeof reply === 'string') throw new Error(reply);
    expect(reply.opCode).toBe(OP_REPLY);
    expect(reply.responseTo).toBe(41);
    expect(reply.doc.ok).toBe(1);
    expect(typeof reply.doc.maxWireVersion).toBe('number');
  });

  test('an OP_QUERY handshake wrapped in $query is unwrapped', async () => {
    const client = await raw();
    client.send(opQuery(42, 'admin.$cmd', { $query: { isMaster: 1 }, $readPreference: { mode: 'primaryPreferred' } }));
    const reply = await client.next();
    if (typeof reply === 'string') throw new Error(reply);
    expect(reply.doc.ok).toBe(1);
  });

  test('an OP_QUERY that is not a handshake gets an error reply and the connection stays usable', async () => {
    const client = await raw();
    client.send(opQuery(43, 'test.$cmd', { find: 'things', filter: {} }));
    const reply = await client.next();
    if (typeof reply === 'string') throw new Error(reply);
    expect(reply.opCode).toBe(OP_REPLY);
    expect(reply.doc.ok).toBe(0);
    expect(reply.doc.code).toBe(352);
    expect((await client.command(44, { ping: 1, $db: 'admin' })).doc.ok).toBe(1);
  });
});

describe('OP_MSG', () => {
  test('a kind-1 document sequence is merged into the command body', async () => {
    const client = await raw();
    const inserted = await client.command(1, { insert: 'seq', ordered: true, $db: 'wire_seq' }, {
      sequences: { documents: [{ _id: 1, a: 'x' }, { _id: 2, a: 'y' }, { _id: 3, a: 'z' }] },
    });
    expect(inserted.opCode).toBe(OP_MSG);
    expect(inserted.flags).toBe(0);
    expect(inserted.responseTo).toBe(1);
    expect(inserted.doc).toMatchObject({ ok: 1, n: 3 });
    const found = await client.command(2, { find: 'seq', filter: {}, sort: { _id: 1 }, $db: 'wire_seq' });
    expect((found.doc.cursor as { firstBatch: unknown[] }).firstBatch).toEqual([
      { _id: 1, a: 'x' },
      { _id: 2, a: 'y' },
      { _id: 3, a: 'z' },
    ]);
  });

  test('a checksum trailer is stripped', async () => {
    const client = await raw();
    const reply = await client.command(3, { ping: 1, $db: 'admin' }, { checksum: true });
    expect(reply.doc.ok).toBe(1);
  });

  test('exhaustAllowed is ignored: the command is answered once, normally', async () => {
    const client = await raw();
    const reply = await client.command(8, { ping: 1, $db: 'admin' }, { flags: 1 << 16 });
    expect(reply.flags).toBe(0);
    expect(reply.doc.ok).toBe(1);
    expect(await client.next(200)).toBe('timeout');
  });

  test('moreToCome gets no reply but the command takes effect before the next one', async () => {
    const client = await raw();
    client.send(opMsg(4, { insert: 'quiet', documents: [{ _id: 'q' }], writeConcern: { w: 0 }, $db: 'wire_quiet' }, { flags: 2 }));
    expect(await client.next(300)).toBe('timeout');
    const found = await client.command(5, { find: 'quiet', filter: { _id: 'q' }, $db: 'wire_quiet' });
    expect(found.responseTo).toBe(5);
    expect((found.doc.cursor as { firstBatch: unknown[] }).firstBatch).toEqual([{ _id: 'q' }]);
  });

  test('pipelined commands on one connection are answered in order', async () => {
    const client = await raw();
    const messages = Array.from({ length: 60 }, (_, i) =>
      i % 2 === 0
        ? opMsg(100 + i, { insert: 'order', documents: [{ _id: i }], $db: 'wire_order' })
        : opMsg(100 + i, { count: 'order', $db: 'wire_order' }),
    );
    client.send(Buffer.concat(messages));
    for (let i = 0; i < 60; i += 1) {
      const reply = await client.next();
      if (typeof reply === 'string') throw new Error(reply);
      expect(reply.responseTo).toBe(100 + i);
      if (i % 2 === 1) expect(reply.doc.n).toBe((i + 1) / 2);
    }
  });

  test('a message arriving one byte at a time is framed correctly', async () => {
    const client = await raw();
    const bytes = opMsg(7, { ping: 1, $db: 'admin' });
    for (const byte of bytes) {
      client.send(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    const reply = await client.next();
    if (typeof reply === 'string') throw new Error(reply);
    expect(reply.responseTo).toBe(7);
    expect(reply.doc.ok).toBe(1);
  });
});

describe('malformed input closes only that connection', () => {
  async function expectClosedWithOneLogLine(bytes: Buffer): Promise<void> {
    const before = warnings.length;
    const client = await raw();
    client.send(bytes);
    expect(await client.next()).toBe('closed');
    expect(warnings.length - before).toBe(1);
    await expectServerStillServes();
  }

  test('garbage bytes', async () => {
    await expectClosedWithOneLogLine(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
  });

  test('a length under the header size', async () => {
    const b = header(8, 1, OP_MSG);
    await expectClosedWithOneLogLine(b);
  });

  test('a length over maxMessageSizeBytes', async () => {
    await expectClosedWithOneLogLine(Buffer.concat([header(48_000_001, 1, OP_MSG), Buffer.alloc(64)]));
  });

  test('bad BSON in the body', async () => {
    const doc = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    doc[4] = 0x7f; // an element type that does not exist
    const rest = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), doc]);
    await expectClosedWithOneLogLine(Buffer.concat([header(16 + rest.length, 1, OP_MSG), rest]));
  });

  test('a BSON size that runs past the message', async () => {
    const doc = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    doc.writeInt32LE(doc.length + 100, 0);
    const rest = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), doc]);
    await expectClosedWithOneLogLine(Buffer.concat([header(16 + rest.length, 1, OP_MSG), rest]));
  });

  test('an unknown section kind', async () => {
    const good = opMsg(1, { ping: 1, $db: 'admin' });
    good[20] = 7;
    await expectClosedWithOneLogLine(good);
  });

  test('an unknown required flag bit', async () => {
    await expectClosedWithOneLogLine(opMsg(1, { ping: 1, $db: 'admin' }, { flags: 1 << 5 }));
  });

  test('a deprecated opcode (OP_INSERT)', async () => {
    const rest = Buffer.concat([Buffer.alloc(4), Buffer.from('test.things\0'), Buffer.from(BSON.serialize({ a: 1 }))]);
    await expectClosedWithOneLogLine(Buffer.concat([header(16 + rest.length, 1, 2002), rest]));
  });
});

describe('official drivers connect unmodified', () => {
  test('mongodb driver 6: handshake, ping, write and read', async () => {
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      const coll = client.db('wire_driver6').collection<{ _id: number; name: string }>('people');
      await coll.insertMany([{ _id: 1, name: 'Ada' }, { _id: 2, name: 'Grace' }]);
      expect(await coll.findOne({ name: 'Grace' })).toEqual({ _id: 2, name: 'Grace' });
    } finally {
      await client.close();
    }
  });

  test('mongoose 8 connects, saves and queries through a model', async () => {
    const connection = await mongoose.createConnection(`${server.uri}/wire_mongoose`, { serverSelectionTimeoutMS: 5000 }).asPromise();
    try {
      const Note = connection.model('Note', new mongoose.Schema({ title: { type: String, unique: true }, n: Number }));
      await Note.init();
      await Note.create({ title: 'first', n: 1 });
      await Note.findOneAndUpdate({ title: 'first' }, { $inc: { n: 1 } });
      expect((await Note.findOne({ title: 'first' }).lean())?.n).toBe(2);
      await expect(Note.create({ title: 'first' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await connection.close();
    }
  });

  test("ltijs's mongodb driver 5 connects and writes", async () => {
    const legacy = require('ltijs/node_modules/mongodb') as typeof import('mongodb');
    const client = new legacy.MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      const coll = client.db('wire_driver5').collection('keys');
      await coll.insertOne({ kid: 'k1' });
      expect(await coll.countDocuments({ kid: 'k1' })).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('fuzzing', () => {
  test('a command without $db gets an error reply, not a closed connection', async () => {
    const client = await raw();
    const reply = await client.command(60, { ping: 1 });
    expect(reply.doc).toMatchObject({ ok: 0, code: 40571 });
    expect((await client.command(61, { ping: 1, $db: 'admin' })).doc.ok).toBe(1);
  });

  test('hundreds of randomly damaged messages never stop the server', async () => {
    const valid = [
      opMsg(1, { insert: 'fuzz', $db: 'wire_fuzz' }, { sequences: { documents: [{ _id: 1, a: [1, 2, { b: 'c' }] }] } }),
      opMsg(2, { find: 'fuzz', filter: { a: { $gt: 1 } }, $db: 'wire_fuzz' }),
      opQuery(3, 'admin.$cmd', { isMaster: 1 }),
    ];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let batch = 0; batch < 10; batch += 1) {
      await Promise.all(
        Array.from({ length: 30 }, async () => {
          const bytes = Buffer.from(valid[random(valid.length)]);
          for (let flips = 1 + random(4); flips > 0; flips -= 1) bytes[random(bytes.length)] = random(256);
          const client = await raw();
          client.send(bytes);
          await client.next(50); // a reply, a close, or a wait for bytes that never come: all fine
          client.end();
        }),
      );
    }
    await expectServerStillServes();
  });
});
