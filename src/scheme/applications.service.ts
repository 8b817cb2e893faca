import { whenLondon } from '../http/dates';
import { releaseFundingOf } from './funding.service';
import { queueEmail } from './mail';
import { Application, SchemeSettings, type ApplicationDoc } from './scheme.model';
import type { ApplicationInput } from './scheme.schema';
import { callState, refusal, settingsOf, type Result } from './settings.service';
import { askLineManager } from './support.service';

export const APPLY_MESSAGES = {
  noCall: 'There is no call for volunteers in this course at the moment. Nothing was saved.',
  notYet: (when: string) => `The call for volunteers opens on ${when}. Nothing was saved.`,
  closed: (when: string) => `The call for volunteers closed on ${when}, so applications can no longer be made or changed. Nothing was saved.`,
  full: 'Every place in the learning set is taken, so new applications cannot be made. Nothing was saved.',
  already: 'You have already sent your application. You can still change it until the call closes.',
  decided: 'Your application has been decided, so it can no longer be changed. Nothing was saved.',
  incomplete: 'Fill in every part of the form before sending your application.',
  unknownSite: 'Choose one of the sites listed.',
};

export interface Applicant {
  courseId: string;
  userId: string;
  name: string;
  email?: string;
}

export async function applicationOf(courseId: string, userId: string): Promise<ApplicationDoc | null> {
  return (await Application.findOne({ courseId, userId }).lean()) as ApplicationDoc | null;
}

/** Whether a change to an application may happen now: the call open, the application still open to change. */
async function mayChange(who: Applicant, now: Date): Promise<Result<{ existing: ApplicationDoc | null }>> {
  const s = await settingsOf(who.courseId);
  const state = callState(s, now);
  if (state === 'no_call') return refusal(409, APPLY_MESSAGES.noCall);
  if (state === 'not_yet') return refusal(409, APPLY_MESSAGES.notYet(whenLondon(s!.callOpensAt)));
  if (state === 'closed') return refusal(409, APPLY_MESSAGES.closed(whenLondon(s!.callClosesAt)));
  const existing = await applicationOf(who.courseId, who.userId);
  if (existing && existing.state !== 'draft' && existing.state !== 'submitted') return refusal(409, APPLY_MESSAGES.decided);
  if (!existing && s!.placesTaken >= s!.places) return refusal(409, APPLY_MESSAGES.full);
  return { ok: true, existing };
}

function checkSite(sites: string[], site: string): Result {
  return site && sites.length && !sites.includes(site) ? refusal(422, APPLY_MESSAGES.unknownSite) : { ok: true };
}

/** Saves the form as it stands (autosave or "Save draft"). After sending, the line manager's details stay as asked. */
export async function saveApplication(who: Applicant, input: ApplicationInput, now = new Date()): Promise<Result<{ application: ApplicationDoc }>> {
  const may = await mayChange(who, now);
  if (!may.ok) return may;
  const site = checkSite((await settingsOf(who.courseId))!.sites, input.site);
  if (!site.ok) return site;
  const fields: Partial<ApplicationInput> = { ...input };
  if (may.existing?.state === 'submitted') {
    delete fields.lineManagerName; // the line manager was already asked about this application
    delete fields.lineManagerEmail;
  }
  const application = await Application.findOneAndUpdate(
    { courseId: who.courseId, userId: who.userId, state: { $in: ['draft', 'submitted'] } },
    { $set: { ...fields, name: who.name, email: who.email ?? '' }, $setOnInsert: { state: 'draft' } },
    { upsert: !may.existing, new: true },
  ).lean().catch((err: { code?: number }) => (err.code === 11000 ? null : Promise.reject(err)));
  if (!application) return refusal(409, APPLY_MESSAGES.decided);
  return { ok: true, application: application as ApplicationDoc };
}

/** Sends the application: saved, then draft -> submitted once (a second send is refused), then the line manager is asked. */
export async function submitApplication(who: Applicant, input: ApplicationInput, baseUrl: string, now = new Date()): Promise<Result> {
  const existing = await applicationOf(who.courseId, who.userId);
  if (existing && existing.state !== 'draft') return refusal(409, existing.state === 'submitted' ? APPLY_MESSAGES.already : APPLY_MESSAGES.decided);
  if (!input.jobTitle || !input.site || !input.pathway || !input.justification || !input.lineManagerName || !input.lineManagerEmail) return refusal(422, APPLY_MESSAGES.incomplete);
  const saved = await saveApplication(who, input, now);
  if (!saved.ok) return saved;
  const sent = await Application.findOneAndUpdate(
    { _id: saved.application._id, state: 'draft' },
    { $set: { state: 'submitted', submittedAt: now, support: 'asked' } },
    { new: true },
  ).lean();
  if (!sent) return refusal(409, APPLY_MESSAGES.already);
  await askLineManager(sent as ApplicationDoc, baseUrl, now);
  return { ok: true };
}

export const SELECT_MESSAGES = {
  notFound: 'We could not find that application in this course.',
  full: (places: number) => `All ${places} places are taken. Put the application on the waiting list, or free a place first. Nothing was changed.`,
  notOpen: 'That application has already been decided, or has not been sent yet. Nothing was changed.',
  notAccepted: 'Only someone with a place in the learning set can withdraw or defer.',
  alreadyLeft: 'This place has already been given up. Nothing was changed.',
};

async function findIn(courseId: string, id: string): Promise<ApplicationDoc | null> {
  return (await Application.findOne({ _id: id, courseId }).lean()) as ApplicationDoc | null;
}

/**
 * Accepts an application. The place is taken first with one conditional update on the settings (placesTaken
 * below places), so two coordinators clicking at once can never exceed the cap; if the application was
 * decided meanwhile, the place is given back.
 */
export async function acceptApplication(courseId: string, id: string, now = new Date()): Promise<Result> {
  const app = await findIn(courseId, id);
  if (!app) return refusal(404, SELECT_MESSAGES.notFound);
  if (app.state !== 'submitted' && app.state !== 'waiting') return refusal(409, SELECT_MESSAGES.notOpen);
  const place = await SchemeSettings.findOneAndUpdate({ courseId, $expr: { $lt: ['$placesTaken', '$places'] } }, { $inc: { placesTaken: 1 } }, { new: true }).lean();
  if (!place) return refusal(409, SELECT_MESSAGES.full((await settingsOf(courseId))?.places ?? 0));
  const done = await Application.findOneAndUpdate(
    { _id: id, courseId, state: { $in: ['submitted', 'waiting'] } },
    { $set: { state: 'accepted', decidedAt: now, waitingRank: null, offeredFreedPlace: false } },
    { new: true },
  ).lean();
  if (!done) {
    await SchemeSettings.updateOne({ courseId }, { $inc: { placesTaken: -1 } });
    return refusal(409, SELECT_MESSAGES.notOpen);
  }
  await tell(done as ApplicationDoc, 'You have a place in the CMALT learning set', `Your application was accepted. Open CMALT Portfolio from your course in the VLE to start your portfolio.`);
  return { ok: true };
}

/** Puts an application at the end of the waiting list (the order it was put there in). */
export async function waitlistApplication(courseId: string, id: string, now = new Date()): Promise<Result> {
  const app = await findIn(courseId, id);
  if (!app) return refusal(404, SELECT_MESSAGES.notFound);
  if (app.state !== 'submitted') return refusal(409, SELECT_MESSAGES.notOpen);
  const counter = await SchemeSettings.findOneAndUpdate({ courseId }, { $inc: { waitingNext: 1 } }, { new: true }).lean();
  const done = await Application.findOneAndUpdate({ _id: id, courseId, state: 'submitted' }, { $set: { state: 'waiting', waitingRank: counter!.waitingNext, decidedAt: now } }, { new: true }).lean();
  if (!done) return refusal(409, SELECT_MESSAGES.notOpen);
  await tell(done as ApplicationDoc, 'You are on the waiting list for the CMALT learning set', 'Every place is taken for now. If a place is freed, it is offered to the next person on the waiting list.');
  return { ok: true };
}

export async function declineApplication(courseId: string, id: string, reason: string, now = new Date()): Promise<Result> {
  const app = await findIn(courseId, id);
  if (!app) return refusal(404, SELECT_MESSAGES.notFound);
  const done = await Application.findOneAndUpdate({ _id: id, courseId, state: { $in: ['submitted', 'waiting'] } }, { $set: { state: 'declined', reason, decidedAt: now, waitingRank: null, offeredFreedPlace: false } }, { new: true }).lean();
  if (!done) return refusal(409, SELECT_MESSAGES.notOpen);
  await tell(done as ApplicationDoc, 'Your application to the CMALT learning set', `Your application was not accepted this time. The coordinator said: ${reason}`);
  return { ok: true };
}

/**
 * Withdrawing or deferring gives up a place (accepted -> withdrawn|deferred, once) and offers it to the first on
 * the waiting list, who is told and sees "accept the place" on their page.
 */
export async function leavePlace(courseId: string, id: string, to: 'withdrawn' | 'deferred', reason: string, now = new Date()): Promise<Result> {
  const app = await findIn(courseId, id);
  if (!app) return refusal(404, SELECT_MESSAGES.notFound);
  if (app.state === 'withdrawn' || app.state === 'deferred') return refusal(409, SELECT_MESSAGES.alreadyLeft);
  const done = await Application.findOneAndUpdate({ _id: id, courseId, state: 'accepted' }, { $set: { state: to, reason, decidedAt: now } }, { new: true }).lean();
  if (!done) return refusal(409, app.state === 'accepted' ? SELECT_MESSAGES.alreadyLeft : SELECT_MESSAGES.notAccepted);
  await SchemeSettings.updateOne({ courseId }, { $inc: { placesTaken: -1 } });
  await releaseFundingOf(courseId, id, to, now);
  await offerFreedPlace(courseId);
  return { ok: true };
}

export async function offerFreedPlace(courseId: string): Promise<void> {
  const next = await Application.findOneAndUpdate(
    { courseId, state: 'waiting', offeredFreedPlace: false },
    { $set: { offeredFreedPlace: true } },
    { new: true, sort: { waitingRank: 1 } },
  ).lean();
  if (next) await tell(next as ApplicationDoc, 'A place in the CMALT learning set is free for you', 'A place has been freed and you are next on the waiting list. Open CMALT Portfolio from your course to accept it.');
}

/** The applicant takes a freed place they were offered: the same atomic cap as a coordinator's accept. */
export async function takeOfferedPlace(courseId: string, userId: string, now = new Date()): Promise<Result> {
  const app = await applicationOf(courseId, userId);
  if (!app || app.state !== 'waiting' || !app.offeredFreedPlace) return refusal(409, SELECT_MESSAGES.notOpen);
  return acceptApplication(courseId, String(app._id), now);
}

async function tell(app: ApplicationDoc, subject: string, body: string): Promise<void> {
  await queueEmail(app.email, subject, `Dear ${app.name || 'applicant'},\n\n${body}\n\nCMALT Portfolio`);
}

export const findApplicationIn = findIn;
