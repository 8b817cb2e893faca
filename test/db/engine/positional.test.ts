import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

describe('engine: the positional $ in updates', () => {
  const h = harness();
  afterAll(() => h.engine.close());
  const one = async (coll: string) => (await h.findAll(coll, {}))[0];

  test('two paths under one positional $ update the matched element (as mongoose does with timestamps)', async () => {
    await h.run({ insert: 'p1', documents: [{ _id: 1, notes: [{ _id: 'A', a: 0 }, { _id: 'B', a: 1, d: null }] }] });
    const reply = await h.run({ update: 'p1', updates: [{ q: { _id: 1, 'notes._id': 'B' }, u: { $set: { 'notes.$.x': 1, 'notes.$.y': 2 } } }] });
    expect(reply).toEqual({ n: 1, nModified: 1, ok: 1 });
    expect((await one('p1')).notes).toEqual([{ _id: 'A', a: 0 }, { _id: 'B', a: 1, d: null, x: 1, y: 2 }]);
  });

  test('$elemMatch picks the element that matched every condition', async () => {
    await h.run({ insert: 'p2', documents: [{ _id: 1, notes: [{ k: 1, s: 'a' }, { k: 2, s: 'b' }, { k: 2, s: 'c' }] }] });
    await h.run({ update: 'p2', updates: [{ q: { notes: { $elemMatch: { k: 2, s: 'c' } } }, u: { $set: { 'notes.$.done': true }, $inc: { 'notes.$.k': 10 } } }] });
    expect((await one('p2')).notes).toEqual([{ k: 1, s: 'a' }, { k: 2, s: 'b' }, { k: 12, s: 'c', done: true }]);
  });

  test('a positional update whose query did not match an element is refused and changes nothing', async () => {
    await h.run({ insert: 'p3', documents: [{ _id: 1, notes: [{ k: 1 }] }] });
    const reply = (await h.run({ update: 'p3', updates: [{ q: { _id: 1 }, u: { $set: { 'notes.$.k': 5 } } }] })) as Document;
    expect((reply.writeErrors as Document[])[0]).toMatchObject({ index: 0, code: 2, codeName: 'BadValue' });
    expect((await one('p3')).notes).toEqual([{ k: 1 }]);
  });
});
