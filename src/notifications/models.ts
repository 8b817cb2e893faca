import { modelOnce as model } from '../db/model';
import { Schema, Types } from 'mongoose';

export const NOTIFICATION_KINDS = ['ready_for_review', 'comment', 'review', 'final_review', 'final_decision', 'changed_after_approval', 'cpd_reminder', 'community'] as const;
/** A comment's words in a notification: enough to know what it is about without opening it. */
export const EXCERPT_MAX = 200;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Something that needs one person's attention, shown in their list until they mark it read. */
export interface NotificationDoc {
  _id: Types.ObjectId;
  userId: string;
  courseId: string;
  kind: NotificationKind;
  text: string; // plain text, escaped on the way out
  excerpt: string; // what was said, plain text, at most EXCERPT_MAX characters ('' for older notifications)
  path: string; // an in-tool path (the page adds the session token)
  key: string; // one notification per event, however often the event is reported
  readAt: Date | null;
  emailedAt: Date | null;
  createdAt: Date;
}
const notificationSchema = new Schema<NotificationDoc>(
  {
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    text: { type: String, required: true },
    excerpt: { type: String, default: '' },
    path: { type: String, required: true },
    key: { type: String, required: true },
    readAt: { type: Date, default: null },
    emailedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
notificationSchema.index({ key: 1 }, { unique: true });
notificationSchema.index({ userId: 1, courseId: 1, createdAt: -1 });

export const EMAIL_CHOICES = ['immediate', 'digest', 'none'] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];

/** How a person wants to hear about notifications by email. */
export interface NotificationPreferenceDoc {
  _id: Types.ObjectId;
  userId: string;
  email: EmailChoice;
}
const preferenceSchema = new Schema<NotificationPreferenceDoc>({
  userId: { type: String, required: true },
  email: { type: String, enum: EMAIL_CHOICES, default: 'immediate' },
});
preferenceSchema.index({ userId: 1 }, { unique: true });

/**
 * An email to send, as a durable job: claimed with a lease so any number of tool instances can run the
 * queue and none sends one twice; retried with backoff. A digest job gathers its notifications when it runs.
 */
export interface EmailJobDoc {
  _id: Types.ObjectId;
  kind: 'immediate' | 'digest';
  userId: string;
  courseId: string;
  notificationId: Types.ObjectId | null; // immediate: the one notification it tells about
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  runAt: Date;
  leaseUntil: Date | null;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
}
const emailJobSchema = new Schema<EmailJobDoc>(
  {
    kind: { type: String, enum: ['immediate', 'digest'], required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    notificationId: { type: Schema.Types.ObjectId, default: null },
    status: { type: String, enum: ['pending', 'sent', 'failed', 'skipped'], default: 'pending' },
    runAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
emailJobSchema.index({ status: 1, runAt: 1 });
emailJobSchema.index({ userId: 1, kind: 1, status: 1 });


export const Notification = model('Notification', notificationSchema);
export const NotificationPreference = model('NotificationPreference', preferenceSchema);
export const EmailJob = model('EmailJob', emailJobSchema);
