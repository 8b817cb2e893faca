/*
 * One table of every figure the benchmarks measure against a goal: each benchmark records its figures as it prints
 * them, and bench/run.ts prints the table at the end (one column per run with BENCH_RUNS).
 */

export interface Figure {
  /** What is measured, e.g. "launch: full launches / protocol minimum". */
  figure: string;
  /** The goal in words, e.g. ">= 0.8". */
  goal: string;
  value: number;
  /** How the value is shown (default: two decimals). */
  text?: string;
  met: boolean;
  /** Said beside the value, e.g. database calls per launch. */
  note?: string;
}

const runs: Figure[][] = [[]];

/** Records a figure of the current run. */
export function record(f: Figure): void {
  runs[runs.length - 1].push(f);
}

/** Starts another run's column. */
export function nextRun(): void {
  runs.push([]);
}

const cell = (f: Figure | undefined) => (f ? `${f.text ?? f.value.toFixed(2)} ${f.met ? 'MET' : 'NOT MET'}${f.note ? ` (${f.note})` : ''}` : '-');

/** The table in Markdown: a row per figure, a column per run, and whether it met its goal in every run. */
export function summaryTable(): string {
  const done = runs.filter((r) => r.length);
  if (!done.length) return '';
  const names = [...new Set(done.flatMap((r) => r.map((f) => f.figure)))];
  const head = ['figure', 'goal', ...done.map((_, i) => (done.length > 1 ? `run ${i + 1}` : 'measured')), ...(done.length > 1 ? ['every run'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const name of names) {
    const cells = done.map((r) => r.find((f) => f.figure === name));
    const goal = cells.find(Boolean)!.goal;
    const all = cells.every((c) => c?.met);
    lines.push(`| ${[name, goal, ...cells.map(cell), ...(done.length > 1 ? [all ? 'MET' : 'NOT MET'] : [])].join(' | ')} |`);
  }
  const met = names.filter((name) => done.every((r) => r.find((f) => f.figure === name)?.met)).length;
  lines.push('', `${met} of ${names.length} goals met${done.length > 1 ? ` in all ${done.length} runs` : ''}.`);
  return lines.join('\n');
}
