import { DateTime } from 'luxon';
import { Membership } from '../people/membership.model';
import { User } from '../people/user.model';
import { queueEmail } from './mail';
import { Meeting, type MeetingDoc } from './meetings.model';
import { MEETING_MESSAGES, type MeetingInput } from './meetings.schema';
import { groupAudience } from './groups.service';
import { Application } from './scheme.model';
import { localInstant } from './scheme.schema';
import { refusal, settingsOf, type Result } from './settings.service';

export const MEETINGS_PAGE_SIZE = 20;
const MAX_LENGTH_MS = 24 * 60 * 60 * 1000;
/** Reminders go out once, this long before the start. */
export const REMINDER_BEFORE_MS = 24 * 60 * 60 * 1000;

export const MEETING_REFUSALS = {
  notFound: 'We could not find that meeting in this course.',
  cancelled: 'This meeting has been cancelled, so it can no longer be changed. Schedule a new one instead. Nothing was changed.',
  alreadyCancelled: 'This meeting is already cancelled. Nothing was changed.',
  notMember: 'Attendance can only be recorded for people with a place in the learning set. Nothing was changed.',
  notYet: 'Attendance can be recorded once the meeting has started. Nothing was changed.',
};

export async function zoneOf(courseId: string): Promise<string> {
  return (await settingsOf(courseId))?.timeZone ?? 'Europe/London';
}

/** Local form values to instants, with the rules a calendar needs: an end after the start, a start ahead. */
function timesOf(input: MeetingInput, zone: string, now: Date, requireFuture: boolean): Result<{ startsAt: Date; endsAt: Date }> | { ok: false; status: number; message: string; field: string } {
  const startsAt = localInstant(input.startsAt, zone);
  const endsAt = localInstant(input.endsAt, zone);
  if (!startsAt) return { ...refusal(422, MEETING_MESSAGES.startsAt), field: 'startsAt' };
  if (!endsAt) return { ...refusal(422, MEETING_MESSAGES.endsAt), field: 'endsAt' };
  if (endsAt <= startsAt) return { ...refusal(422, MEETING_MESSAGES.endBeforeStart), field: 'endsAt' };
  if (endsAt.getTime() - startsAt.getTime() > MAX_LENGTH_MS) return { ...refusal(422, MEETING_MESSAGES.tooLong), field: 'endsAt' };
  if (requireFuture && startsAt <= now) return { ...refusal(422, MEETING_MESSAGES.inPast), field: 'startsAt' };
  return { ok: true, startsAt, endsAt };
}

export type FieldRefusal = { ok: false; status: number; message: string; field?: string };

export async function createMeeting(courseId: string, input: MeetingInput, now = new Date()): Promise<Result<{ id: string }> | FieldRefusal> {
  const times = timesOf(input, await zoneOf(courseId), now, true);
  if (!times.ok) return times;
  if (input.groupId && !(await groupAudience(courseId, input.groupId))) return { ...refusal(422, MEETING_MESSAGES.group), field: 'groupId' };
  const m = await Meeting.create({ courseId, title: input.title, place: input.place, onlineUrl: input.onlineUrl, agenda: input.agenda, startsAt: times.startsAt, endsAt: times.endsAt, groupId: input.groupId || null });
  return { ok: true, id: String(m._id) };
}

export async function meetingIn(courseId: string, id: string, scope: Record<string, unknown> = {}): Promise<MeetingDoc | null> {
  return (await Meeting.findOne({ ...scope, _id: id, courseId }).lean()) as MeetingDoc | null;
}

/**
 * Changes a meeting: the sequence rises so subscribed calendars replace it, and a moved meeting is reminded of
 * again. A start already past may stay as it is (fixing a typo in the agenda of today's meeting), not be moved to.
 */
export async function updateMeeting(courseId: string, id: string, input: MeetingInput, now = new Date()): Promise<Result | FieldRefusal> {
  const current = await meetingIn(courseId, id);
  if (!current) return refusal(404, MEETING_REFUSALS.notFound);
  if (current.cancelled) return refusal(409, MEETING_REFUSALS.cancelled);
  const zone = await zoneOf(courseId);
  const probe = timesOf(input, zone, now, false);
  const moved = probe.ok && (probe.startsAt.getTime() !== new Date(current.startsAt).getTime() || probe.endsAt.getTime() !== new Date(current.endsAt).getTime());
  const times = moved ? timesOf(input, zone, now, true) : probe;
  if (!times.ok) return times;
  const set: Record<string, unknown> = { title: input.title, place: input.place, onlineUrl: input.onlineUrl, agenda: input.agenda, startsAt: times.startsAt, endsAt: times.endsAt };
  if (moved) set.reminderSentAt = null;
  const done = await Meeting.findOneAndUpdate({ _id: id, courseId, cancelled: false }, { $set: set, $inc: { sequence: 1 } }, { new: true }).lean();
  if (!done) return refusal(409, MEETING_REFUSALS.cancelled);
  if (moved) await tellTheSet(done, `Meeting moved: ${input.title}`, `The meeting "${input.title}" is now ${whenInZone(times.startsAt, times.endsAt, zone)}.`);
  return { ok: true };
}

/** Cancelled once (a second click is refused); the meeting stays in feeds as CANCELLED so calendars remove it. */
export async function cancelMeeting(courseId: string, id: string): Promise<Result> {
  const current = await meetingIn(courseId, id);
  if (!current) return refusal(404, MEETING_REFUSALS.notFound);
  const done = await Meeting.findOneAndUpdate({ _id: id, courseId, cancelled: false }, { $set: { cancelled: true }, $inc: { sequence: 1 } }, { new: true }).lean();
  if (!done) return refusal(409, MEETING_REFUSALS.alreadyCancelled);
  const zone = await zoneOf(courseId);
  await tellTheSet(current, `Meeting cancelled: ${current.title}`, `The meeting "${current.title}" on ${whenInZone(current.startsAt, current.endsAt, zone)} is cancelled.`);
  return { ok: true };
}

/** The people attendance is recorded for: those with a place (in the meeting's group, for a group's). Bounded by the cap (at most 200), so one list. */
export async function setMembers(courseId: string, groupId?: string | null): Promise<Array<{ userId: string; name: string }>> {
  const group = groupId ? await groupAudience(courseId, groupId) : null;
  const apps = await Application.find({ courseId, state: 'accepted', ...(groupId ? { userId: { $in: group?.memberIds ?? [] } } : {}) }, { userId: 1, name: 1 }).sort({ name: 1 }).limit(500).lean();
  return apps.map((a) => ({ userId: a.userId, name: a.name || 'Unnamed candidate' }));
}

export async function recordAttendance(courseId: string, id: string, userIds: string[], now = new Date()): Promise<Result> {
  const current = await meetingIn(courseId, id);
  if (!current) return refusal(404, MEETING_REFUSALS.notFound);
  if (current.cancelled) return refusal(409, MEETING_REFUSALS.cancelled);
  if (new Date(current.startsAt) > now) return refusal(409, MEETING_REFUSALS.notYet);
  const unique = [...new Set(userIds)];
  const allowed = new Set((await setMembers(courseId, current.groupId)).map((p) => p.userId));
  if (!unique.every((u) => allowed.has(u))) return refusal(422, MEETING_REFUSALS.notMember);
  await Meeting.updateOne({ _id: id, courseId }, { $set: { attended: unique } });
  return { ok: true };
}

export async function saveNotes(courseId: string, id: string, notes: string): Promise<Result> {
  const r = await Meeting.updateOne({ _id: id, courseId }, { $set: { notes } });
  return r.matchedCount ? { ok: true } : refusal(404, MEETING_REFUSALS.notFound);
}

/** One page of meetings: upcoming soonest first, or past most recent first. */
export async function listMeetings(courseId: string, when: 'upcoming' | 'past', page: number, now = new Date(), scope: Record<string, unknown> = {}) {
  const query = { ...scope, courseId, endsAt: when === 'upcoming' ? { $gte: now } : { $lt: now } };
  const total = await Meeting.countDocuments(query);
  const pages = Math.max(1, Math.ceil(total / MEETINGS_PAGE_SIZE));
  const at = Math.min(page, pages);
  const items = (await Meeting.find(query)
    .sort({ startsAt: when === 'upcoming' ? 1 : -1, _id: 1 })
    .skip((at - 1) * MEETINGS_PAGE_SIZE)
    .limit(MEETINGS_PAGE_SIZE)
    .lean()) as MeetingDoc[];
  return { items, total, page: at, pages };
}

/** Every meeting a feed carries: a year back and all ahead, capped so a feed stays small. */
export async function meetingsForFeed(courseId: string, now = new Date(), scope: Record<string, unknown> = {}): Promise<MeetingDoc[]> {
  const since = new Date(now.getTime() - 366 * 24 * 60 * 60 * 1000);
  return (await Meeting.find({ ...scope, courseId, endsAt: { $gte: since } }).sort({ startsAt: 1 }).limit(500).lean()) as MeetingDoc[];
}

export interface CalendarMeeting {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  onlineUrl: string;
  cancelled: boolean;
  /** Inside the tool (add the session token with res.locals.url): the meeting's page and its .ics download. */
  path: string;
  icsPath: string;
}

/** For the peer space's calendar: the whole set's meetings (not a group's) overlapping [from, to), soonest first (at most 200). */
export async function meetingsForCalendar(courseId: string, from: Date, to: Date): Promise<CalendarMeeting[]> {
  const found = (await Meeting.find({ courseId, groupId: null, startsAt: { $lt: to }, endsAt: { $gt: from } }).sort({ startsAt: 1 }).limit(200).lean()) as MeetingDoc[];
  return found.map((m) => ({
    id: String(m._id),
    title: m.title,
    startsAt: new Date(m.startsAt),
    endsAt: new Date(m.endsAt),
    place: m.place,
    onlineUrl: m.onlineUrl,
    cancelled: m.cancelled,
    path: `/scheme/meetings/${String(m._id)}`,
    icsPath: `/scheme/meetings/${String(m._id)}.ics`,
  }));
}

/** "Tuesday 6 October 2026, 14:00 to 15:00 (Europe/London)", in the institution's zone. */
export function whenInZone(start: Date, end: Date, zone: string): string {
  const s = DateTime.fromJSDate(new Date(start), { zone }).setLocale('en-GB');
  const e = DateTime.fromJSDate(new Date(end), { zone }).setLocale('en-GB');
  const endText = s.hasSame(e, 'day') ? e.toFormat('HH:mm') : e.toFormat('cccc d LLLL yyyy, HH:mm');
  return `${s.toFormat('cccc d LLLL yyyy, HH:mm')} to ${endText} (${zone.replace(/_/g, ' ')} time)`;
}

/**
 * The addresses a message about a meeting goes to: for the whole set's, those with a place and the course's
 * mentors; for a group's, its members with a place, its mentor and the course's coordinators only.
 */
async function setAddresses(courseId: string, groupId?: string | null): Promise<string[]> {
  const group = groupId ? await groupAudience(courseId, groupId) : null;
  const apps = await Application.find({ courseId, state: 'accepted', ...(groupId ? { userId: { $in: group?.memberIds ?? [] } } : {}) }, { email: 1 }).limit(500).lean();
  const mentors = groupId
    ? await Membership.find({ course: courseId, $or: [{ user: group?.mentorId ?? '000000000000000000000000' }, { appRoles: 'coordinator' }] }, { user: 1 }).limit(500).lean()
    : await Membership.find({ course: courseId, appRoles: 'mentor' }, { user: 1 }).limit(500).lean();
  const users = mentors.length ? await User.find({ _id: { $in: mentors.map((m) => m.user) } }, { email: 1 }).lean() : [];
  return [...new Set([...apps.map((a) => a.email), ...users.map((u) => u.email ?? '')].filter(Boolean))];
}

async function tellTheSet(m: Pick<MeetingDoc, 'courseId' | 'groupId'>, subject: string, body: string): Promise<void> {
  for (const to of await setAddresses(m.courseId, m.groupId)) await queueEmail(to, subject, `${body}\n\nOpen CMALT Portfolio from your course in the VLE for the details.\n\nCMALT Portfolio`);
}

/**
 * Reminders for meetings starting within a day: each meeting is claimed with one conditional update, so two
 * workers never remind twice; a moved meeting had its claim cleared and is reminded again.
 */
export async function queueMeetingReminders(now = new Date()): Promise<number> {
  let sent = 0;
  for (let i = 0; i < 100; i += 1) {
    const m = (await Meeting.findOneAndUpdate(
      { reminderSentAt: null, cancelled: false, startsAt: { $gt: now, $lte: new Date(now.getTime() + REMINDER_BEFORE_MS) } },
      { $set: { reminderSentAt: now } },
      { new: true, sort: { startsAt: 1 } },
    ).lean()) as MeetingDoc | null;
    if (!m) break;
    const zone = await zoneOf(m.courseId);
    const where = [m.place, m.onlineUrl].filter(Boolean).join(', online at ');
    await tellTheSet(m, `Reminder: ${m.title}`, `A reminder that the learning set meets ${whenInZone(m.startsAt, m.endsAt, zone)}${where ? `, at ${where}` : ''}.${m.agenda ? `\n\nAgenda:\n${m.agenda}` : ''}`);
    sent += 1;
  }
  return sent;
}
