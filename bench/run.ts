/*
 * Runs every benchmark in bench/ in turn (or those named: `npm run bench -- launch scale`); each prints ratios
 * measured against a baseline in the same run, and the figures with a goal are gathered into one table at the end
 * (bench/support/summary.ts). `npm run bench -- summary` runs only what the table needs (launch, portfolio,
 * gradebook, scale, burst); BENCH_RUNS=3 runs the selection three times and gives each run its column.
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { nextRun, summaryTable } from './support/summary';

const SUMMARY = ['launch', 'portfolio', 'gradebook', 'scale', 'burst'];

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const only = asked.flatMap((a) => (a === 'summary' ? SUMMARY : [a]));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'run.js')
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
  const loads: string[] = [];
  for (let run = 0; run < runs; run += 1) {
    if (run > 0) nextRun();
    const before = loadavg()[0];
    for (const file of files) {
      const bench = require(path.join(__dirname, file)) as { run?: () => Promise<void> };
      if (typeof bench.run !== 'function') continue;
      console.log(`\n=== ${file.replace(/\.js$/, '')}${runs > 1 ? ` (run ${run + 1} of ${runs})` : ''}`);
      await bench.run();
    }
    loads.push(`${before.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
  }
  const table = summaryTable();
  if (table) {
    console.log(`\n=== summary: every figure with its goal (machine load average, 1 min, at the start and end of each run: ${loads.join('; ')})\n`);
    console.log(table);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
