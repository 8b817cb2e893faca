/*
 * A burst of first saves: BENCH_BURST (default 200) candidates, each launched for real and with a portfolio just
 * started, all send the first autosave of a section at once (the moment a workshop says "now start writing").
 * Meanwhile a load balancer asks /healthz every 50 ms and new people launch one after another, until the saves are
 * done. Goal (issue 24): the saves queue, nobody else starves: /healthz and a launch each answer within a second.
 * Prints the saves' median and p99, the slowest /healthz and launch during the burst, and the longest event-loop
 * hold. The tool, its embedded engine and this client share one process, as `npm start` does with the engine.
 * `npm run bench -- burst`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Portfolio, Section } from '../src/portfolio/models';
import { User } from '../src/people/user.model';
import { launchAs, type ToolSession } from '../test/support/launch';
import { countOps } from './support/ops';
import { record } from './support/summary';
import { runIfMain } from './support/main';
import { withBenchTool } from './support/tool';

const WRITERS = Number(process.env.BENCH_BURST ?? 200);
const ANSWER_GOAL_MS = 1000;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export async function run(): Promise<void> {
  await withBenchTool(`bench_burst_${Date.now()}`, async ({ tool, platform }) => {
    const course = platform.course({ title: 'Burst' });
    const started = performance.now();
    const writers: Array<{ s: ToolSession; sectionId: string }> = [];
    for (let i = 0; i <= WRITERS; i += 1) { // one more: the probe of a save's database commands
      const user = platform.user({ name: `Writer ${i + 1}` });
      const s = await launchAs(tool, platform, { role: 'Learner', user, course });
      if (!s.ok) throw new Error(`launch ${i + 1} failed: ${s.status}`);
      const start = await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' });
      if (start.status !== 200) throw new Error(`start ${i + 1} failed: ${start.status}`);
      const me = await User.findOne({ sub: user.id }, { _id: 1 }).lean();
      const portfolio = await Portfolio.findOne({ userId: String(me!._id) }, { _id: 1 }).lean();
      const section = await Section.findOne({ portfolio: portfolio!._id, areaId: 'future-plans' }, { _id: 1, version: 1 }).lean();
      writers.push({ s, sectionId: String(section!._id) });
    }
    // What one save costs in database commands, the first of a section and the next (the burst is of first saves).
    const probe = writers.pop()!;
    const first = await countOps(() => probe.s.put(`/portfolio/sections/${probe.sectionId}`, { baseVersion: 0, body: '<p>A first sentence.</p>' }));
    const next = await countOps(() => probe.s.put(`/portfolio/sections/${probe.sectionId}`, { baseVersion: 1, body: '<p>A first sentence, and a second.</p>' }));
    console.log(`database commands: a section's first save ${first.ours + first.ltijs}, the next save ${next.ours + next.ltijs}`);
    console.log(`${WRITERS + 1} candidates launched, each with a portfolio started, in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let bursting = true;
    const health: number[] = [];
    const launches: number[] = [];
    // The others, side by side: a load balancer's /healthz every 50 ms, and new people launching one after another.
    const healthChecks = (async () => {
      while (bursting) {
        health.push((await timed(() => fetch(new URL('/healthz', tool.baseUrl)).then((r) => r.text()))).ms);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const newcomers = (async () => {
      for (let n = 1; bursting; n += 1) {
        const l = await timed(() => launchAs(tool, platform, { role: 'Learner', user: platform.user({ name: `Newcomer ${n}` }), course }));
        if (!l.value.ok) throw new Error(`a launch during the burst failed: ${l.value.status}`);
        launches.push(l.ms);
      }
    })();
    const others = Promise.all([healthChecks, newcomers]);
    const burst = await timed(() =>
      Promise.all(
        writers.map(async ({ s, sectionId }, i) => {
          const r = await timed(() => s.put(`/portfolio/sections/${sectionId}`, { baseVersion: 0, body: `<p>My first sentence, writer ${i + 1}.</p>` }));
          if (r.value.status !== 200) throw new Error(`save ${i + 1} answered ${r.value.status}: ${r.value.html.slice(0, 200)}`);
          return r.ms;
        }),
      ),
    );
    bursting = false;
    await others;
    loop.disable();
    const saves = burst.value;
    const slowestHealth = Math.max(...health);
    const slowestLaunch = launches.length ? Math.max(...launches) : NaN;
    const held = loop.max / 1e6;
    console.log(`burst of ${WRITERS} first saves: all done in ${(burst.ms / 1000).toFixed(2)} s; saves p50 ${percentile(saves, 0.5).toFixed(0)} ms, p99 ${percentile(saves, 0.99).toFixed(0)} ms`);
    console.log(`meanwhile: ${health.length} /healthz answers, slowest ${slowestHealth.toFixed(0)} ms; ${launches.length} launches, slowest ${slowestLaunch.toFixed(0)} ms; event loop held at most ${held.toFixed(0)} ms`);
    record({ figure: `burst: slowest /healthz while ${WRITERS} first saves queue`, goal: `<= ${ANSWER_GOAL_MS} ms`, value: slowestHealth, text: `${slowestHealth.toFixed(0)} ms`, met: slowestHealth <= ANSWER_GOAL_MS, note: `${health.length} asked` });
    record({ figure: `burst: slowest launch while ${WRITERS} first saves queue`, goal: `<= ${ANSWER_GOAL_MS} ms`, value: slowestLaunch, text: `${slowestLaunch.toFixed(0)} ms`, met: slowestLaunch <= ANSWER_GOAL_MS, note: `${launches.length} launched` });
    record({ figure: `burst: ${WRITERS} first saves, p99 / p50`, goal: '< 5', value: percentile(saves, 0.99) / percentile(saves, 0.5), met: percentile(saves, 0.99) / percentile(saves, 0.5) < 5, note: `p50 ${percentile(saves, 0.5).toFixed(0)} ms` });
  });
}

runIfMain(module, run);
