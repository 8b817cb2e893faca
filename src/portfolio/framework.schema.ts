import { z } from 'zod';

/**
 * The shape of a framework file (config/frameworks/*.json), documented in docs/frameworks.md.
 * Everything a page, the progress rule, the gradebook or planning knows about a scheme comes from here.
 */
const text = z.string().trim().min(1);
const id = z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens');
const dimensionId = z.string().regex(/^[A-Za-z0-9-]+$/, 'must be letters, digits and hyphens');

/** Length advice: the scheme's advice (or a course's), never a limit. */
const words = z
  .object({ min: z.number().int().positive().optional(), max: z.number().int().positive().optional(), note: text })
  .refine((w) => w.min === undefined || w.max === undefined || w.min <= w.max, { message: 'min is more than max' });

/** A short field on a section beside its text (the declaration's nominated assessor). */
const field = z.object({ id, label: text, hint: z.string().default(''), maxLength: z.number().int().min(1).max(2000).default(200) });

const areaSchema = z.object({
  id,
  code: z.string().default(''),
  group: text,
  title: text,
  asks: text,
  prompts: z.array(text).min(1, 'needs at least one prompt'),
  goodEvidence: z.array(text).default([]),
  // No max means no cap: the scheme gives none.
  examples: z.object({ min: z.number().int().min(0), max: z.number().int().min(0).optional() }),
  assessed: z.boolean(),
  required: z.boolean(),
  kind: z.enum(['examples', 'plain']),
  /** An area whose topic the candidate names (a specialist area): slot n of the pathway's set. */
  chosen: z.object({ set: id, slot: z.number().int().min(1) }).optional(),
  fields: z.array(field).default([]),
  /** Examples (or the section) say which of the framework's dimensions they evidence. */
  tagged: z.boolean().default(false),
  words: words.optional(),
  /** false for a short confirmation (the declaration): no length advice, the course's included. */
  lengthAdvice: z.boolean().default(true),
  /** Words a CV line about this area's work would use (planning's CV matcher); the title alone rarely appears in a CV. */
  keywords: z.array(text).default([]),
});

const overrideSchema = z.object({
  title: text.optional(),
  asks: text.optional(),
  prompts: z.array(text).min(1).optional(),
  goodEvidence: z.array(text).optional(),
  examples: z.object({ min: z.number().int().min(0), max: z.number().int().min(1).optional() }).optional(),
});

const chosenSetSchema = z.object({
  set: id,
  label: text, // "Specialist area"
  hint: z.string().default(''),
  min: z.number().int().min(0),
  max: z.number().int().min(1),
});

const pathwaySchema = z.object({
  id,
  title: text,
  summary: text,
  areas: z.array(id).min(1),
  chosen: z.array(chosenSetSchema).default([]),
  /** Pathway-specific asks for a shared area (Senior's core areas, shown through leadership). */
  overrides: z.record(overrideSchema).default({}),
  /** Dimensions that must be evidenced somewhere: all of `all`, and at least `atLeast` of each `anyOf`. */
  requires: z
    .object({
      all: z.array(dimensionId).default([]),
      anyOf: z.array(z.object({ of: z.array(dimensionId).min(1), atLeast: z.number().int().min(1) })).default([]),
      note: z.string().default(''),
    })
    .optional(),
  words: words.optional(),
});

const migrationSchema = z.object({
  from: z.number().int().min(1),
  /** How each earlier area's text travels; an area not listed keeps its id (it must exist in this version). */
  areas: z
    .array(
      z.object({
        from: id,
        to: id,
        /** For an area moved into one the candidate names: the name it gets. */
        name: z.string().trim().max(120).optional(),
        note: text,
      }),
    )
    .default([]),
  notice: text,
});

export const frameworkSchema = z
  .object({
    id,
    version: z.number().int().min(1),
    title: text,
    shortTitle: text,
    default: z.boolean().default(false),
    source: text,
    sources: z.array(z.object({ title: text, url: z.string().url().optional(), used: text })).default([]),
    ownWording: text,
    guidance: z.object({
      words,
      examplesSuggested: z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }),
      examplesNote: z.string().default(''),
    }),
    values: z.array(z.object({ id, title: text, prompt: text })).default([]),
    dimensions: z.array(z.object({ id: dimensionId, group: text, title: text })).default([]),
    referees: z
      .object({ min: z.number().int().min(1), max: z.number().int().min(1), prompt: text, candidateSeesText: z.boolean().default(false) })
      .optional(),
    migrations: z.array(migrationSchema).default([]),
    pathways: z.array(pathwaySchema).min(1),
    areas: z.array(areaSchema).min(1),
  })
  .superRefine((f, ctx) => {
    const ids = new Set<string>();
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    f.areas.forEach((a, i) => {
      if (ids.has(a.id)) issue(['areas', i, 'id'], `"${a.id}" is used twice`);
      ids.add(a.id);
      if (a.examples.max !== undefined && a.examples.min > a.examples.max) issue(['areas', i, 'examples'], 'min is more than max');
      if (a.tagged && !f.dimensions.length) issue(['areas', i, 'tagged'], 'is set but the framework lists no dimensions');
    });
    const dims = new Set(f.dimensions.map((d) => d.id));
    f.pathways.forEach((p, i) => {
      p.areas.forEach((a, j) => {
        if (!ids.has(a)) issue(['pathways', i, 'areas', j], `names unknown area "${a}"`);
      });
      for (const areaId of Object.keys(p.overrides)) {
        if (!p.areas.includes(areaId)) issue(['pathways', i, 'overrides', areaId], `overrides "${areaId}", which the pathway does not list`);
      }
      for (const [j, set] of p.chosen.entries()) {
        const slots = f.areas.filter((a) => a.chosen?.set === set.set && p.areas.includes(a.id)).length;
        if (set.min > set.max) issue(['pathways', i, 'chosen', j], 'min is more than max');
        if (slots !== set.max) issue(['pathways', i, 'chosen', j, 'max'], `says ${set.max} but the pathway lists ${slots} "${set.set}" area(s)`);
      }
      for (const a of p.areas) {
        const set = f.areas.find((x) => x.id === a)?.chosen?.set;
        if (set && !p.chosen.some((c) => c.set === set)) issue(['pathways', i, 'chosen'], `lists area "${a}" of set "${set}" but does not describe that set`);
      }
      const named = [...(p.requires?.all ?? []), ...(p.requires?.anyOf ?? []).flatMap((x) => x.of)];
      for (const d of named) if (!dims.has(d)) issue(['pathways', i, 'requires'], `names unknown dimension "${d}"`);
    });
    f.migrations.forEach((m, i) => {
      if (m.from >= f.version) issue(['migrations', i, 'from'], `must be an earlier version than ${f.version}`);
      m.areas.forEach((a, j) => {
        if (!ids.has(a.to)) issue(['migrations', i, 'areas', j, 'to'], `names unknown area "${a.to}"`);
      });
    });
    if (f.guidance.examplesSuggested.min > f.guidance.examplesSuggested.max) issue(['guidance', 'examplesSuggested'], 'min is more than max');
  });

export type Framework = z.infer<typeof frameworkSchema>;
export type FrameworkArea = z.infer<typeof areaSchema>;
export type Pathway = z.infer<typeof pathwaySchema>;
export type ChosenSet = z.infer<typeof chosenSetSchema>;
export type WordAdvice = z.infer<typeof words>;
export type Migration = z.infer<typeof migrationSchema>;
