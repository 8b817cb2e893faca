import { day } from '../http/dates';
import { AppError, conflict, notFound } from '../http/errors';
import { checkLink, newNonce, signLink } from '../http/signed-links';
import { Membership } from '../people/membership.model';
import { User } from '../people/user.model';
import { queueEmail } from '../scheme';
import { CpdEntry, CpdSubmission, EntryDoc, SubmissionDoc } from './models';
import { DAY_MS, Period, periodOf, periodsBetween, periodStarting } from './periods.service';

/** Bi-monthly submission: which periods are open, due, overdue or submitted, and the two ways a reviewer acknowledges. */

export const LINK_PURPOSE = 'cpd-review';
export const LINK_DAYS = 30;

export const SUBMIT_MESSAGES = {
  noPeriod: 'We could not find that period.',
  notEnded: (ends: string) => `This period ends on ${ends}. You can submit it from that day.`,
  already: 'This period has been submitted already. Add any correction as a new activity: it goes with your next period.',
  empty: 'There are no activities to submit for this period yet. Add what you did first.',
  linkTampered: 'This link is not one that CMALT Portfolio made, or part of it is missing. Ask the person to send it again.',
  linkExpired: 'This link has expired. Ask the person to submit again or to send you a new link.',
  linkUsed: 'This link has been used already: the period was acknowledged. Nothing was changed.',
  notYours: 'We could not find that submission, or it was not sent to your course.',
  acknowledged: 'This period has been acknowledged already.',
};

export type PeriodState = 'open' | 'due' | 'overdue' | 'submitted' | 'acknowledged';
export const PERIOD_STATE_LABELS: Record<PeriodState, string> = {
  open: 'Open',
  due: 'Ready to submit',
  overdue: 'Overdue',
  submitted: 'Submitted, awaiting acknowledgement',
  acknowledged: 'Acknowledged',
};

export interface PeriodRow {
  period: Period;
  state: PeriodState;
  entries: number; // activities dated in the period
  submission: SubmissionDoc | null;
}

export function stateOf(period: Period, submission: SubmissionDoc | null, now: Date): PeriodState {
  if (submission) return submission.acknowledgedAt ? 'acknowledged' : 'submitted';
  if (now.getTime() < period.end.getTime()) return 'open';
  return now.getTime() > period.due.getTime() + DAY_MS ? 'overdue' : 'due';
}

/** From the period of the person's first activity (or the current one) to now, newest first. */
export async function periodRows(ownerId: string, months: number, now: Date): Promise<PeriodRow[]> {
  const [first, submissions, counts] = await Promise.all([
    CpdEntry.findOne({ ownerId }, { startOn: 1 }).sort({ startOn: 1 }).lean<{ startOn: Date }>(),
    CpdSubmission.find({ ownerId }).lean<SubmissionDoc[]>(),
    CpdEntry.aggregate<{ _id: Date; n: number }>([{ $match: { ownerId } }, { $group: { _id: '$startOn', n: { $sum: 1 } } }]).exec(),
  ]);
  const from = first && first.startOn < now ? first.startOn : now;
  const rows = periodsBetween(from, now, months).map((period) => {
    const submission = submissions.find((s) => s.periodStart.getTime() === period.start.getTime()) ?? null;
    const entries = counts.filter((c) => new Date(c._id) >= period.start && new Date(c._id) <= period.end).reduce((n, c) => n + c.n, 0);
    return { period, state: stateOf(period, submission, now), entries, submission };
  });
  return rows.reverse();
}

export interface SubmitInput {
  reviewer: 'line_manager' | 'coordinator';
  reviewerName?: string;
  reviewerEmail?: string;
  progress: string;
}

export interface Submitter {
  ownerId: string;
  name: string;
  courseId: string;
}

/**
 * Submits a period: every activity not yet submitted and dated up to its end (so corrections to an earlier,
 * submitted period travel with this one) becomes fixed. For a line manager the answer carries the signed link.
 */
export async function submitPeriod(who: Submitter, key: string, input: SubmitInput, months: number, now: Date, secret: string): Promise<{ submission: SubmissionDoc; link?: string }> {
  const period = periodStarting(key, months);
  if (!period) throw notFound(SUBMIT_MESSAGES.noPeriod);
  if (now.getTime() < period.end.getTime()) throw conflict(SUBMIT_MESSAGES.notEnded(period.end.toISOString().slice(0, 10)));
  if (await CpdSubmission.exists({ ownerId: who.ownerId, periodStart: period.start })) throw conflict(SUBMIT_MESSAGES.already);
  const entries = await CpdEntry.find({ ownerId: who.ownerId, submissionId: null, startOn: { $lte: period.end } }, { _id: 1 }).limit(1000).lean();
  if (entries.length === 0) throw new AppError(422, 'nothing_to_submit', SUBMIT_MESSAGES.empty);
  const nonce = input.reviewer === 'line_manager' ? newNonce() : null;
  const expiresAt = nonce ? new Date(now.getTime() + LINK_DAYS * DAY_MS) : null;
  let submission: SubmissionDoc;
  try {
    submission = (await CpdSubmission.create({
      ownerId: who.ownerId,
      ownerName: who.name,
      periodStart: period.start,
      periodEnd: period.end,
      entryIds: entries.map((e) => String(e._id)),
      progress: input.progress,
      reviewer: input.reviewer,
      reviewerName: input.reviewerName ?? '',
      reviewerEmail: input.reviewerEmail ?? '',
      courseId: who.courseId,
      linkNonce: nonce,
      linkExpiresAt: expiresAt,
    })).toObject() as SubmissionDoc;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw conflict(SUBMIT_MESSAGES.already);
    throw err;
  }
  await CpdEntry.updateMany({ _id: { $in: submission.entryIds }, ownerId: who.ownerId, submissionId: null }, { $set: { submissionId: String(submission._id) } }).exec();
  const link = nonce && expiresAt ? signLink(secret, LINK_PURPOSE, { subject: String(submission._id), nonce, expiresAt }) : undefined;
  return { submission, link };
}

/**
 * Emails the line manager their link through the scheme's mail queue (they have no account for notifications).
 * Keyed by the submission, so a retried request or a second call queues it once.
 */
export async function emailLineManager(submission: SubmissionDoc, url: string, now: Date): Promise<void> {
  if (submission.reviewer !== 'line_manager' || !submission.reviewerEmail) return;
  const ends = day(submission.linkExpiresAt ?? now);
  await queueEmail(
    submission.reviewerEmail,
    `CPD log from ${submission.ownerName || 'a member of staff'} to acknowledge`,
    `Dear ${submission.reviewerName || 'line manager'},\n\n${submission.ownerName || 'A member of your staff'} has submitted their CPD log for you to read and acknowledge with a comment. You do not need an account:\n\n${url}\n\nThe link works until ${ends} and can be used once.\n\nCMALT Portfolio`,
    { key: `cpd-review:${String(submission._id)}`, now },
  );
}

/** What a reviewer reads: the submission and only the activities in it. */
export async function submittedEntries(submission: SubmissionDoc): Promise<EntryDoc[]> {
  return CpdEntry.find({ _id: { $in: submission.entryIds }, ownerId: submission.ownerId, submissionId: String(submission._id) }).sort({ startOn: 1 }).lean<EntryDoc[]>();
}

/** Opens a line manager's link: tampered, expired and spent links are refused with their own message. */
export async function submissionByLink(token: string, secret: string, now: Date): Promise<{ submission: SubmissionDoc; nonce: string }> {
  const check = checkLink(secret, LINK_PURPOSE, token, now);
  if (!check.ok) throw new AppError(check.reason === 'expired' ? 410 : 403, `link_${check.reason}`, check.reason === 'expired' ? SUBMIT_MESSAGES.linkExpired : SUBMIT_MESSAGES.linkTampered);
  const submission = await CpdSubmission.findById(check.link.subject).lean<SubmissionDoc>();
  if (!submission || submission.reviewer !== 'line_manager') throw new AppError(403, 'link_tampered', SUBMIT_MESSAGES.linkTampered);
  if (submission.linkNonce !== check.link.nonce) throw new AppError(410, 'link_used', SUBMIT_MESSAGES.linkUsed);
  return { submission, nonce: check.link.nonce };
}

/** The line manager's acknowledgement spends the link in the same update, so a second use finds nothing. */
export async function acknowledgeByLink(token: string, comment: string, secret: string, now: Date): Promise<SubmissionDoc> {
  const { submission, nonce } = await submissionByLink(token, secret, now);
  const done = await CpdSubmission.findOneAndUpdate(
    { _id: submission._id, linkNonce: nonce, acknowledgedAt: null },
    { $set: { acknowledgedAt: now, acknowledgedBy: submission.reviewerName || 'Line manager', comment, linkNonce: null } },
    { new: true },
  ).lean<SubmissionDoc>();
  if (!done) throw new AppError(410, 'link_used', SUBMIT_MESSAGES.linkUsed);
  return done;
}

/** A submission sent to the coordinators of `courseId`; anything else is simply not found. */
export async function courseSubmission(courseId: string, id: string): Promise<SubmissionDoc> {
  const submission = await CpdSubmission.findOne({ _id: id, courseId, reviewer: 'coordinator' }).lean<SubmissionDoc>();
  if (!submission) throw notFound(SUBMIT_MESSAGES.notYours);
  return submission;
}

export async function acknowledgeByCoordinator(courseId: string, id: string, by: string, comment: string, now: Date): Promise<void> {
  await courseSubmission(courseId, id);
  const done = await CpdSubmission.updateOne({ _id: id, courseId, reviewer: 'coordinator', acknowledgedAt: null }, { $set: { acknowledgedAt: now, acknowledgedBy: by, comment } }).exec();
  if (done.modifiedCount === 0) throw conflict(SUBMIT_MESSAGES.acknowledged);
}

/** The people in the course (its memberships), paginated by name: whom the coordinator's matrix lists. */
export async function coursePeople(courseId: string, page: number, perPage: number): Promise<{ people: Array<{ ownerId: string; name: string }>; total: number }> {
  const filter = { course: courseId };
  const [members, total] = await Promise.all([
    Membership.find(filter, { user: 1 }).sort({ _id: 1 }).skip((page - 1) * perPage).limit(perPage).lean(),
    Membership.countDocuments(filter),
  ]);
  const users = await User.find({ _id: { $in: members.map((m) => m.user) } }, { name: 1 }).lean();
  const names = new Map(users.map((u) => [String(u._id), u.name || 'Unnamed person']));
  return { people: members.map((m) => ({ ownerId: String(m.user), name: names.get(String(m.user)) ?? 'Unnamed person' })), total };
}

/** Each person's latest submission and whether their last ended period is overdue: states only, never entry text. */
export async function submissionStates(ownerIds: string[], months: number, now: Date): Promise<Map<string, { state: PeriodState; period: Period }>> {
  const last = periodOf(new Date(periodOf(now, months).start.getTime() - DAY_MS), months); // the last ended period
  const subs = await CpdSubmission.find({ ownerId: { $in: ownerIds }, periodStart: last.start }).lean<SubmissionDoc[]>();
  return new Map(ownerIds.map((o) => [o, { state: stateOf(last, subs.find((s) => s.ownerId === o) ?? null, now), period: last }]));
}

export async function submissionsToCourse(courseId: string, page: number, perPage: number): Promise<{ items: SubmissionDoc[]; total: number }> {
  const filter = { courseId, reviewer: 'coordinator' };
  const [items, total] = await Promise.all([
    CpdSubmission.find(filter).sort({ acknowledgedAt: 1, createdAt: -1 }).skip((page - 1) * perPage).limit(perPage).lean<SubmissionDoc[]>(),
    CpdSubmission.countDocuments(filter),
  ]);
  return { items, total };
}
