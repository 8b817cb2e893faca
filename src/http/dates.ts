/**
 * Dates in words for pages. Two formats remain for now (the mentoring pages in Europe/London, the gradebook,
 * roster and cohort queue in UTC) so that no page changes here; one institution time zone is a later change.
 */
const londonFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });

/** "5 Dec 2026, 14:05" in Europe/London. */
export const whenLondon = (d: Date | string | null | undefined) => (d ? londonFormat.format(new Date(d)) : '');

/** "25 November 2026 at 14:05 UTC": dates in words, so nobody has to decode an ISO string. */
export function whenUtc(date: Date | null | undefined): string {
  if (!date) return '';
  return `${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(date)} UTC`;
}
