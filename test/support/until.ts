/**
 * Waits for something the tool does on its own (a save, a background job, a listener) by polling it: no fixed
 * sleep, so a slow machine only takes longer. Fails with `what` once `ms` have passed.
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
