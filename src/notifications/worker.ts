import type { Logger } from 'pino';
import { startBackgroundLoop } from '../background';
import { drainEmailJobs } from './email.job';

export interface EmailWorker {
  /** Ask for a drain soon (coalesced); the request that queued an email never waits for SMTP. */
  kick(): void;
  drainOnce(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Sends queued emails every `intervalMs` and whenever kicked. Without SMTP_URL it does nothing. */
export function startEmailWorker(config: { smtpUrl?: string; mailFrom: string }, log: Logger, intervalMs = 30_000): EmailWorker {
  const drainOnce = async () => (config.smtpUrl ? drainEmailJobs({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, log }) : {});
  const loop = startBackgroundLoop(drainOnce, { intervalMs, log, failure: 'email worker drain failed', enabled: () => Boolean(config.smtpUrl) });
  return { kick: loop.kick, drainOnce, stop: loop.stop };
}
