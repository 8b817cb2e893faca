/**
 * Submission periods: consecutive blocks of `months` calendar months counted from January 2000 (UTC), so with
 * the default of two they are Jan-Feb, Mar-Apr, ... Each is due `GRACE_DAYS` after it ends. Pure: no clock.
 */
export const DAY_MS = 86_400_000;
export const GRACE_DAYS = 14;
export const REMIND_DAYS_BEFORE_DUE = 7;

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export interface Period {
  start: Date; // first day, 00:00 UTC
  end: Date; // last day, 00:00 UTC (inclusive)
  due: Date; // submit by the end of this day
  key: string; // "2026-03"
}

export function periodOf(date: Date, months: number): Period {
  const monthsSince = (date.getUTCFullYear() - 2000) * 12 + date.getUTCMonth();
  const first = Math.floor(monthsSince / months) * months;
  const start = new Date(Date.UTC(2000, first, 1));
  const next = new Date(Date.UTC(2000, first + months, 1));
  const end = new Date(next.getTime() - DAY_MS);
  return { start, end, due: new Date(end.getTime() + GRACE_DAYS * DAY_MS), key: start.toISOString().slice(0, 7) };
}

export function periodStarting(key: string, months: number): Period | null {
  if (!/^\d{4}-\d{2}$/.test(key)) return null;
  const date = new Date(`${key}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return null;
  const period = periodOf(date, months);
  return period.key === key ? period : null;
}

/** Every period from the one holding `from` to the one holding `to`, oldest first (bounded to 10 years). */
export function periodsBetween(from: Date, to: Date, months: number): Period[] {
  const out: Period[] = [];
  let p = periodOf(from, months);
  while (p.start <= to && out.length < 120) {
    out.push(p);
    p = periodOf(addMonths(p.start, months), months);
  }
  return out;
}

export function periodLabel(p: Period): string {
  const fmt = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const a = fmt.format(p.start);
  const b = fmt.format(p.end);
  return a === b ? a : `${a} to ${b}`;
}
