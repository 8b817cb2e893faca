import { z } from 'zod';
import { tagsField } from '../schema';
import { whenFields } from '../calendar/fields';

export const PEOPLE_MESSAGES = {
  site: 'Keep your site to 100 characters or fewer.',
  about: 'Keep “about me” to 1,000 characters or fewer.',
  message: 'Write a short message to go with the invitation.',
  messageTooLong: 'Keep the message to 2,000 characters or fewer.',
  kind: 'Choose a message, or a message with a suggested meeting.',
  place: 'Keep the place or link to 300 characters or fewer.',
  self: 'You cannot invite yourself. Choose someone else in the set.',
  answer: 'Choose to accept or decline.',
  notOpen: 'This invitation has already been answered or withdrawn.',
};

export const profileSchema = z
  .object({
    site: z.string().trim().max(100, PEOPLE_MESSAGES.site).optional().default(''),
    interests: tagsField,
    helpWith: tagsField,
    about: z.string().trim().max(1000, PEOPLE_MESSAGES.about).optional().default(''),
  })
  .passthrough();
export type ProfileInput = z.output<typeof profileSchema>;

/** The directory's filters: "who knows about X" (an interest or something they can help with) and "who is at my site". */
export const directorySchema = z.object({
  about: z.string().trim().toLowerCase().max(40).optional().catch(undefined),
  site: z.string().trim().toLowerCase().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export const invitationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), message: z.string().trim().min(1, PEOPLE_MESSAGES.message).max(2000, PEOPLE_MESSAGES.messageTooLong) }).passthrough(),
  z.object({
    kind: z.literal('meeting'),
    message: z.string().trim().min(1, PEOPLE_MESSAGES.message).max(2000, PEOPLE_MESSAGES.messageTooLong),
    ...whenFields,
    place: z.string().trim().max(300, PEOPLE_MESSAGES.place).optional().default(''),
  }).passthrough(),
], { errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: PEOPLE_MESSAGES.kind } : { message: ctx.defaultError }) });

export const answerSchema = z.object({ answer: z.enum(['accept', 'decline', 'withdraw'], { errorMap: () => ({ message: PEOPLE_MESSAGES.answer }) }) }).passthrough();
