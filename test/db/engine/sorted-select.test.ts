import { ObjectId } from 'bson';
import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

const batch = (reply: Document) => ((reply.cursor as Document).firstBatch as Document[]).map((d) => d.n);

test('sort with a limit gives the same documents as sorting everything, ties and skip included, for dates, ObjectIds, numbers and mixed shapes', async () => {
  const { run } = harness();
  const base = Date.UTC(2026, 0, 1);
  const docs = Array.from({ length: 300 }, (_, n) => ({ n, course: n % 3 === 0 ? 'a' : 'b', at: new Date(base + Math.floor(n / 4) * 1000), oid: new ObjectId(), score: (n * 37) % 11, hidden: n % 5 === 0 }));
  await run({ insert: 'posts', documents: docs });
  await run({ insert: 'mixed', documents: docs.map((d, i) => (i % 7 === 0 ? { n: d.n, at: null } : i % 11 === 0 ? { n: d.n } : { n: d.n, at: d.at })) });

  for (const coll of ['posts', 'mixed']) {
    for (const sort of [{ at: -1, oid: -1 }, { at: 1, _id: 1 }, { score: 1, at: -1 }, { oid: 1 }]) {
      for (const filter of [{}, { course: 'b', hidden: false }, { $or: [{ hidden: false }, { n: { $lt: 40 } }] }]) {
        const all = batch(await run({ find: coll, filter, sort, batchSize: 1000 }));
        expect(batch(await run({ find: coll, filter, sort, limit: 21 }))).toEqual(all.slice(0, 21));
        expect(batch(await run({ find: coll, filter, sort, skip: 30, limit: 10 }))).toEqual(all.slice(30, 40));
      }
    }
  }
});
