import type { Logger } from 'pino';
import { drainSchemeEmails, onEmailQueued } from './mail';
import { queueMeetingReminders } from './meetings.service';

export interface SchemeMailer {
  kick(): void;
  stop(): Promise<void>;
}

/** The scheme's background work, started and stopped by boot.ts: due meeting reminders are queued, then the outbox is sent. Without SMTP_URL emails stay queued and the pages still say everything. */
export function startSchemeMailer(config: { smtpUrl?: string; mailFrom: string }, log: Logger, intervalMs = 30_000): SchemeMailer {
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped || !config.smtpUrl) return;
    if (running) return void (again = true);
    running = queueMeetingReminders()
      .then(() => drainSchemeEmails({ smtpUrl: config.smtpUrl!, mailFrom: config.mailFrom, log }))
      .catch((err) => log.error({ err }, 'scheme email drain failed'))
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
  const kick = () => void setImmediate(run);
  onEmailQueued(kick);
  return {
    kick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      onEmailQueued(() => undefined);
      await running;
    },
  };
}
