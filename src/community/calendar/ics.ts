import { createEvents, type EventAttributes } from 'ics';
import type { Response } from 'express';

/** One entry of a calendar file: times are instants (UTC), so every calendar app shows them in its own zone. */
export interface CalendarEntry {
  uid: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location?: string;
  description?: string;
  organiser?: string;
}

const PRODUCT = 'cmalt-portfolio/learning-set';

/** An iCalendar file (RFC 5545) of the entries, built by the `ics` package; throws if it refuses one. */
export function icsOf(entries: CalendarEntry[], calName: string): string {
  const events: EventAttributes[] = entries.map((e) => ({
    uid: `${e.uid}@cmalt-portfolio`,
    title: e.title,
    start: e.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: e.endsAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    ...(e.location ? { location: e.location } : {}),
    ...(e.description ? { description: e.description } : {}),
    ...(e.organiser ? { organizer: { name: e.organiser } } : {}),
    productId: PRODUCT,
  }));
  // ics refuses an empty list; an empty month is still a valid (empty) calendar
  if (!events.length) return ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODUCT}`, 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${calName}`, 'END:VCALENDAR', ''].join('\r\n');
  const { error, value } = createEvents(events, { productId: PRODUCT, calName });
  if (error || !value) throw error ?? new Error('the calendar could not be built');
  return value;
}

/** Sends a calendar file as a download, never cached by a shared proxy. */
export function sendIcs(res: Response, filename: string, body: string): void {
  res.set({
    'Content-Type': 'text/calendar; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename.replace(/[^\w.-]+/g, '-')}"`,
    'Cache-Control': 'private, no-store',
  });
  res.send(body);
}
