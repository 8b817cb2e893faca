import type { Logger } from 'pino';
import { drainEmailJobs } from './email.job';

export interface EmailWorker {
  /** Ask for a drain soon (coalesced); the request that queued an email never waits for SMTP. */
  kick(): void;
  drainOnce(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Sends queued emails every `intervalMs` and whenever kicked. Without SMTP_URL it does nothing. */
export function startEmailWorker(config: { smtpUrl?: string; mailFrom: string }, log: Logger, intervalMs = 30_000): EmailWorker {
  let running: Promise<unknown> | null = null;
  let again = false; // a kick during a drain runs one more drain after it, so no queued email waits for the timer
  let stopped = false;
  const drainOnce = async () => (config.smtpUrl ? drainEmailJobs({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, log }) : {});
  const run = () => {
    if (stopped || !config.smtpUrl) return;
    if (running) {
      again = true;
      return;
    }
    running = drainOnce()
      .catch((err) => log.error({ err }, 'email worker drain failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    kick: () => void setImmediate(run),
    drainOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
