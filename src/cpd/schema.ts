import { z } from 'zod';
import { ACTIVITY_KINDS, RATINGS, TARGET_SOURCES } from './models';
import { DAY_MS } from './periods.service';

/** What the CPD forms may send. Messages in plain British English, shown on the page. */
export const MESSAGES = {
  titleMissing: 'Enter a title for the activity.',
  titleTooLong: 'Keep the title to 200 characters or fewer.',
  kind: 'Choose what kind of activity this was.',
  date: 'Enter dates as day, month and year, for example 2026-03-14.',
  endBeforeStart: 'The end date must be on or after the start date.',
  hours: 'Enter the hours as a number from 0.25 to 1,000, for example 3.5.',
  absurdHours: 'That is more hours than the days between the start and end dates hold. Check the hours and dates.',
  cost: 'Enter the cost in pounds as a number from 0 to 100,000, for example 120.50.',
  long: 'Keep each text box to 10,000 characters or fewer.',
  ids: 'Choose from the lists on the page.',
  targetTitle: 'Describe the target in up to 300 characters.',
  source: 'Choose where the target came from.',
  outcome: 'Say what the outcome was (up to 5,000 characters).',
  rating: 'Choose how effective each linked activity was, and say why in a sentence.',
  reviewer: 'Choose who reviews this period: your line manager or your course coordinator.',
  email: 'Enter your line manager’s email address, for example name@college.ac.uk.',
  comment: 'Write a comment for the person (up to 5,000 characters).',
};

const text = (max: number, message = MESSAGES.long) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v ?? ''), z.string().max(max, message));
const date = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ required_error: MESSAGES.date })
  .regex(/^\d{4}-\d{2}-\d{2}$/, MESSAGES.date)
  .transform((v) => new Date(`${v}T00:00:00Z`))
  .refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 2100, MESSAGES.date));
const flag = z.preprocess((v) => v === 'yes' || v === 'on' || v === 'true' || v === true, z.boolean());
const id = z.string().regex(/^[a-f0-9]{24}$/i, MESSAGES.ids);
/** A form sends one value as a string and several as an array; none at all as nothing. */
const idList = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]), z.array(id).max(50, MESSAGES.ids));
const money = z.preprocess((v) => (v === '' || v === undefined ? 0 : typeof v === 'string' ? Number(v.replace(/[£,\s]/g, '')) : v), z.number({ invalid_type_error: MESSAGES.cost }).finite(MESSAGES.cost).min(0, MESSAGES.cost).max(100_000, MESSAGES.cost));

export const entrySchema = z
  .object({
    title: text(200, MESSAGES.titleTooLong).pipe(z.string().min(1, MESSAGES.titleMissing)),
    kind: z.enum(ACTIVITY_KINDS, { errorMap: () => ({ message: MESSAGES.kind }) }),
    startOn: date,
    endOn: date,
    hours: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ invalid_type_error: MESSAGES.hours, required_error: MESSAGES.hours }).finite(MESSAGES.hours).min(0.25, MESSAGES.hours).max(1000, MESSAGES.hours)),
    provider: text(200),
    accredited: flag,
    cost: money,
    expenseClaimed: flag,
    reflection: text(10_000),
    use: text(10_000),
    targetIds: idList,
    mandatoryItem: text(40).pipe(z.string().regex(/^[a-z0-9-]*$/, MESSAGES.ids)),
    evidenceIds: idList,
  })
  .refine((e) => e.endOn >= e.startOn, { message: MESSAGES.endBeforeStart, path: ['endOn'] })
  .refine((e) => e.hours <= 24 * ((e.endOn.getTime() - e.startOn.getTime()) / DAY_MS + 1), { message: MESSAGES.absurdHours, path: ['hours'] });
export type EntryInput = z.output<typeof entrySchema>;

export const targetSchema = z.object({
  title: text(300, MESSAGES.targetTitle).pipe(z.string().min(1, MESSAGES.targetTitle)),
  source: z.enum(TARGET_SOURCES, { errorMap: () => ({ message: MESSAGES.source }) }),
  dueOn: date,
  planned: text(5000),
});
export type TargetInput = z.output<typeof targetSchema>;

/** An evaluation arrives as outcome plus rating_<entryId> and sentence_<entryId> for each linked activity. */
export function evaluationSchema(entryIds: string[]) {
  return z.object({
    outcome: text(5000, MESSAGES.outcome).pipe(z.string().min(1, MESSAGES.outcome)),
    ratings: z.array(z.object({ entryId: id, rating: z.enum(RATINGS, { errorMap: () => ({ message: MESSAGES.rating }) }), sentence: text(500, MESSAGES.rating).pipe(z.string().min(1, MESSAGES.rating)) })).length(entryIds.length, MESSAGES.rating),
  });
}
export const evaluationInput = (body: Record<string, unknown>, entryIds: string[]) => ({
  outcome: body.outcome,
  ratings: entryIds.map((entryId) => ({ entryId, rating: body[`rating_${entryId}`], sentence: body[`sentence_${entryId}`] })),
});

export const submitSchema = z.discriminatedUnion('reviewer', [
  z.object({ reviewer: z.literal('line_manager'), reviewerName: text(200).pipe(z.string().min(1, 'Enter your line manager’s name.')), reviewerEmail: z.string().trim().email(MESSAGES.email).max(200, MESSAGES.email), progress: text(10_000) }),
  z.object({ reviewer: z.literal('coordinator'), progress: text(10_000) }),
], { errorMap: () => ({ message: MESSAGES.reviewer }) });

export const acknowledgeSchema = z.object({ comment: text(5000, MESSAGES.comment).pipe(z.string().min(1, MESSAGES.comment)) });

export const profileSchema = z.object({ cvText: text(50_000, 'Keep your CV to 50,000 characters or fewer.'), skills: text(5000, 'Keep your skills to 5,000 characters or fewer.') });

export const certificationSchema = z.object({ certifiedOn: date });

export const REVIEW_SECTIONS = [
  { id: 'context', title: 'Your current role and context' },
  { id: 'development', title: 'Your development since certification' },
  { id: 'reflection', title: 'Reflection on its impact on your practice' },
  { id: 'plans', title: 'Future plans' },
] as const;
export const reviewSchema = z.object({ entryIds: idList, context: text(20_000), development: text(20_000), reflection: text(20_000), plans: text(20_000) });
export type ReviewInput = z.output<typeof reviewSchema>;

export const rangeSchema = z.object({ from: date.optional().catch(undefined), to: date.optional().catch(undefined) });
export const pageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);
