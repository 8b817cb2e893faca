/**
 * The learning set's first page: listing it for a space with 5,000 posts against one with 50, through the
 * community service and mongoose on the embedded database (or MONGODB_URI when set). Keyset pages on
 * (courseId, createdAt, _id) should keep the ratio small; an OFFSET or a count of every post would not.
 */
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../src/db/embedded';
import { Post } from '../src/community/models';
import { listPosts } from '../src/community/service';
import { runIfMain } from './support/main';

const ROUNDS = 200;
const silent = { warn: () => undefined, info: () => undefined };

async function seed(courseId: string, count: number): Promise<void> {
  const start = Date.now() - count * 60_000;
  for (let i = 0; i < count; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
      courseId, authorId: `u${(i + j) % 12}`, authorName: 'Bench', kind: 'question', title: `Post ${i + j}`,
      body: '<p>What did you try?</p>', plain: `Post ${i + j} What did you try?`, hidden: (i + j) % 50 === 0, createdAt: new Date(start + (i + j) * 60_000),
    }));
    await Post.insertMany(batch);
  }
}

async function firstPageMicros(courseId: string): Promise<number> {
  const who = { userId: 'u1', courseId, roles: ['candidate'] };
  const t = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i += 1) await listPosts(who);
  return Number(process.hrtime.bigint() - t) / 1e3 / ROUNDS;
}

export async function run(): Promise<void> {
  const server = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ log: silent });
  await mongoose.connect(process.env.MONGODB_URI ?? server!.uri, { dbName: `bench_community_${Date.now()}` });
  try {
    await Post.init();
    await seed('small', 50);
    await seed('large', 5_000);
    await firstPageMicros('small'); // warm-up
    await firstPageMicros('large');
    const small = await firstPageMicros('small');
    const large = await firstPageMicros('large');
    console.log(`community first page: ${small.toFixed(0)} us with 50 posts, ${large.toFixed(0)} us with 5,000 posts`);
    console.log(`community first-page ratio 5,000/50: ${(large / small).toFixed(2)} (${server ? 'embedded engine' : 'MongoDB'})`);
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await server?.close();
  }
}

runIfMain(module, run);
