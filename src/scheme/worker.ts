import type { Logger } from 'pino';
import { startBackgroundLoop } from '../background';
import { drainSchemeEmails, onEmailQueued } from './mail';
import { queueMeetingReminders } from './meetings.service';

export interface SchemeMailer {
  kick(): void;
  stop(): Promise<void>;
}

/** The scheme's background work, started and stopped by boot.ts: due meeting reminders are queued, then the outbox is sent. Without SMTP_URL emails stay queued and the pages still say everything. */
export function startSchemeMailer(config: { smtpUrl?: string; mailFrom: string }, log: Logger, intervalMs = 30_000): SchemeMailer {
  const loop = startBackgroundLoop(
    () => queueMeetingReminders().then(() => drainSchemeEmails({ smtpUrl: config.smtpUrl!, mailFrom: config.mailFrom, log })),
    { intervalMs, log, failure: 'scheme email drain failed', enabled: () => Boolean(config.smtpUrl) },
  );
  onEmailQueued(loop.kick);
  return {
    kick: loop.kick,
    stop: async () => {
      onEmailQueued(() => undefined);
      await loop.stop();
    },
  };
}
