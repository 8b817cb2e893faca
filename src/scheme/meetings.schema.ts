import { z } from 'zod';

/** What the meeting forms may send; messages appear next to the field. */
export const MEETING_MESSAGES = {
  title: 'Enter a title for the meeting, up to 200 characters.',
  startsAt: 'Enter when the meeting starts, for example 2026-10-06 14:00.',
  endsAt: 'Enter when the meeting ends, for example 2026-10-06 15:00.',
  endBeforeStart: 'The meeting must end after it starts.',
  tooLong: 'A meeting can last at most 24 hours.',
  inPast: 'The meeting must start in the future.',
  place: 'Keep the place to 300 characters or fewer.',
  placeOrLink: 'Give a place, an online link, or both.',
  onlineUrl: 'Enter the online link as a full web address starting with https://, for example https://meet.example.ac.uk/set.',
  agenda: 'Keep the agenda to 5,000 characters or fewer.',
  notes: 'Keep the notes and actions to 20,000 characters or fewer.',
  attended: 'Choose people from the list.',
  group: 'Choose the whole set or one of its groups.',
};

const text = (max: number, message: string) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, message));
const dateTime = (message: string) => text(20, message).refine((v) => /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/.test(v), message);

export const meetingSchema = z.object({
  title: text(200, MEETING_MESSAGES.title).pipe(z.string().min(1, MEETING_MESSAGES.title)),
  startsAt: dateTime(MEETING_MESSAGES.startsAt),
  endsAt: dateTime(MEETING_MESSAGES.endsAt),
  place: text(300, MEETING_MESSAGES.place),
  onlineUrl: text(2000, MEETING_MESSAGES.onlineUrl).refine((v) => v === '' || /^https?:\/\/[^\s<>"]+$/i.test(v), MEETING_MESSAGES.onlineUrl),
  agenda: text(5000, MEETING_MESSAGES.agenda),
  groupId: text(24, MEETING_MESSAGES.group).refine((v) => /^([0-9a-f]{24})?$/i.test(v), MEETING_MESSAGES.group), // '' = the whole set; set when scheduled
}).superRefine((v, ctx) => {
  if (!v.place && !v.onlineUrl) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['place'], message: MEETING_MESSAGES.placeOrLink });
});
export type MeetingInput = z.infer<typeof meetingSchema>;

export const notesSchema = z.object({ notes: text(20_000, MEETING_MESSAGES.notes) });

/** Checkboxes: one value, several, or none at all (nobody came). */
export const attendanceSchema = z.object({
  attended: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().regex(/^[0-9a-f]{24}$/i, MEETING_MESSAGES.attended)).max(500, MEETING_MESSAGES.attended)),
});

export const meetingListSchema = z.object({
  when: z.enum(['upcoming', 'past']).catch('upcoming').default('upcoming'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
