import { Binary } from 'bson';
import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

const MiB = 1024 * 1024;
const batchBytes = (docs: Document[]) => docs.reduce((n, d) => n + ((d.data as Binary).length() + 64), 0);

test('cursor batches stop before 16 MiB of documents, as MongoDB does, and a getMore carries on where they stopped', async () => {
  const { run } = harness();
  const docs = Array.from({ length: 40 }, (_, i) => ({ _id: i, data: new Binary(Buffer.alloc(MiB, i)) }));
  await run({ insert: 'chunks', documents: docs });

  const first = (await run({ find: 'chunks', filter: {}, sort: { _id: 1 } })).cursor as Document;
  const firstBatch = first.firstBatch as Document[];
  expect(firstBatch).toHaveLength(15); // 16 documents of 1 MiB + their fields pass 16 MiB
  expect(batchBytes(firstBatch)).toBeLessThanOrEqual(16 * MiB);
  const seen = firstBatch.map((d) => d._id);
  let id = first.id;
  while (String(id) !== '0') {
    const more = (await run({ getMore: id, collection: 'chunks' })).cursor as Document;
    const batch = more.nextBatch as Document[];
    expect(batch.length).toBeGreaterThan(0);
    expect(batchBytes(batch)).toBeLessThanOrEqual(16 * MiB);
    seen.push(...batch.map((d) => d._id));
    id = more.id;
  }
  expect(seen).toEqual(docs.map((d) => d._id));

  // A document over the cap on its own is still sent, alone (never an empty batch that loops forever).
  await run({ insert: 'big', documents: [{ _id: 1, data: new Binary(Buffer.alloc(16 * MiB - 16)) }, { _id: 2, data: new Binary(Buffer.alloc(10)) }] });
  const big = (await run({ find: 'big', filter: {}, sort: { _id: 1 } })).cursor as Document;
  expect((big.firstBatch as Document[]).map((d) => d._id)).toEqual([1]);
});
