import { Types } from 'mongoose';
import { canModerate, type Asker } from '../policy';
import type { Member } from '../service';
import type { CalendarEntry } from './ics';
import { Session, type SessionDoc, type SessionKind } from './models';
import { schemeMeetings, type SchemeMeeting } from './sources';

/** A month holds at most this many of the set's own sessions on its page (and in its file). */
export const MONTH_LIMIT = 200;

export const KIND_LABELS: Record<SessionKind, string> = { 'skill-share': 'Skill-share', 'writing-retreat': 'Writing retreat', 'study-group': 'Study group', other: 'Session' };

export async function proposeSession(who: Member, input: { kind: SessionKind; title: string; description: string; location: string; startsAt: Date; endsAt: Date }): Promise<SessionDoc> {
  const doc = await Session.create({ ...input, courseId: who.courseId, proposedBy: who.userId, proposedByName: who.name });
  return doc.toObject() as SessionDoc;
}

/** A session of the person's own course (cancelled ones too: their page says so); null for anything else. */
export async function sessionFor(who: Asker, id: string): Promise<SessionDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return Session.findOne({ _id: id, courseId: who.courseId }).lean<SessionDoc>();
}

export const canCancel = (who: Asker, s: SessionDoc) => s.proposedBy === who.userId || canModerate(who);

export async function cancelSession(s: SessionDoc, now: Date): Promise<boolean> {
  const r = await Session.updateOne({ _id: s._id, cancelledAt: null }, { $set: { cancelledAt: now } });
  return r.modifiedCount > 0;
}

/** One entry of the set's calendar: the set's own session, or one of the scheme's meetings. */
export type CalendarItem = { source: 'session'; session: SessionDoc } | { source: 'scheme'; meeting: SchemeMeeting };
const startOf = (i: CalendarItem) => (i.source === 'session' ? i.session.startsAt : i.meeting.startsAt);

/** Everything on the set's calendar between two instants, soonest first; `more` when the month held too many sessions. */
export async function calendarBetween(courseId: string, from: Date, to: Date): Promise<{ items: CalendarItem[]; more: boolean }> {
  const [sessions, meetings] = await Promise.all([
    Session.find({ courseId, cancelledAt: null, startsAt: { $gte: from, $lt: to } }).sort({ startsAt: 1, _id: 1 }).limit(MONTH_LIMIT + 1).lean<SessionDoc[]>(),
    schemeMeetings(courseId, from, to),
  ]);
  const items: CalendarItem[] = [
    ...sessions.slice(0, MONTH_LIMIT).map((session) => ({ source: 'session' as const, session })),
    ...meetings.map((meeting) => ({ source: 'scheme' as const, meeting })),
  ];
  items.sort((a, b) => startOf(a).getTime() - startOf(b).getTime());
  return { items, more: sessions.length > MONTH_LIMIT };
}

export const sessionEntry = (s: SessionDoc): CalendarEntry => ({
  uid: `session-${s._id}`,
  title: `${KIND_LABELS[s.kind]}: ${s.title}`,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  location: s.location,
  description: s.description,
  organiser: s.proposedByName,
});

export const calendarEntry = (i: CalendarItem): CalendarEntry =>
  i.source === 'session'
    ? sessionEntry(i.session)
    : { uid: `scheme-meeting-${i.meeting.id}`, title: i.meeting.title, startsAt: i.meeting.startsAt, endsAt: i.meeting.endsAt, location: i.meeting.location, description: i.meeting.description };
