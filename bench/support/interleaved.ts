/*
 * Throughput of several workloads measured in alternating short slices, so that a noisy shared machine (other
 * tenants, CPU frequency, GC) weighs on each the same: a ratio between two of them is then stable from run to
 * run, where back-to-back measurements of a few seconds each drifted by a factor of two.
 */

export interface Workload {
  name: string;
  /** Concurrent loops, each awaiting `once` again as soon as it returns. */
  workers: number;
  once: (worker: number) => Promise<void>;
}

export interface Measured {
  perSecond: number;
  count: number;
  p50: number;
  p99: number;
}

export interface InterleaveOptions {
  /** Time each workload runs in all (default BENCH_MS or 5000). */
  totalMs?: number;
  /** One slice (default 250 ms). */
  sliceMs?: number;
}

async function slice(w: Workload, ms: number, latencies: number[]): Promise<number> {
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: w.workers }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await w.once(worker);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return performance.now() - started; // includes the last operations finishing after the deadline
}

/** Runs every workload once to warm it, then in turn, a slice each, until each has had `totalMs`. */
export async function interleaved(workloads: Workload[], opts: InterleaveOptions = {}): Promise<Record<string, Measured>> {
  const totalMs = opts.totalMs ?? Number(process.env.BENCH_MS ?? 5000);
  const sliceMs = opts.sliceMs ?? 250;
  for (const w of workloads) await slice(w, Math.min(sliceMs, 100), []);
  const state = workloads.map(() => ({ elapsed: 0, latencies: [] as number[] }));
  while (state.some((s) => s.elapsed < totalMs)) {
    for (const [i, w] of workloads.entries()) state[i].elapsed += await slice(w, sliceMs, state[i].latencies);
  }
  const result: Record<string, Measured> = {};
  for (const [i, w] of workloads.entries()) {
    const sorted = state[i].latencies.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    result[w.name] = { perSecond: sorted.length / (state[i].elapsed / 1000), count: sorted.length, p50: at(0.5), p99: at(0.99) };
  }
  return result;
}
