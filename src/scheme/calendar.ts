import { createHmac } from 'node:crypto';
import { createEvents, type EventAttributes } from 'ics';
import { Membership } from '../people/membership.model';
import { sameSecret } from '../http/same-secret';
import { schemePlaceGate } from './gate';
import { CalendarFeed, type CalendarFeedDoc, type MeetingDoc } from './meetings.model';
import { refusal, type Result } from './settings.service';

/**
 * RFC 5545 output through the `ics` package (it folds lines, escapes text and validates fields), and the personal
 * subscription addresses. An address is `<feed id>.<HMAC(feed id, version)>`: nothing secret is stored, the same
 * address can be shown again, and revoking (version + 1) stops every earlier one.
 */
export const CALENDAR_REFUSALS = {
  unknown: 'This calendar address is not valid. Copy the whole address again from the Meetings page in CMALT Portfolio.',
  revoked: 'This calendar address has been replaced by a newer one. Copy the new address from the Meetings page in CMALT Portfolio.',
  gone: 'This calendar belongs to someone who is no longer in the learning set, so it no longer shows meetings.',
};

const PRODUCT_ID = '-//CMALT Portfolio//Learning set meetings//EN';
const utc = (d: Date) => new Date(d).getTime();

function eventOf(m: MeetingDoc, host: string, pageUrl?: (id: string) => string): EventAttributes {
  const description = [m.agenda && `Agenda:\n${m.agenda}`, m.onlineUrl && `Join online: ${m.onlineUrl}`].filter(Boolean).join('\n\n');
  return {
    uid: `${String(m._id)}@${host}`,
    title: m.title,
    start: utc(m.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: utc(m.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    ...(m.place || m.onlineUrl ? { location: m.place || m.onlineUrl } : {}),
    ...(description ? { description } : {}),
    ...(m.onlineUrl ? { url: m.onlineUrl } : pageUrl ? { url: pageUrl(String(m._id)) } : {}),
    status: m.cancelled ? 'CANCELLED' : 'CONFIRMED',
    sequence: m.sequence,
    lastModified: utc(m.updatedAt ?? m.createdAt ?? new Date()),
  };
}

/** An iCalendar file of the meetings; cancelled ones stay in with STATUS:CANCELLED so subscribers drop them. */
export function icsOf(meetings: MeetingDoc[], opts: { host: string; calName: string }): string {
  const { error, value } = createEvents(meetings.map((m) => eventOf(m, opts.host)), { productId: PRODUCT_ID, method: 'PUBLISH', calName: opts.calName });
  if (error || !value) throw error ?? new Error('the calendar could not be written');
  return value;
}

const tokenOf = (secret: string, feed: Pick<CalendarFeedDoc, '_id'>, version: number) =>
  `${String(feed._id)}.${createHmac('sha256', secret).update(`calendar-feed:${String(feed._id)}:${version}`).digest('base64url')}`;

/** The person's address for the course, made on first ask. */
export async function feedAddress(secret: string, courseId: string, userId: string, make: boolean): Promise<string | null> {
  const feed = make
    ? await CalendarFeed.findOneAndUpdate({ courseId, userId }, { $setOnInsert: { courseId, userId, version: 1 } }, { upsert: true, new: true }).lean()
    : await CalendarFeed.findOne({ courseId, userId }).lean();
  return feed ? tokenOf(secret, feed, feed.version) : null;
}

/** A new address; the old one answers "replaced" from now on. */
export async function revokeFeed(secret: string, courseId: string, userId: string): Promise<string | null> {
  const feed = await CalendarFeed.findOneAndUpdate({ courseId, userId }, { $inc: { version: 1 } }, { new: true }).lean();
  return feed ? tokenOf(secret, feed, feed.version) : null;
}

/**
 * Opens a feed from its address. A wrong secret is 404, an earlier (revoked) one 410, and a person who has since
 * left the set (withdrawn, or no longer a mentor) gets 410 too: the address outlives their access otherwise.
 */
export async function openFeed(secret: string, token: string): Promise<Result<{ courseId: string; userId: string; roles: string[] }>> {
  const m = /^([0-9a-f]{24})\.([A-Za-z0-9_-]{43})(?:\.ics)?$/.exec(token);
  if (!m) return refusal(404, CALENDAR_REFUSALS.unknown);
  const feed = (await CalendarFeed.findById(m[1]).lean()) as CalendarFeedDoc | null;
  if (!feed) return refusal(404, CALENDAR_REFUSALS.unknown);
  const given = `${m[1]}.${m[2]}`;
  if (!sameSecret(given, tokenOf(secret, feed, feed.version))) {
    for (let v = feed.version - 1; v >= Math.max(1, feed.version - 50); v -= 1) if (sameSecret(given, tokenOf(secret, feed, v))) return refusal(410, CALENDAR_REFUSALS.revoked);
    return refusal(404, CALENDAR_REFUSALS.unknown);
  }
  const membership = await Membership.findOne({ user: feed.userId, course: feed.courseId }, { appRoles: 1 }).lean();
  const roles = membership?.appRoles ?? [];
  if (!(await mayJoinMeetings({ courseId: feed.courseId, userId: feed.userId, roles }))) return refusal(410, CALENDAR_REFUSALS.gone);
  return { ok: true, courseId: feed.courseId, userId: feed.userId, roles: roles as string[] };
}

/** The set's meetings are for the coordinator, the mentors and the candidates with a place. */
export async function mayJoinMeetings(who: { courseId: string; userId: string; roles: readonly string[] }): Promise<boolean> {
  if (who.roles.includes('coordinator') || who.roles.includes('mentor')) return true;
  if (!who.roles.includes('candidate')) return false;
  return (await schemePlaceGate(who)) === null;
}
