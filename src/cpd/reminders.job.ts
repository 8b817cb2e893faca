import type { Logger } from 'pino';
import { notify, type NotifyOptions } from '../notifications';
import { CpdJobLease, CpdRecord, CpdSubmission } from './models';
import { DAY_MS, periodLabel, periodOf, REMIND_DAYS_BEFORE_DUE } from './periods.service';
import { certificationFrom, reviewDueOn, REVIEW_REMIND_DAYS } from './review.service';
import { altRecordsOf } from '../export';

/**
 * Reminders, derived from the data each sweep (never queued twice): the last ended period is due soon or overdue
 * and not submitted; the CMALT review is 90 or 30 days away. notify() keeps one notification per key, so a sweep
 * repeated by a restart or a second instance reminds nobody twice. The sweep runs under a lease.
 */
const LEASE_MS = 5 * 60_000;

export interface ReminderOptions {
  months: number;
  notify: NotifyOptions;
  now: Date;
}

export async function sweepReminders(opts: ReminderOptions): Promise<number> {
  const { months, now } = opts;
  const last = periodOf(new Date(periodOf(now, months).start.getTime() - DAY_MS), months);
  const dueSoon = now.getTime() >= last.due.getTime() - REMIND_DAYS_BEFORE_DUE * DAY_MS;
  const overdue = now.getTime() > last.due.getTime() + DAY_MS;
  let sent = 0;
  for await (const record of CpdRecord.find({ homeCourseId: { $ne: '' } }).lean().cursor()) {
    const send = async (key: string, text: string, path: string) => {
      if (await notify({ userId: record.ownerId, courseId: record.homeCourseId, kind: 'cpd_reminder', text, path, key }, opts.notify)) sent++;
    };
    if (dueSoon && !(await CpdSubmission.exists({ ownerId: record.ownerId, periodStart: last.start }))) {
      const label = periodLabel(last);
      const due = last.due.toISOString().slice(0, 10);
      if (overdue) await send(`cpd:${record.ownerId}:${last.key}:overdue`, `Your CPD log for ${label} is overdue (it was due on ${due}).`, '/cpd/periods');
      else await send(`cpd:${record.ownerId}:${last.key}:due`, `Your CPD log for ${label} is due by ${due}.`, '/cpd/periods');
    }
    const certification = certificationFrom(record, await altRecordsOf(record.ownerId)); // ALT's recorded pass, else the entered date
    const reviewDue = certification ? reviewDueOn(certification.on) : null;
    for (const days of REVIEW_REMIND_DAYS) {
      if (reviewDue && now.getTime() >= reviewDue.getTime() - days * DAY_MS && now.getTime() < reviewDue.getTime()) {
        await send(`cpd-review:${record.ownerId}:${reviewDue.toISOString().slice(0, 10)}:${days}`, `Your CMALT review is due by ${reviewDue.toISOString().slice(0, 10)}.`, '/cpd/review');
        break;
      }
    }
  }
  return sent;
}

/** Takes the lease if it is free (one document per job name); false when another instance holds it. */
async function takeLease(name: string, now: Date): Promise<boolean> {
  try {
    const got = await CpdJobLease.findOneAndUpdate({ name, leaseUntil: { $lt: now } }, { $set: { leaseUntil: new Date(now.getTime() + LEASE_MS) } }, { upsert: true, new: true }).lean();
    return Boolean(got);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false; // held: the upsert met the existing lease
    throw err;
  }
}

export interface ReminderWorker {
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startReminderWorker(opts: { months: number; notify: NotifyOptions; clock: () => Date; log: Logger; intervalMs?: number }): ReminderWorker {
  let running: Promise<number> | null = null;
  const runOnce = async () => {
    const now = opts.clock();
    if (!(await takeLease('cpd-reminders', now))) return 0;
    try {
      return await sweepReminders({ months: opts.months, notify: opts.notify, now });
    } finally {
      await CpdJobLease.updateOne({ name: 'cpd-reminders' }, { $set: { leaseUntil: new Date(0) } }).exec();
    }
  };
  const tick = () => {
    if (running) return;
    running = runOnce().catch((err: unknown) => {
      opts.log.error({ err }, 'CPD reminder sweep failed');
      return 0;
    }).finally(() => { running = null; });
  };
  const timer = setInterval(tick, opts.intervalMs ?? 60 * 60_000);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
