/*
 * Pages at an institution's scale: the coordinator's cohort, grades and roster pages, a mentor's dashboard (ten
 * candidates, and a busy mentor with 150) and a candidate's comments and sharing page, in a course of 150
 * candidates against one of 1,500 (BENCH_SIZES=15,1500 for others), seeded through the real models
 * (test/support/cohort-seed.ts) and asked for through real launched sessions. Requests alternate between the
 * sizes so a busy machine weighs on both alike; prints the median time of each, the ratio large/small (goal:
 * within 2x for the same rows shown) and the database commands per request at each size (goal: the same).
 * `npm run bench -- scale`.
 */
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../src/db/embedded';
import { seedCohort, type SeededCohort } from '../test/support/cohort-seed';
import type { ToolSession } from '../test/support/launch';
import { startTestPlatform } from '../test/support/platform';
import { startBenchTool } from './support/tool';

const SIZES = (process.env.BENCH_SIZES ?? '150,1500').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const RATIO_GOAL = 2;

const ltijsMongoose = require(require.resolve('mongoose', { paths: [path.dirname(require.resolve('ltijs'))] })) as typeof mongoose;

interface Course {
  seeded: SeededCohort;
  sessions: Record<'coordinator' | 'mentor' | 'busyMentor' | 'candidate', ToolSession>;
}

const PAGES: Array<{ page: string; who: keyof Course['sessions']; url: (s: SeededCohort) => string }> = [
  { page: 'cohort (coordinator)', who: 'coordinator', url: () => '/cohort' },
  { page: 'grades (coordinator)', who: 'coordinator', url: () => '/gradebook' },
  { page: 'roster (coordinator)', who: 'coordinator', url: () => '/gradebook/roster' },
  { page: 'mentor dashboard, 10 candidates', who: 'mentor', url: () => '/mentoring' },
  { page: 'mentor dashboard, 150 candidates', who: 'busyMentor', url: () => '/mentoring' },
  { page: "candidate's comments and sharing", who: 'candidate', url: (s) => `/mentoring/sections/${s.candidateSectionId}` },
];

/** Database commands sent by either copy of mongoose while `run` runs. */
async function countOps(run: () => Promise<unknown>): Promise<number> {
  let ops = 0;
  const count = () => void (ops += 1);
  mongoose.set('debug', count);
  ltijsMongoose.set('debug', count);
  try {
    await run();
  } finally {
    mongoose.set('debug', false);
    ltijsMongoose.set('debug', false);
  }
  return ops;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(session: ToolSession, url: string): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const answer = await session.get(url);
  const ms = performance.now() - t;
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
  return { ms, bytes: answer.html.length };
}

export async function run(): Promise<void> {
  const engine = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ log: { warn: () => undefined, info: () => undefined } });
  const dbBase = (process.env.MONGODB_URI ?? engine!.uri).split('?')[0].replace(/\/$/, '');
  const platform = await startTestPlatform();
  const tool = await startBenchTool(dbBase, `bench_scale_${Date.now()}`, platform);
  try {
    const courses = new Map<number, Course>();
    for (const size of SIZES) {
      const started = performance.now();
      const seeded = await seedCohort(tool, platform, { candidates: size, busyMentees: Math.min(150, size), title: `Scale ${size}` });
      courses.set(size, {
        seeded,
        sessions: {
          coordinator: await seeded.launch(seeded.coordinator, 'Instructor'),
          mentor: await seeded.launch(seeded.mentor, 'TeachingAssistant'),
          busyMentor: await seeded.launch(seeded.busyMentor, 'TeachingAssistant'),
          candidate: await seeded.launch(seeded.candidate, 'Learner'),
        },
      });
      console.log(`seeded ${size} candidates in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const rows: string[][] = [];
    let met = 0;
    for (const p of PAGES) {
      const times = new Map<number, number[]>(SIZES.map((s) => [s, []]));
      const bytes = new Map<number, number>();
      const ops = new Map<number, number>();
      for (const size of SIZES) {
        const c = courses.get(size)!;
        await timed(c.sessions[p.who], p.url(c.seeded)); // warm-up: per-process caches, the engine's plans
        ops.set(size, await countOps(() => timed(c.sessions[p.who], p.url(c.seeded))));
      }
      for (let i = 0; i < ROUNDS; i += 1) {
        for (const size of SIZES) {
          const c = courses.get(size)!;
          const r = await timed(c.sessions[p.who], p.url(c.seeded));
          times.get(size)!.push(r.ms);
          bytes.set(size, r.bytes);
        }
      }
      const small = median(times.get(SIZES[0])!);
      const large = median(times.get(SIZES[SIZES.length - 1])!);
      const ratio = large / small;
      const flatOps = new Set(ops.values()).size === 1;
      const ok = ratio <= RATIO_GOAL && flatOps;
      if (ok) met += 1;
      rows.push([
        p.page,
        ...SIZES.map((s) => `${median(times.get(s)!).toFixed(1)} ms, ${(bytes.get(s)! / 1024).toFixed(0)} KB`),
        ratio.toFixed(2),
        SIZES.map((s) => ops.get(s)).join(' / '),
        ok ? 'MET' : 'NOT MET',
      ]);
    }
    const head = ['page', ...SIZES.map((s) => `${s.toLocaleString('en-GB')} candidates`), `ratio ${SIZES[SIZES.length - 1]}/${SIZES[0]} (goal <= ${RATIO_GOAL})`, 'db commands (goal: equal)', 'goal'];
    console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log(`\nscale: ${met} of ${rows.length} pages within ${RATIO_GOAL}x with the same database commands (median of ${ROUNDS}, ${engine ? 'embedded engine' : 'MongoDB'})`);
  } finally {
    await tool.close();
    await platform.close();
    await engine?.close();
  }
}

if (require.main === module) {
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
