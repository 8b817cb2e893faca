import { Long } from 'bson';
import { CURSOR_LIMITS } from '../../../src/db/embedded/engine/cursors';
import type { Document } from '../../../src/db/embedded/types';
import { harness } from './engine-harness';

const h = harness();
const session = (n: number) => ({ id: `session-${n}` });
const open = async (lsid: Document) => ((await h.run({ find: 'many', filter: {}, batchSize: 1, lsid })).cursor as Document).id as Long;
const more = (id: Long) => h.raw({ getMore: id, collection: 'many', batchSize: 1 });

beforeAll(async () => {
  await h.run({ insert: 'many', documents: Array.from({ length: 20 }, (_, i) => ({ _id: i, text: 'x'.repeat(1000) })) });
});

test('ending a session closes the cursors it opened, and only those', async () => {
  const mine = await open(session(1));
  const theirs = await open(session(2));
  await h.run({ endSessions: [session(1)] }, 'admin');
  expect(await more(mine)).toMatchObject({ ok: 0, codeName: 'CursorNotFound' });
  expect(await more(theirs)).toMatchObject({ ok: 1 });
});

test('idle cursors are capped in number and bytes: the least recently used close first', async () => {
  const saved = { ...CURSOR_LIMITS };
  try {
    CURSOR_LIMITS.count = 3;
    const ids: Long[] = [];
    for (let i = 0; i < 3; i++) ids.push(await open(session(10 + i)));
    await more(ids[0]); // used again: now the most recent
    ids.push(await open(session(20)));
    expect(await more(ids[1])).toMatchObject({ ok: 0, codeName: 'CursorNotFound' }); // the least recently used
    expect(await more(ids[0])).toMatchObject({ ok: 1 });
    CURSOR_LIMITS.count = 1000;
    CURSOR_LIMITS.bytes = 30_000; // about one cursor's worth of the remaining 19 documents
    const first = await open(session(30));
    const second = await open(session(31));
    expect(await more(first)).toMatchObject({ ok: 0, codeName: 'CursorNotFound' });
    expect(await more(second)).toMatchObject({ ok: 1 });
  } finally {
    Object.assign(CURSOR_LIMITS, saved);
  }
});
