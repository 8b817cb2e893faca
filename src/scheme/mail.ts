import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { SchemeEmail } from './scheme.model';

/**
 * The scheme's emails go to addresses, not to accounts (a line manager has none), so they are kept apart from
 * notifications: written to the database in the same step as the change, then sent by this worker with a lease,
 * so a crash or a down SMTP server loses nothing and two instances never send one twice.
 */
const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 5;
let onQueued: () => void = () => undefined;
/** The worker (worker.ts) listens, so a queued email goes out at once rather than at the next tick. */
export function onEmailQueued(listener: () => void): void {
  onQueued = listener;
}

/**
 * Queues an email. With a `key` it is queued once for that key (a retried request or a second instance
 * finds it there); `now` is the caller's clock, so tests that move time see it queued when they say.
 */
export async function queueEmail(to: string, subject: string, text: string, opts: { key?: string; now?: Date } = {}): Promise<void> {
  if (!to) return; // a person the VLE gave no email address: their page still says what happened
  const fields = { to, subject, text, createdAt: opts.now ?? new Date() };
  if (!opts.key) await SchemeEmail.create(fields);
  else {
    try {
      await SchemeEmail.updateOne({ key: opts.key }, { $setOnInsert: { ...fields, key: opts.key, status: 'pending', attempts: 0, leaseUntil: null } }, { upsert: true });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // queued by someone else at the same moment: once is enough
    }
  }
  onQueued();
}

export async function drainSchemeEmails(ctx: { smtpUrl: string; mailFrom: string; log?: Logger; transport?: Transporter }): Promise<number> {
  const transport = ctx.transport ?? nodemailer.createTransport(ctx.smtpUrl);
  let sent = 0;
  for (let i = 0; i < 50; i += 1) {
    const now = new Date();
    const job = await SchemeEmail.findOneAndUpdate(
      { status: 'pending', $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
      { $set: { leaseUntil: new Date(now.getTime() + LEASE_MS) }, $inc: { attempts: 1 } },
      { new: true, sort: { createdAt: 1 } },
    ).lean();
    if (!job) break;
    try {
      await transport.sendMail({ from: ctx.mailFrom, to: job.to, subject: job.subject, text: job.text });
      await SchemeEmail.updateOne({ _id: job._id }, { $set: { status: 'sent', leaseUntil: null } });
      sent += 1;
    } catch (err) {
      ctx.log?.warn({ err, attempts: job.attempts }, 'a scheme email was not sent');
      const failed = job.attempts >= MAX_ATTEMPTS;
      await SchemeEmail.updateOne({ _id: job._id }, { $set: { status: failed ? 'failed' : 'pending', leaseUntil: failed ? null : new Date(Date.now() + 30_000 * job.attempts) } });
    }
  }
  if (!ctx.transport) transport.close();
  return sent;
}
