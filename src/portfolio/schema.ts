import { z } from 'zod';

/** What the section forms and the autosave endpoints accept; anything else is a 422 with a plain message. */
const MAX_RICH_TEXT = 500_000; // a long section pasted from Word, with its markup; the body limit (body-limit.ts) is 1 MB
const version = z.coerce.number({ invalid_type_error: 'The page did not say which version it was editing.' }).int().min(0);
const format = z.enum(['html', 'text']).default('text');
const short = (label: string, max: number) => z.string().trim().max(max, `${label} must be ${max} characters or fewer.`).default('');
const richText = (label: string) =>
  z
    .string({ required_error: `${label} was missing, so nothing was saved.`, invalid_type_error: `${label} must be text.` })
    .max(MAX_RICH_TEXT, `${label} is too long to save (over ${MAX_RICH_TEXT.toLocaleString('en-GB')} characters).`);

export { objectId } from '../http/validation';

const areaName = z.string().max(120, 'Area names must be 120 characters or fewer.');

/** The start form: a pathway, and names for the areas the candidate chooses as name_<set>_<n> fields. */
export const startSchema = z
  .object({ pathway: z.string({ required_error: 'Please choose a pathway.' }).max(60).min(1, 'Please choose a pathway.') })
  .passthrough()
  .transform((v) => {
    const names: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(v)) {
      const m = /^name_([a-z0-9-]{1,40})_([1-9])$/.exec(key);
      if (!m || typeof value !== 'string') continue;
      (names[m[1]] ??= [])[Number(m[2]) - 1] = value;
    }
    for (const set of Object.keys(names)) names[set] = Array.from(names[set], (n) => n ?? '');
    return { pathway: v.pathway, names, raw: v as Record<string, unknown> };
  })
  .superRefine((v, ctx) => {
    for (const list of Object.values(v.names)) {
      for (const n of list) {
        const r = areaName.safeParse(n);
        if (!r.success) ctx.addIssue({ code: 'custom', message: r.error.issues[0].message });
      }
    }
  });

/** Adding one more area the candidate names (a second specialist area). */
export const addAreaSchema = z.object({
  set: z.string({ required_error: 'Please say which kind of area to add.' }).regex(/^[a-z0-9-]{1,40}$/, 'Please say which kind of area to add.'),
  name: areaName.trim().min(1, 'Please name the area you are adding.'),
});

/**
 * What the autosave client adds: the version of the part it edits (body or example), the text it last had
 * from the server (to merge from, if another tab saved meanwhile) and which tab it is.
 */
const partFields = {
  partVersion: version.optional(),
  base: z.record(z.string().max(MAX_RICH_TEXT)).refine((r) => Object.keys(r).length <= 10, 'Too many fields.').optional(),
  writer: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'The page sent an unreadable tab name.').optional(),
};

/** The short fields beside a section's text (the declaration's nominated assessor). */
export const fieldsSchema = z.object({ baseVersion: version }).passthrough();

export const bodySchema = z.object({ baseVersion: version, body: richText('The text'), format, ...partFields });

export const exampleSchema = z
  .object({
    baseVersion: version,
    title: short('The title', 200),
    role: short('Role', 120),
    project: short('Project', 120),
    year: short('Year', 20),
    tags: z.object({ role: short('Role', 120), project: short('Project', 120), year: short('Year', 20) }).optional(),
    description: richText('The description'),
    reflection: richText('The reflection'),
    format,
    ...partFields,
  })
  .transform((v) => ({
    baseVersion: v.baseVersion,
    format: v.format,
    partVersion: v.partVersion,
    base: v.base,
    writer: v.writer,
    example: {
      title: v.title,
      tags: v.tags ?? { role: v.role, project: v.project, year: v.year },
      description: v.description,
      reflection: v.reflection,
    },
  }));

export const versionOnlySchema = z.object({ baseVersion: version });
