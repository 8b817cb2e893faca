import { DateTime } from 'luxon';
import { z } from 'zod';

/** What the scheme's forms may send. Messages are shown next to the field, in plain British English. */
export const MESSAGES = {
  cohortName: 'Enter a name for the cohort, up to 120 characters.',
  date: 'Enter the date as year, month and day, for example 2026-09-01.',
  dateTime: 'Enter the date and time, for example 2026-09-01 09:30.',
  endsBeforeStart: 'The cohort must end after it starts.',
  closesBeforeOpens: 'The call must close after it opens.',
  places: 'Enter the number of places as a whole number from 1 to 200.',
  sites: 'List up to 50 sites, one per line, each up to 120 characters.',
  month: 'Choose the month the financial year starts.',
  funded: 'Enter the funded submissions per financial year as a whole number from 0 to 200.',
  fee: 'Enter the fee in pounds, for example 250 or 250.00.',
  deadlines: 'Write each deadline on its own line as a date then a label, for example "2026-11-30 Core area 1 draft".',
  jobTitle: 'Enter your job title, up to 200 characters.',
  site: 'Choose the site where you work.',
  pathway: 'Choose the pathway you want to follow.',
  justification: 'Keep your justification to 5,000 characters or fewer.',
  justificationMissing: 'Tell us why now, what you hope to gain and the time you can give.',
  managerName: 'Enter your line manager’s name, up to 200 characters.',
  managerEmail: 'Enter your line manager’s email address, for example name@example.ac.uk.',
  reason: 'Give a reason, up to 2,000 characters.',
  reasonMissing: 'Give a reason, so the person knows why.',
  comment: 'Keep the comment to 2,000 characters or fewer.',
  retention: 'Enter how many months to keep a withdrawn portfolio, as a whole number from 1 to 120.',
  answer: 'Choose whether you support this application.',
};

const text = (max: number, message: string) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, message));
const required = (max: number, message: string) => text(max, message).pipe(z.string().min(1, message));

/** A local date or date-time in the institution's time zone, to the instant it names. */
export function localInstant(value: string, zone: string): Date | null {
  if (!value) return null;
  const dt = DateTime.fromISO(value.replace(' ', 'T'), { zone });
  return dt.isValid ? dt.toJSDate() : null;
}
export const localValue = (d: Date | null | undefined, zone: string, withTime: boolean) =>
  d ? DateTime.fromJSDate(new Date(d), { zone }).toFormat(withTime ? "yyyy-MM-dd'T'HH:mm" : 'yyyy-MM-dd') : '';

const dateField = text(20, MESSAGES.date).refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), MESSAGES.date);
const dateTimeField = text(20, MESSAGES.dateTime).refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/.test(v), MESSAGES.dateTime);
const int = (min: number, max: number, message: string) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN), z.number({ invalid_type_error: message }).int(message).min(min, message).max(max, message));

export const settingsSchema = z.object({
  cohortName: required(120, MESSAGES.cohortName),
  startsOn: dateField,
  endsOn: dateField,
  places: int(1, 200, MESSAGES.places),
  sites: text(6100, MESSAGES.sites).transform((v) => [...new Set(v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean))]).refine((s) => s.length <= 50 && s.every((x) => x.length <= 120), MESSAGES.sites),
  callOpensAt: dateTimeField,
  callClosesAt: dateTimeField,
  fyStartMonth: int(1, 12, MESSAGES.month),
  fundedPerYear: int(0, 200, MESSAGES.funded),
  retentionMonths: z.preprocess((v) => (v === undefined || v === '' ? '24' : v), int(1, 120, MESSAGES.retention)), // absent from older forms: the default
  fee: text(12, MESSAGES.fee).refine((v) => v === '' || /^\d{1,7}(\.\d{1,2})?$/.test(v), MESSAGES.fee).transform((v) => (v ? Math.round(Number(v) * 100) : 0)),
  deadlines: text(10_000, MESSAGES.deadlines).transform((v, ctx) => {
    const out: Array<{ due: string; label: string }> = [];
    for (const line of v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const m = /^(\d{4}-\d{2}-\d{2})\s+(.{1,200})$/.exec(line);
      if (!m || out.length >= 40) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: MESSAGES.deadlines });
        return z.NEVER;
      }
      out.push({ due: m[1], label: m[2] });
    }
    return out;
  }),
}).superRefine((v, ctx) => {
  if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['endsOn'], message: MESSAGES.endsBeforeStart });
  if (v.callOpensAt && v.callClosesAt && v.callClosesAt.replace(' ', 'T') <= v.callOpensAt.replace(' ', 'T')) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['callClosesAt'], message: MESSAGES.closesBeforeOpens });
});
export type SettingsInput = z.infer<typeof settingsSchema>;

/** The application form: every field may be left empty in a draft; `submit` checks they are all there. */
export const applicationSchema = z.object({
  jobTitle: text(200, MESSAGES.jobTitle),
  site: text(120, MESSAGES.site),
  pathway: text(60, MESSAGES.pathway).refine((v) => v === '' || v === 'cmalt' || v === 'senior', MESSAGES.pathway),
  justification: text(5000, MESSAGES.justification),
  lineManagerName: text(200, MESSAGES.managerName),
  lineManagerEmail: text(254, MESSAGES.managerEmail).refine((v) => v === '' || z.string().email().safeParse(v).success, MESSAGES.managerEmail),
});
export type ApplicationInput = z.infer<typeof applicationSchema>;

export const reasonSchema = z.object({ reason: required(2000, MESSAGES.reasonMissing) });
export const supportAnswerSchema = z.object({
  answer: z.enum(['yes', 'no'], { errorMap: () => ({ message: MESSAGES.answer }) }),
  comment: text(2000, MESSAGES.comment),
});
export const recordSupportSchema = z.object({
  answer: z.enum(['yes', 'no'], { errorMap: () => ({ message: MESSAGES.answer }) }),
  comment: required(2000, MESSAGES.reasonMissing),
});

export const listFilterSchema = z.object({
  site: z.string().trim().max(120).optional().catch(undefined),
  state: z.string().trim().max(20).optional().catch(undefined),
  support: z.string().trim().max(20).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type ListFilter = z.infer<typeof listFilterSchema>;

/** Turns a zod failure into { field: message }, keeping the first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (!out[field]) out[field] = issue.message;
  }
  return out;
}
