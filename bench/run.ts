/* Runs every benchmark in bench/ in turn; each prints ratios measured against a baseline in the same run. */
import { readdirSync } from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'run.js')
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  for (const file of files) {
    const bench = require(path.join(__dirname, file)) as { run?: () => Promise<void> };
    if (typeof bench.run !== 'function') continue;
    console.log(`\n=== ${file.replace(/\.js$/, '')}`);
    await bench.run();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
