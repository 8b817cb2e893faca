import { Types } from 'mongoose';
import { EmailChoice, EmailJob, Notification, NotificationDoc, NotificationKind, NotificationPreference } from './models';

/** Whether emails go out at all (SMTP_URL set); the in-app list works either way. */
export interface NotifyOptions {
  emailEnabled: boolean;
  /** Called after an immediate email job is written, so a worker can send it without waiting for its tick. */
  onEmailQueued?: () => void;
}

export interface NewNotification {
  userId: string;
  courseId: string;
  kind: NotificationKind;
  text: string;
  /** What was said (a comment's words), plain text, cut short; shown under the text. */
  excerpt?: string;
  path: string;
  key: string;
}

export const DIGEST_HOUR_UTC = 7;

/** The next morning's digest time after `now`. */
export function nextDigestAt(now = new Date()): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR_UTC));
  if (at <= now) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

export async function emailChoiceOf(userId: string): Promise<EmailChoice> {
  const pref = await NotificationPreference.findOne({ userId }).lean();
  return pref?.email ?? 'immediate';
}

export async function setEmailChoice(userId: string, email: EmailChoice): Promise<void> {
  await NotificationPreference.updateOne({ userId }, { $set: { email } }, { upsert: true });
}

/**
 * Records one notification (once per `key`, so a retried event does not repeat it) and, when email is on,
 * queues the email the person chose. Returns null when the event was already recorded.
 */
export async function notify(input: NewNotification, options: NotifyOptions): Promise<NotificationDoc | null> {
  let created: NotificationDoc;
  try {
    created = (await Notification.create({ ...input })).toObject() as NotificationDoc;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return null;
    throw err;
  }
  if (!options.emailEnabled) return created;
  const choice = await emailChoiceOf(input.userId);
  if (choice === 'immediate') {
    await EmailJob.create({ kind: 'immediate', userId: input.userId, courseId: input.courseId, notificationId: created._id, runAt: new Date() });
    options.onEmailQueued?.();
  } else if (choice === 'digest') {
    // One pending digest per person; a race may make two, and the later one finds nothing left to send.
    await EmailJob.updateOne(
      { userId: input.userId, kind: 'digest', status: 'pending' },
      { $setOnInsert: { courseId: input.courseId, runAt: nextDigestAt(), attempts: 0, leaseUntil: null, notificationId: null } },
      { upsert: true },
    );
  }
  return created;
}

export async function notificationsFor(userId: string, courseId: string, limit = 50): Promise<NotificationDoc[]> {
  return (await Notification.find({ userId, courseId }).sort({ createdAt: -1 }).limit(limit).lean()) as NotificationDoc[];
}

export async function unreadCount(userId: string, courseId: string): Promise<number> {
  return Notification.countDocuments({ userId, courseId, readAt: null });
}

/** Marks one (or every) notification read; only the person's own. Returns how many changed. */
export async function markRead(userId: string, courseId: string, id?: string): Promise<number> {
  if (id !== undefined && !Types.ObjectId.isValid(id)) return 0;
  const filter = { userId, courseId, readAt: null, ...(id ? { _id: id } : {}) };
  const r = await Notification.updateMany(filter, { $set: { readAt: new Date() } });
  return r.modifiedCount;
}

/** Mentoring marks a notification read when the person has seen what it pointed at. */
/** Marks read what points at `path` (the page being opened); returns how many changed. */
export async function markReadByPath(userId: string, path: string): Promise<number> {
  const r = await Notification.updateMany({ userId, path, readAt: null }, { $set: { readAt: new Date() } });
  return r.modifiedCount;
}

