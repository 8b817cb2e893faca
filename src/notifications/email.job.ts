import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { Course } from '../people/course.model';
import { User } from '../people/user.model';
import { returnUrlOf } from './course-link';
import { EmailJob, EmailJobDoc, Notification, NotificationDoc } from './models';

/** How long a claimed job is ours; a crashed instance's job is picked up again after it. */
export const LEASE_MS = 60_000;
export const MAX_ATTEMPTS = 5;
export const backoffMs = (attempts: number) => Math.min(60 * 60_000, 30_000 * 2 ** (attempts - 1));

export interface EmailContext {
  smtpUrl: string;
  mailFrom: string;
  log?: Logger;
  transport?: Transporter;
}

/** Claims one due job: pending, due, and not leased by someone else (one atomic update). */
export async function claimEmailJob(now = new Date()): Promise<EmailJobDoc | null> {
  return (await EmailJob.findOneAndUpdate(
    { status: 'pending', runAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
    { $set: { leaseUntil: new Date(now.getTime() + LEASE_MS) }, $inc: { attempts: 1 } },
    { new: true, sort: { runAt: 1 } },
  ).lean()) as EmailJobDoc | null;
}

interface Message {
  to: string;
  subject: string;
  text: string;
}

const SIGN_OFF = 'You are receiving this because of your CMALT Portfolio email settings; change them from "Notifications" in the tool.';

/** The words of an email: what needs attention, and how to get back to it through the VLE. */
export function composeEmail(input: { name: string; courseTitle: string; returnUrl?: string; items: Pick<NotificationDoc, 'text'>[]; digest: boolean }): Omit<Message, 'to'> {
  const lines = input.items.map((n) => `- ${n.text}`);
  const back = input.returnUrl
    ? `Open CMALT Portfolio from your course "${input.courseTitle}" in the VLE:\n${input.returnUrl}`
    : `Open CMALT Portfolio from your course "${input.courseTitle}" in the VLE.`;
  const subject = input.digest
    ? `CMALT Portfolio: ${input.items.length} ${input.items.length === 1 ? 'thing needs' : 'things need'} your attention`
    : `CMALT Portfolio: ${input.items[0]?.text ?? 'something needs your attention'}`;
  return {
    subject: subject.length > 150 ? `${subject.slice(0, 147)}...` : subject,
    text: [`Hello ${input.name},`, '', ...lines, '', back, 'Then choose "Notifications" to see everything waiting for you.', '', SIGN_OFF].join('\n'),
  };
}

/** What this job should send now, or null when there is nothing (already read, or no address). */
async function messageFor(job: EmailJobDoc): Promise<{ message: Message; notificationIds: unknown[] } | null> {
  const user = await User.findById(job.userId, { name: 1, email: 1 }).lean();
  if (!user?.email) return null;
  const filter =
    job.kind === 'immediate'
      ? { _id: job.notificationId, emailedAt: null, readAt: null }
      : { userId: job.userId, emailedAt: null, readAt: null };
  const items = (await Notification.find(filter).sort({ createdAt: 1 }).lean()) as NotificationDoc[];
  if (!items.length) return null;
  const course = await Course.findById(items[0].courseId, { title: 1, label: 1 }).lean();
  const composed = composeEmail({
    name: user.name || 'there',
    courseTitle: course?.title || course?.label || 'your course',
    returnUrl: await returnUrlOf(items[0].courseId),
    items,
    digest: job.kind === 'digest',
  });
  return { message: { to: user.email, ...composed }, notificationIds: items.map((n) => n._id) };
}

/** Sends one claimed job; on failure it goes back to pending with a backoff, or fails after MAX_ATTEMPTS. */
export async function performEmailJob(ctx: EmailContext, job: EmailJobDoc): Promise<'sent' | 'skipped' | 'retry' | 'failed'> {
  const owned = { _id: job._id, leaseUntil: job.leaseUntil };
  try {
    const what = await messageFor(job);
    if (!what) {
      await EmailJob.updateOne(owned, { $set: { status: 'skipped', leaseUntil: null } });
      return 'skipped';
    }
    const transport = ctx.transport ?? nodemailer.createTransport(ctx.smtpUrl);
    await transport.sendMail({ from: ctx.mailFrom, ...what.message });
    await Notification.updateMany({ _id: { $in: what.notificationIds } }, { $set: { emailedAt: new Date() } });
    await EmailJob.updateOne(owned, { $set: { status: 'sent', sentAt: new Date(), leaseUntil: null, lastError: null } });
    return 'sent';
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    const failed = job.attempts >= MAX_ATTEMPTS;
    ctx.log?.warn({ jobId: String(job._id), attempts: job.attempts, err: message }, 'email job failed');
    await EmailJob.updateOne(owned, {
      $set: failed
        ? { status: 'failed', leaseUntil: null, lastError: message }
        : { leaseUntil: null, lastError: message, runAt: new Date(Date.now() + backoffMs(job.attempts)) },
    });
    return failed ? 'failed' : 'retry';
  }
}

/** Runs every due job once (tests call this; the worker calls it on a timer and when a job is queued). */
export async function drainEmailJobs(ctx: EmailContext, now = new Date(), limit = 50): Promise<Record<string, number>> {
  const counts: Record<string, number> = { sent: 0, skipped: 0, retry: 0, failed: 0 };
  for (let i = 0; i < limit; i += 1) {
    const job = await claimEmailJob(now);
    if (!job) break;
    counts[await performEmailJob(ctx, job)] += 1;
  }
  return counts;
}
