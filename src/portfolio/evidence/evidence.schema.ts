import { z } from 'zod';
import { EVIDENCE_KINDS } from './evidence.model';

/** What the evidence forms may send. Messages are shown next to the field, in plain British English. */

export const MESSAGES = {
  titleMissing: 'Enter a title so you can find this evidence again.',
  titleTooLong: 'Keep the title to 200 characters or fewer.',
  dateInvalid: 'Enter the date as day, month and year, for example 2025-03-14.',
  descriptionTooLong: 'Keep the description to 5,000 characters or fewer.',
  tagsTooMany: 'Use up to 20 tags, each up to 40 characters.',
  urlInvalid: 'Enter a full web address starting with http:// or https://.',
  textMissing: 'Write the note itself.',
  textTooLong: 'Keep the note to 10,000 characters or fewer.',
};

const trimmed = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().optional().default(''));

/** Tags arrive as "role: lecturer, moodle, 2024"; stored trimmed and without duplicates. */
export function parseTags(raw: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of raw.split(',')) {
    const tag = part.trim().replace(/\s+/g, ' ');
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags;
}

const tagsField = trimmed
  .transform(parseTags)
  .refine((tags) => tags.length <= 20 && tags.every((t) => t.length <= 40), MESSAGES.tagsTooMany);

const dateField = trimmed.refine(
  (v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))),
  MESSAGES.dateInvalid,
);

export const detailsSchema = z.object({
  title: trimmed.pipe(z.string().min(1, MESSAGES.titleMissing).max(200, MESSAGES.titleTooLong)),
  date: dateField,
  description: trimmed.pipe(z.string().max(5000, MESSAGES.descriptionTooLong)),
  tags: tagsField,
});

/** Only http and https: no javascript:, data:, file: or other schemes that could run or read things. */
export function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export const linkSchema = detailsSchema.extend({
  url: trimmed.pipe(z.string().max(2000, MESSAGES.urlInvalid).refine(isWebAddress, MESSAGES.urlInvalid)),
});

export const noteSchema = detailsSchema.extend({
  text: trimmed.pipe(z.string().min(1, MESSAGES.textMissing).max(10000, MESSAGES.textTooLong)),
});

export type EvidenceDetails = z.infer<typeof detailsSchema>;
export type LinkInput = z.infer<typeof linkSchema>;
export type NoteInput = z.infer<typeof noteSchema>;

export const listFilterSchema = z.object({
  kind: z.enum(EVIDENCE_KINDS).or(z.literal('')).optional().catch(undefined),
  tag: z.string().trim().max(40).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
});
export type ListFilter = z.infer<typeof listFilterSchema>;

/** Turns a zod failure into { field: message } for the form, keeping the first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (!out[field]) out[field] = issue.message;
  }
  return out;
}
