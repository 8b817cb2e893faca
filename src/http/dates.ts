import { DateTime } from 'luxon';
/**
 * Dates in words for pages, emails and exports: one format, "5 December 2026 at 14:05", in the institution's time
 * zone (Europe/London), whatever page shows it.
 */
// Built once: a formatter per row cost more than the row on long pages.
const pageFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** "5 December 2026 at 14:05" in the institution's time zone. */
export const when = (d: Date | string | null | undefined) => (d ? pageFormat.format(new Date(d)) : '');
// A calendar day someone typed (no time) is kept as midnight UTC, so it is read back in UTC, as typed.
const calendarDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const instantDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** "5 December 2026": a calendar day kept as midnight UTC (an evidence date, a CPD entry, a submission date). */
export const day = (d: Date | string | null | undefined) => (d ? calendarDay.format(new Date(d)) : '');

/** "5 December 2026": the day a moment falls on in the institution's time zone (an expiry, an arrival). */
export const dayOf = (d: Date | string | null | undefined) => (d ? instantDay.format(new Date(d)) : '');

/** The same as `when`; the name the mentoring and portfolio pages have used. */
export const whenLondon = when;

/** The institution's time zone when nothing else is configured (a course may be told another; see community/calendar). */
export const INSTITUTION_ZONE = 'Europe/London';

/** "Thursday 10 December 2026, 14:00" in the given zone: a calendar entry in words. */
export const whenIn = (d: Date | string | null | undefined, zone: string = INSTITUTION_ZONE) =>
  d ? formatter('long', zone).format(new Date(d)) : '';

/** "14:00" in the given zone. */
export const timeIn = (d: Date | string, zone: string = INSTITUTION_ZONE) => formatter('time', zone).format(new Date(d));

// One formatter per zone and style, built once (see pageFormat above).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(style: 'long' | 'time', zone: string): Intl.DateTimeFormat {
  const key = `${style}:${zone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone } : { hour: '2-digit', minute: '2-digit', timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

/**
 * The instant a wall-clock date and time name in `zone` ("2026-12-10", "14:00"), or null when there is no such
 * moment (31 February, or 01:30 on the morning the clocks go forward).
 */
export function zonedInstant(date: string, time: string, zone: string = INSTITUTION_ZONE): Date | null {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!dt.isValid) return null;
  // luxon moves a time inside the spring-forward gap: refuse it rather than book an hour the person never typed
  return dt.toFormat("yyyy-MM-dd'T'HH:mm") === `${date}T${time}` ? dt.toJSDate() : null;
}

/** The first instant of a month ("2026-12") in `zone`, and of the month after it. */
export function monthIn(month: string, zone: string = INSTITUTION_ZONE): { from: Date; to: Date; label: string; prev: string; next: string } | null {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  if (!start.isValid) return null;
  const next = start.plus({ months: 1 });
  return { from: start.toJSDate(), to: next.toJSDate(), label: start.setLocale('en-GB').toFormat('LLLL yyyy'), prev: start.minus({ months: 1 }).toFormat('yyyy-MM'), next: next.toFormat('yyyy-MM') };
}

/** This month ("2026-12") in `zone`. */
export const monthOf = (d: Date, zone: string = INSTITUTION_ZONE) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM');
