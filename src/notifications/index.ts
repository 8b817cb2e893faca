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

const notifiers = new WeakMap<object, Notifier>();

/** One notifier (and email worker) per app: the routers of mentoring and cohort share it. */
export function notifierFor(deps: { config: { smtpUrl?: string; mailFrom: string }; log: Logger }): Notifier {
  const existing = notifiers.get(deps);
  if (existing) return existing;
  const worker = startEmailWorker(deps.config, deps.log);
  const notifier = { worker, options: { emailEnabled: Boolean(deps.config.smtpUrl), onEmailQueued: () => worker.kick() } };
  notifiers.set(deps, notifier);
  return notifier;
}
