import { INSTITUTION_ZONE } from '../../http/dates';

/** A meeting of the scheme as the set's calendar shows it (the scheme's own pages hold the details). */
export interface SchemeMeeting {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location?: string;
  description?: string;
}
export type SchemeMeetingSource = (courseId: string, from: Date, to: Date) => Promise<SchemeMeeting[]>;
export type TimeZoneSource = (courseId: string) => Promise<string | null | undefined>;

// Set by boot: community never imports the scheme (the scheme's place gate already depends the other way round).
let meetingSource: SchemeMeetingSource = async () => [];
let zoneSource: TimeZoneSource = async () => INSTITUTION_ZONE;

/** Lets the scheme's meetings appear in each set's calendar and its .ics files. */
export function setSchemeMeetingSource(fn: SchemeMeetingSource): void {
  meetingSource = fn;
}

/** Lets a course's own time zone (the scheme's settings) replace the institution's default. */
export function setCourseTimeZoneSource(fn: TimeZoneSource): void {
  zoneSource = fn;
}

export async function schemeMeetings(courseId: string, from: Date, to: Date): Promise<SchemeMeeting[]> {
  return (await meetingSource(courseId, from, to)).filter((m) => m.startsAt < to && m.endsAt > from);
}

export async function zoneOf(courseId: string): Promise<string> {
  return (await zoneSource(courseId)) || INSTITUTION_ZONE;
}

/** How pages name the zone their times are in. */
export const zoneLabel = (zone: string) => (zone === 'Europe/London' ? 'UK time' : `${zone.replace(/_/g, ' ')} time`);
