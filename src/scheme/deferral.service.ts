import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { when } from '../http/dates';
import { Course } from '../people/course.model';
import { Membership } from '../people/membership.model';
import { movePortfolio } from '../portfolio';
import { applicationOf } from './applications.service';
import { Arrival, NextCohort } from './deferral.model';
import { queueEmail } from './mail';
import { Application, SchemeSettings, type ApplicationDoc } from './scheme.model';
import { noteSchemeCourse, runsScheme } from './scheme-courses';
import { refusal, settingsOf, type Result } from './settings.service';

export const DEFERRAL_MESSAGES = {
  chooseCourse: 'Choose the course the next cohort runs in.',
  sameCourse: 'The next cohort must run in another course, not this one. Nothing was changed.',
  notYours: 'You can only name a course you coordinate in CMALT Portfolio. Open CMALT Portfolio as its coordinator first. Nothing was changed.',
  otherVle: 'That course is on another VLE. A portfolio can only move to a course on the same VLE. Nothing was changed.',
};

/** The courses of the same VLE, other than this one, that this person coordinates (they launched there as coordinator). */
export async function coursesICoordinate(courseId: string, userId: string): Promise<Array<{ id: string; title: string }>> {
  if (!Types.ObjectId.isValid(userId) || !Types.ObjectId.isValid(courseId)) return [];
  const here = await Course.findById(courseId, { issuer: 1 }).lean();
  if (!here) return [];
  const mine = await Membership.find({ user: userId, appRoles: 'coordinator', course: { $ne: courseId } }, { course: 1 }).limit(200).lean();
  const courses = await Course.find({ _id: { $in: mine.map((m) => m.course) }, issuer: here.issuer }, { title: 1, label: 1 }).sort({ createdAt: -1 }).lean();
  return courses.map((c) => ({ id: String(c._id), title: c.title || c.label || 'Untitled course' }));
}

export async function nextCohortOf(courseId: string): Promise<{ id: string; title: string } | null> {
  const link = await NextCohort.findOne({ courseId }).lean();
  if (!link) return null;
  const c = await Course.findById(link.nextCourseId, { title: 1, label: 1 }).lean();
  return { id: link.nextCourseId, title: c?.title || c?.label || 'the next cohort’s course' };
}

/**
 * Names the next cohort's course. Checked on the server, whatever the form sent: another course of the same VLE
 * (same issuer) that the asker coordinates. Its scheme settings are created with the defaults if it has none, so
 * the places there are counted from the first arrival.
 */
export async function setNextCohort(courseId: string, userId: string, nextCourseId: string): Promise<Result> {
  if (!Types.ObjectId.isValid(nextCourseId)) return refusal(422, DEFERRAL_MESSAGES.chooseCourse);
  if (nextCourseId === courseId) return refusal(422, DEFERRAL_MESSAGES.sameCourse);
  const [here, there] = await Promise.all([Course.findById(courseId, { issuer: 1 }).lean(), Course.findById(nextCourseId, { issuer: 1 }).lean()]);
  if (!here || !there) return refusal(422, DEFERRAL_MESSAGES.notYours);
  if (there.issuer !== here.issuer) return refusal(422, DEFERRAL_MESSAGES.otherVle);
  if (!(await Membership.exists({ user: userId, course: nextCourseId, appRoles: 'coordinator' }))) return refusal(422, DEFERRAL_MESSAGES.notYours);
  await SchemeSettings.updateOne({ courseId: nextCourseId }, { $setOnInsert: { courseId: nextCourseId } }, { upsert: true }).catch((err: { code?: number }) => (err.code === 11000 ? null : Promise.reject(err)));
  noteSchemeCourse(nextCourseId);
  await NextCohort.updateOne({ courseId }, { $set: { nextCourseId, setBy: userId } }, { upsert: true });
  return { ok: true };
}

/** The people who deferred from this course, a page at a time, with whether their portfolio has moved yet. */
export async function deferredPeople(courseId: string, page: number, perPage = 20) {
  const filter = { courseId, state: 'deferred' as const };
  const total = await Application.countDocuments(filter);
  const pages = Math.max(1, Math.ceil(total / perPage));
  const p = Math.min(Math.max(1, page), pages);
  const items = (await Application.find(filter).sort({ decidedAt: -1, _id: 1 }).skip((p - 1) * perPage).limit(perPage).lean()) as ApplicationDoc[];
  const arrivals = await Arrival.find({ fromCourseId: courseId, userId: { $in: items.map((a) => a.userId) } }).lean();
  const byUser = new Map(arrivals.map((a) => [a.userId, a]));
  return {
    total, page: p, pages,
    items: items.map((a) => {
      const arr = byUser.get(a.userId);
      const status = !arr ? 'Not moved yet: moves when they open CMALT Portfolio in the next cohort’s course'
        : arr.state === 'kept' ? 'Not moved: they already had a portfolio in the next cohort’s course, so both are kept'
        : arr.state === 'moving' ? 'Moving'
        : `Moved on ${when(arr.at)}${arr.place === 'waiting' ? ', first on the waiting list there (the set was full)' : ', with a place'}`;
      return { name: a.name, reason: a.reason, on: when(a.decidedAt), status };
    }),
  };
}

/**
 * A deferred person opening the tool in the next cohort's course: they take a place there (first on the waiting
 * list if the set is full) and their portfolio moves with them. Claimed once per deferral; true when it moved now.
 */
export async function arriveIfDeferred(who: { courseId: string; userId: string }, now = new Date()): Promise<boolean> {
  const links = await NextCohort.find({ nextCourseId: who.courseId }, { courseId: 1 }).lean();
  if (!links.length) return false;
  const left = (await Application.findOne({ userId: who.userId, courseId: { $in: links.map((l) => l.courseId) }, state: 'deferred' }).sort({ decidedAt: -1 }).lean()) as ApplicationDoc | null;
  if (!left) return false;
  const claimed = await Arrival.create({ userId: who.userId, fromCourseId: left.courseId, toCourseId: who.courseId, at: now }).catch((err: { code?: number }) => (err.code === 11000 ? null : Promise.reject(err)));
  if (!claimed) {
    // Claimed before: finish a move cut short (each step is idempotent); otherwise nothing to do.
    const earlier = await Arrival.findOne({ userId: who.userId, fromCourseId: left.courseId }).lean();
    if (!earlier || earlier.state !== 'moving' || earlier.toCourseId !== who.courseId || now.getTime() - earlier.at.getTime() < 60_000) return false;
  } else {
    const place = await holdPlace(who.courseId, left, now);
    await Arrival.updateOne({ _id: claimed._id }, { $set: { place } });
  }
  const moved = await movePortfolio({ userId: who.userId, courseId: left.courseId }, who.courseId);
  await Arrival.updateOne({ userId: who.userId, fromCourseId: left.courseId }, { $set: { state: moved.moved || moved.why === 'none' ? 'moved' : 'kept', at: now } });
  return moved.moved;
}

/** A place in the next cohort's set, taken with the same atomic cap as an acceptance; when full, the head of its waiting list. */
async function holdPlace(courseId: string, left: ApplicationDoc, now: Date): Promise<'accepted' | 'waiting'> {
  await SchemeSettings.updateOne({ courseId }, { $setOnInsert: { courseId } }, { upsert: true }).catch((err: { code?: number }) => (err.code === 11000 ? null : Promise.reject(err)));
  noteSchemeCourse(courseId);
  const mine = await applicationOf(courseId, left.userId);
  if (mine?.state === 'accepted') return 'accepted';
  const from = await settingsOf(left.courseId);
  const reason = `Deferred from ${from?.cohortName || 'the previous cohort'}.`;
  const carried = {
    name: left.name, email: left.email, jobTitle: left.jobTitle, site: left.site, pathway: left.pathway, justification: left.justification,
    lineManagerName: left.lineManagerName, lineManagerEmail: left.lineManagerEmail, support: left.support, supportComment: left.supportComment,
    supportBy: left.supportBy, supportAt: left.supportAt, submittedAt: left.submittedAt, reason, decidedAt: now, offeredFreedPlace: false,
  };
  const place = await SchemeSettings.findOneAndUpdate({ courseId, $expr: { $lt: ['$placesTaken', '$places'] } }, { $inc: { placesTaken: 1 } }, { new: true }).lean();
  if (place) {
    await Application.updateOne({ courseId, userId: left.userId }, { $set: { ...carried, state: 'accepted', waitingRank: null } }, { upsert: true });
    await queueEmail(left.email, 'Your place in the next CMALT learning set', `Dear ${left.name || 'candidate'},\n\nYou deferred from ${from?.cohortName || 'the previous cohort'}. You have a place in the next cohort, and your portfolio has moved with you with every word kept.\n\nCMALT Portfolio`);
    return 'accepted';
  }
  const head = await Application.findOne({ courseId, state: 'waiting' }, { waitingRank: 1 }).sort({ waitingRank: 1 }).lean();
  const rank = Math.min(head?.waitingRank ?? 1, 1) - 1; // before everyone already waiting
  await Application.updateOne({ courseId, userId: left.userId }, { $set: { ...carried, state: 'waiting', waitingRank: rank } }, { upsert: true });
  return 'waiting';
}

/** What a candidate who left reads on their application page. */
export async function leavingNote(courseId: string, app: ApplicationDoc | null): Promise<string> {
  if (!app) return '';
  if (app.state === 'deferred') {
    const next = await nextCohortOf(courseId);
    const arrived = await Arrival.findOne({ userId: app.userId, fromCourseId: courseId }).lean();
    if (arrived?.state === 'moved') return `You deferred to the next cohort. Your portfolio moved to ${next?.id === arrived.toCourseId ? next.title : 'the next cohort’s course'} on ${when(arrived.at)}; open CMALT Portfolio from there to carry on.`;
    return next
      ? `You deferred to the next cohort. When you open CMALT Portfolio from ${next.title}, your portfolio moves there with every word kept.`
      : 'You deferred to the next cohort. When the coordinator names the next cohort’s course and you open CMALT Portfolio there, your portfolio moves with you with every word kept.';
  }
  if (app.state === 'withdrawn') {
    if (app.portfolioDeletedAt) return `Your portfolio was deleted on ${when(app.portfolioDeletedAt)}, at the end of the period the institution keeps withdrawn portfolios.`;
    return `You withdrew. Your portfolio is kept read-only until ${when(await retentionEnd(courseId, app))}, then deleted with its evidence.`;
  }
  return '';
}

export async function retentionEnd(courseId: string, app: Pick<ApplicationDoc, 'decidedAt'>): Promise<Date> {
  const months = (await settingsOf(courseId))?.retentionMonths ?? 24;
  return DateTime.fromJSDate(new Date(app.decidedAt ?? Date.now())).plus({ months }).toJSDate();
}

/** Told to the portfolio in boot.ts: a withdrawn (or deferred, until it moves) candidate reads their portfolio and never changes it. */
export async function schemeWriteLock(owner: { courseId: string; userId: string }): Promise<string | null> {
  if (!(await runsScheme(owner.courseId))) return null; // perf: no settings, so no application (scheme-courses.ts)
  const app = await applicationOf(owner.courseId, owner.userId);
  if (app?.state === 'withdrawn') return `You withdrew from the learning set on ${when(app.decidedAt)}, so your portfolio is read-only: you can read it but not change it. It is kept until ${when(await retentionEnd(owner.courseId, app))}, then deleted.`;
  if (app?.state === 'deferred') return 'You deferred to the next cohort, so your portfolio is read-only here. It moves, with every word, when you open CMALT Portfolio in the next cohort’s course, and you can write again there.';
  return null;
}
