import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

const ids = (reply: Document) => ((reply.cursor as Document).firstBatch as Document[]).map((d) => d._id);

test('$text finds words in the text-indexed fields (any word, quoted phrases, -negation, case, accents, plurals) and needs a text index', async () => {
  const { run } = harness();
  await run({ insert: 'posts', documents: [
    { _id: 1, title: 'Captions in lecture capture', plain: 'Students used them', tags: ['accessibility'], course: 'a' },
    { _id: 2, title: 'Padlet for reflection', plain: 'A café discussion wall', tags: ['tools'], course: 'a' },
    { _id: 3, title: 'Rubrics', plain: 'Marking with rubrics and captions', tags: [], course: 'b' },
    { _id: 4, title: 'Other', plain: 'Nothing here', tags: [], secret: 'captions', course: 'a' },
  ] });

  const refused = await run({ find: 'posts', filter: { $text: { $search: 'captions' } } }).catch((e: unknown) => e as Document);
  expect(String((refused as Document).code ?? (refused as Document).errmsg ?? refused)).toMatch(/27|text index required/);

  await run({ createIndexes: 'posts', indexes: [{ key: { title: 'text', plain: 'text', tags: 'text' }, name: 'search' }] });
  const find = (filter: Document) => run({ find: 'posts', filter, sort: { _id: 1 } }).then(ids);
  expect(await find({ $text: { $search: 'CAPTION' } })).toEqual([1, 3]); // not 4: `secret` is not indexed
  expect(await find({ $text: { $search: 'caption' }, course: 'a' })).toEqual([1]);
  expect(await find({ $text: { $search: 'cafe wall' } })).toEqual([2]);
  expect(await find({ $text: { $search: 'accessibility tools' } })).toEqual([1, 2]); // any word; tags too
  expect(await find({ $text: { $search: 'captions -rubric' } })).toEqual([1]);
  expect(await find({ $text: { $search: '"lecture capture"' } })).toEqual([1]);
  expect(await find({ $text: { $search: '"capture lecture"' } })).toEqual([]);
  expect(((await run({ count: 'posts', query: { $text: { $search: 'captions' } } })) as Document).n).toBe(2);
});
