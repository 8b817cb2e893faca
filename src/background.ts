import type { Logger } from 'pino';

export interface BackgroundLoop {
  /** Ask for a run soon (coalesced): a kick during a run causes one more run after it, so nothing waits for the timer. */
  kick(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs` and whenever kicked, never two at once; a failure is logged once per run.
 * Shared by the tool's workers that drain a queue (notification emails, the scheme's emails).
 */
export function startBackgroundLoop(work: () => Promise<unknown>, opts: { intervalMs: number; log: Logger; failure: string; enabled?: () => boolean }): BackgroundLoop {
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped || (opts.enabled && !opts.enabled())) return;
    if (running) return void (again = true);
    running = work()
      .catch((err) => opts.log.error({ err }, opts.failure))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, opts.intervalMs);
  timer.unref();
  return {
    kick: () => void setImmediate(run),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
