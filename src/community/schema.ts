import { z } from 'zod';
import { htmlToText, sanitiseRichText, textToHtml } from '../portfolio';

export const MESSAGES = {
  kind: 'Choose whether this is practice to share or a question.',
  titleMissing: 'Enter a title for your post.',
  titleTooLong: 'Keep the title to 200 characters or fewer.',
  partTooLong: 'Keep each part to 10,000 characters or fewer.',
  practiceEmpty: 'Write at least one of what you tried, what happened or what you learned.',
  questionEmpty: 'Write your question.',
  replyEmpty: 'Write your reply.',
  reasonTooLong: 'Keep the reason to 500 characters or fewer.',
};

/** Tags arrive as "captions, moodle"; stored trimmed, lower case, without duplicates. */
export const tagsField = z
  .string()
  .optional()
  .default('')
  .transform((raw) => [...new Set(raw.split(',').map((t) => t.trim().replace(/\s+/g, ' ').toLowerCase()).filter(Boolean))])
  .refine((tags) => tags.length <= 10 && tags.every((t) => t.length <= 40), 'Use up to 10 tags, each up to 40 characters.');

/** Rich text arrives as HTML from the editor or as plain text from the textarea; either way it is sanitised here. */
const richText = z
  .string()
  .max(10_000, MESSAGES.partTooLong)
  .optional()
  .default('');
const toHtml = (format: 'html' | 'text', value: string): string => sanitiseRichText(format === 'html' ? value : textToHtml(value));

export const postSchema = z
  .object({
    kind: z.enum(['practice', 'question'], { errorMap: () => ({ message: MESSAGES.kind }) }),
    format: z.enum(['html', 'text']).catch('text'),
    title: z.string().trim().min(1, MESSAGES.titleMissing).max(200, MESSAGES.titleTooLong),
    tried: richText,
    happened: richText,
    learned: richText,
    body: richText,
    tags: tagsField,
  })
  .passthrough()
  .transform((f) => ({
    tags: f.tags,
    kind: f.kind,
    title: f.title,
    tried: f.kind === 'practice' ? toHtml(f.format, f.tried) : '',
    happened: f.kind === 'practice' ? toHtml(f.format, f.happened) : '',
    learned: f.kind === 'practice' ? toHtml(f.format, f.learned) : '',
    body: f.kind === 'question' ? toHtml(f.format, f.body) : '',
  }))
  .refine((p) => p.kind !== 'practice' || Boolean(p.tried || p.happened || p.learned), { message: MESSAGES.practiceEmpty })
  .refine((p) => p.kind !== 'question' || Boolean(p.body), { message: MESSAGES.questionEmpty });
export type PostInput = z.output<typeof postSchema>;

/** The words a post is found by: its title, its parts as plain text, its tags. */
export const plainOf = (p: { title: string; tried: string; happened: string; learned: string; body: string; tags: string[] }): string =>
  [p.title, ...[p.tried, p.happened, p.learned, p.body].map(htmlToText), p.tags.join(' ')].filter(Boolean).join('\n');

export const searchSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  tag: z.string().trim().max(40).optional().catch(undefined),
});

export const replySchema = z
  .object({ format: z.enum(['html', 'text']).catch('text'), body: richText })
  .passthrough()
  .transform((f) => ({ body: toHtml(f.format, f.body) }))
  .refine((r) => Boolean(r.body), { message: MESSAGES.replyEmpty });

export const reportSchema = z.object({ reason: z.string().trim().max(500, MESSAGES.reasonTooLong).optional().default('') }).passthrough();

export const moderateSchema = z.object({ action: z.enum(['pin', 'unpin', 'hide', 'unhide', 'remove'], { errorMap: () => ({ message: 'Choose what to do with the post.' }) }) }).passthrough();
export type ModerateAction = z.output<typeof moderateSchema>['action'];

/** The page cursor: "<createdAt ms>.<id>" of the last post shown; anything else is the first page. */
export const cursorSchema = z
  .string()
  .regex(/^\d{1,15}\.[a-f0-9]{24}$/i)
  .transform((c) => {
    const [ms, id] = c.split('.');
    return { createdAt: new Date(Number(ms)), id };
  })
  .optional()
  .catch(undefined);
export type Cursor = NonNullable<z.output<typeof cursorSchema>>;
export const cursorOf = (post: { createdAt: Date; _id: unknown }): string => `${new Date(post.createdAt).getTime()}.${String(post._id)}`;

/** Only http and https: no javascript:, data: or file: addresses. */
const webAddress = (v: string) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
};
const resourceFields = {
  title: z.string().trim().min(1, 'Enter a title for the resource.').max(200, MESSAGES.titleTooLong),
  description: z.string().trim().max(2000, 'Keep the description to 2,000 characters or fewer.').optional().default(''),
  tags: tagsField,
};
export const linkResourceSchema = z.object({ ...resourceFields, url: z.string().trim().max(2000).refine(webAddress, 'Enter a full web address starting with http:// or https://.') }).passthrough();
export const evidenceResourceSchema = z.object({ ...resourceFields, evidenceId: z.string().regex(/^[a-f0-9]{24}$/i, 'Choose an item from your evidence library.') }).passthrough();
