/** Notifications: an in-app list per person, and email (immediate or a daily digest) when SMTP_URL is set. */
import type { Logger } from 'pino';
import type { NotifyOptions } from './service';
import { startEmailWorker, type EmailWorker } from './worker';

export { notify, notificationsFor, unreadCount, markRead, markReadByPath, emailChoiceOf, setEmailChoice, type NotifyOptions } from './service';
export { drainEmailJobs, composeEmail } from './email.job';
export { courseLinkAfterLaunch, returnUrlOf } from './course-link';
export { notificationsRouter } from './routes';
export { unreadForPages } from './unread';
export type { EmailWorker } from './worker';
export { Notification, type NotificationDoc, type NotificationKind } from './models';

export interface Notifier {
  options: NotifyOptions;
  worker: EmailWorker;
}

/** The email worker (started here; boot.ts stops it) and what services need to queue emails through it. */
export function startNotifier(config: { smtpUrl?: string; mailFrom: string }, log: Logger): Notifier {
  const worker = startEmailWorker(config, log);
  return { worker, options: { emailEnabled: Boolean(config.smtpUrl), onEmailQueued: () => worker.kick() } };
}
