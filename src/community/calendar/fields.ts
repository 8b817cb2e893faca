import { z } from 'zod';
import { zonedInstant } from '../../http/dates';

export const WHEN_MESSAGES = {
  date: 'Enter the date as a day, month and year, for example 2027-01-14.',
  time: 'Enter the start and end as hours and minutes, for example 14:00.',
  noSuchTime: 'That date and time does not exist (the clocks change then). Choose another.',
  endBeforeStart: 'The end must be after the start, on the same day.',
  past: 'Choose a time from now on.',
  tooFar: 'Choose a date within the next two years.',
};

/** Date, start and end typed in the course's time zone: the fields a session and a suggested meeting share. */
export const whenFields = {
  date: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, WHEN_MESSAGES.date),
  start: z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, WHEN_MESSAGES.time),
  end: z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, WHEN_MESSAGES.time),
};

/** The instants the fields name, or the message that says what to put right. */
export function instantsOf(f: { date: string; start: string; end: string }, zone: string, now: Date): { startsAt: Date; endsAt: Date } | { error: string } {
  const startsAt = zonedInstant(f.date, f.start, zone);
  const endsAt = zonedInstant(f.date, f.end, zone);
  if (!startsAt || !endsAt) return { error: WHEN_MESSAGES.noSuchTime };
  if (endsAt <= startsAt) return { error: WHEN_MESSAGES.endBeforeStart };
  if (startsAt < now) return { error: WHEN_MESSAGES.past };
  if (startsAt.getTime() - now.getTime() > 2 * 366 * 86_400_000) return { error: WHEN_MESSAGES.tooFar };
  return { startsAt, endsAt };
}
