import { z } from 'zod';

/** What the planning forms may send, with messages shown next to the field. */
export const PLANNING_MESSAGES = {
  cvEmpty: 'Paste the text of your CV, or upload the file.',
  cvTooLong: 'Your CV text is longer than 100,000 characters. Please paste a shorter version.',
  noteEmpty: 'Write at least one of: what you did, what you learned, or how you could prove it.',
  titleTooLong: 'Keep the name of the example to 200 characters or fewer.',
  fieldTooLong: 'Keep each note to 5,000 characters or fewer.',
};

const text = (max: number, message: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : ''), z.string().max(max, message));

export const cvPasteSchema = z.object({
  cvText: text(100_000, PLANNING_MESSAGES.cvTooLong).pipe(z.string().min(1, PLANNING_MESSAGES.cvEmpty)),
});

export const noteSchema = z
  .object({
    title: text(200, PLANNING_MESSAGES.titleTooLong),
    did: text(5000, PLANNING_MESSAGES.fieldTooLong),
    learned: text(5000, PLANNING_MESSAGES.fieldTooLong),
    proof: text(5000, PLANNING_MESSAGES.fieldTooLong),
  })
  .refine((n) => Boolean(n.title || n.did || n.learned || n.proof), { message: PLANNING_MESSAGES.noteEmpty, path: ['did'] });

export type NoteInput = z.infer<typeof noteSchema>;

export { objectId } from '../../http/validation';
export const areaIdSchema = z.string().regex(/^[a-z0-9-]{1,40}$/);
