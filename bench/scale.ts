/*
 * Pages at an institution's scale: the coordinator's cohort, grades and roster pages, a mentor's dashboard (ten
 * candidates, and a busy mentor with 150) and a candidate's comments and sharing page, in courses of 15, 150 and
 * 1,500 candidates (BENCH_SIZES), seeded through the real models (test/support/cohort-seed.ts) and asked for through
 * real launched sessions. Requests alternate between the sizes so a busy machine weighs on both alike.
 *
 * The same rows shown: the largest course gets as many candidates again as the smallest (1,515), so its last page
 * of the paginated lists shows what the small course's one page shows (15 candidates; the roster's 19 people); that
 * last page is compared with the small course's page. Against the middle course (150, a full page of 50), its
 * first page. Pages that show the same rows at every size (a mentor's ten, one candidate's section) compare as
 * they are; the busy mentor has 15 candidates in the small course, so is compared with 150 only. Prints the
 * medians, the ratios (goal: within 2x) and the database commands per request at each size (goal: no more in a
 * larger course). `npm run bench -- scale`.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { seedCohort, type SeededCohort } from '../test/support/cohort-seed';
import type { ToolSession } from '../test/support/launch';
import { countOps } from './support/ops';
import { record } from './support/summary';
import { runIfMain } from './support/main';
import { withBenchTool } from './support/tool';

const SIZES = (process.env.BENCH_SIZES ?? '15,150,1500').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const RATIO_GOAL = 2;

interface Course {
  seeded: SeededCohort;
  sessions: Record<'coordinator' | 'mentor' | 'busyMentor' | 'candidate', ToolSession>;
}

interface Page {
  page: string;
  who: keyof Course['sessions'];
  url: (s: SeededCohort) => string;
  /** Paginated: the largest course's last page is compared with the smallest course's page. */
  paged?: true;
  /** Shows more rows in a larger course up to the middle size (the busy mentor's 150): not compared with the smallest. */
  notWithSmallest?: true;
}

const PAGES: Page[] = [
  { page: 'cohort (coordinator)', who: 'coordinator', url: () => '/cohort', paged: true },
  { page: 'grades (coordinator)', who: 'coordinator', url: () => '/gradebook', paged: true },
  { page: 'roster (coordinator)', who: 'coordinator', url: () => '/gradebook/roster', paged: true },
  { page: 'mentor dashboard, 10 candidates', who: 'mentor', url: () => '/mentoring' },
  { page: 'mentor dashboard, 150 candidates', who: 'busyMentor', url: () => '/mentoring', notWithSmallest: true },
  { page: "candidate's comments and sharing", who: 'candidate', url: (s) => `/mentoring/sections/${s.candidateSectionId}` },
];

/** The last page a paginated list offers (1 when it has one page). */
async function lastPageOf(session: ToolSession, url: string): Promise<string> {
  const first = await session.get(url);
  const pages = [...first.html.matchAll(/[?&;]page=(\d+)/g)].map((m) => Number(m[1]));
  const last = Math.max(1, ...pages);
  return last > 1 ? `${url}?page=${last}` : url;
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
  await withBenchTool(`bench_scale_${Date.now()}`, async ({ tool, platform, engine }) => {
    const courses = new Map<number, Course>();
    const smallest = SIZES[0];
    const largest = SIZES[SIZES.length - 1];
    for (const size of SIZES) {
      const started = performance.now();
      const candidates = size === largest && SIZES.length > 1 ? size + smallest : size; // its last page shows the smallest's rows
      const seeded = await seedCohort(tool, platform, { candidates, busyMentees: Math.min(150, size), title: `Scale ${size}` });
      courses.set(size, {
        seeded,
        sessions: {
          coordinator: await seeded.launch(seeded.coordinator, 'Instructor'),
          mentor: await seeded.launch(seeded.mentor, 'TeachingAssistant'),
          busyMentor: await seeded.launch(seeded.busyMentor, 'TeachingAssistant'),
          candidate: await seeded.launch(seeded.candidate, 'Learner'),
        },
      });
      console.log(`seeded ${candidates} candidates in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const rows: string[][] = [];
    let met = 0;
    const middle = SIZES.length > 2 ? SIZES[SIZES.length - 2] : undefined;
    // The longest the event loop was held while the pages were built, first (cold) views included: the engine runs
    // in this process too, as the default install's does. On a loaded machine this includes time the OS took away.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    // The longest garbage collection pause in the same time: the embedded engine keeps its data on this heap, so a
    // full collection's pause grows with everything stored, whatever the page asked for.
    let gcMax = 0;
    const gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMax = Math.max(gcMax, e.duration);
    });
    gc.observe({ entryTypes: ['gc'] });
    let heldMs = 0;
    for (const p of PAGES) {
      loop.reset();
      gcMax = 0;
      // What is asked at each size: the page, and for the largest course also its last page (paginated lists).
      const asks: Array<{ key: string; size: number; url: string }> = [];
      for (const size of SIZES) {
        const c = courses.get(size)!;
        asks.push({ key: String(size), size, url: p.url(c.seeded) });
        if (p.paged && size === largest) asks.push({ key: 'last', size, url: await lastPageOf(c.sessions[p.who], p.url(c.seeded)) });
      }
      const times = new Map<string, number[]>(asks.map((a) => [a.key, []]));
      const bytes = new Map<string, number>();
      const ops = new Map<string, number>();
      for (const a of asks) {
        const s = courses.get(a.size)!.sessions[p.who];
        await timed(s, a.url); // warm-up: per-process caches, the engine's plans
        const n = await countOps(() => timed(s, a.url));
        ops.set(a.key, n.ours + n.ltijs);
      }
      for (let i = 0; i < ROUNDS; i += 1) {
        for (const a of asks) {
          const r = await timed(courses.get(a.size)!.sessions[p.who], a.url);
          times.get(a.key)!.push(r.ms);
          bytes.set(a.key, r.bytes);
        }
      }
      const at = (key: string) => median(times.get(key)!);
      const largeSame = p.paged ? 'last' : String(largest);
      const vsSmallest = p.notWithSmallest || SIZES.length < 2 ? undefined : at(largeSame) / at(String(smallest));
      const vsMiddle = middle === undefined ? undefined : at(String(largest)) / at(String(middle));
      const counts = asks.map((a) => ops.get(a.key)!);
      const flatOps = counts.every((n) => n <= counts[0]);
      const ok = (vsSmallest ?? 0) <= RATIO_GOAL && (vsMiddle ?? 0) <= RATIO_GOAL && flatOps;
      if (ok) met += 1;
      const pageHeld = loop.max / 1e6;
      heldMs = Math.max(heldMs, pageHeld);
      const show = (key: string) => `${at(key).toFixed(1)} ms, ${(bytes.get(key)! / 1024).toFixed(0)} KB`;
      rows.push([
        p.page,
        ...SIZES.map((s) => show(String(s))),
        p.paged ? show('last') : '(same page)',
        vsSmallest === undefined ? '-' : vsSmallest.toFixed(2),
        vsMiddle === undefined ? '-' : vsMiddle.toFixed(2),
        counts.join(' / '),
        `${pageHeld.toFixed(0)} ms (GC ${gcMax.toFixed(0)} ms)`,
        ok ? 'MET' : 'NOT MET',
      ]);
      const big = largest.toLocaleString('en-GB');
      if (vsSmallest !== undefined) {
        record({ figure: `scale: ${p.page}, ${big} over ${smallest}, same rows`, goal: `<= ${RATIO_GOAL}x`, value: vsSmallest, text: `${vsSmallest.toFixed(2)}x`, met: vsSmallest <= RATIO_GOAL, note: `${at(largeSame).toFixed(1)} vs ${at(String(smallest)).toFixed(1)} ms` });
      }
      if (vsMiddle !== undefined) {
        record({ figure: `scale: ${p.page}, ${big} over ${middle}`, goal: `<= ${RATIO_GOAL}x`, value: vsMiddle, text: `${vsMiddle.toFixed(2)}x`, met: vsMiddle <= RATIO_GOAL, note: `${at(String(largest)).toFixed(1)} vs ${at(String(middle)).toFixed(1)} ms` });
      }
      record({ figure: `scale: ${p.page}, database commands per request (${SIZES.join(' / ')}${p.paged ? ' / last page' : ''})`, goal: 'no more when larger', value: counts[counts.length - 1], text: counts.join(' / '), met: flatOps });
    }
    loop.disable();
    gc.disconnect();
    record({ figure: 'scale: longest the event loop was held while building these pages (any size, cold views included)', goal: '<= 50 ms', value: heldMs, text: `${heldMs.toFixed(0)} ms`, met: heldMs <= 50 });
    const sizeHead = (s: number) => `${s.toLocaleString('en-GB')}${s === largest && SIZES.length > 1 ? ` (+${smallest})` : ''} candidates, page 1`;
    const head = ['page', ...SIZES.map(sizeHead), 'largest, last page', `ratio ${largest}/${smallest}, same rows`, middle === undefined ? 'ratio -' : `ratio ${largest}/${middle}`, 'db commands (goal: no more when larger)', 'event loop held (max; longest GC pause)', `goal (<= ${RATIO_GOAL}x)`];
    console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log(`\nscale: ${met} of ${rows.length} pages within ${RATIO_GOAL}x with no more database commands (median of ${ROUNDS}, ${engine ? 'embedded engine' : 'MongoDB'})`);
  });
}

runIfMain(module, run);
