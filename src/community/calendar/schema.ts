import { z } from 'zod';
import { SESSION_KINDS } from './models';
import { whenFields } from './fields';

export const sessionSchema = z
  .object({
    kind: z.enum(SESSION_KINDS, { errorMap: () => ({ message: 'Choose what kind of session this is.' }) }),
    title: z.string().trim().min(1, 'Enter a title for the session.').max(200, 'Keep the title to 200 characters or fewer.'),
    description: z.string().trim().max(2000, 'Keep the description to 2,000 characters or fewer.').optional().default(''),
    location: z.string().trim().max(300, 'Keep the place or link to 300 characters or fewer.').optional().default(''),
    ...whenFields,
  })
  .passthrough();

/** "2026-12"; anything else is this month. */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined);
