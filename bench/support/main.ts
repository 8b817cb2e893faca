/** Runs a benchmark file on its own (`node dist/bench/x.js`): exit 0 when done, 1 with the error printed. */
export function runIfMain(mod: NodeModule, run: () => Promise<unknown>): void {
  if (require.main !== mod) return;
  run().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
