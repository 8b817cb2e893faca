import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** A framework (CMALT first) is data in config/frameworks/*.json; adding one needs only a new file. */
const text = z.string().trim().min(1);

const areaSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'),
  code: z.string().default(''),
  group: text,
  title: text,
  asks: text,
  prompts: z.array(text).min(1, 'needs at least one prompt'),
  goodEvidence: z.array(text),
  examples: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }),
  assessed: z.boolean(),
  required: z.boolean(),
  kind: z.enum(['examples', 'plain']),
  specialistSlot: z.number().int().min(1).optional(),
});

const pathwaySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: text,
  summary: text,
  specialistAreas: z.number().int().min(0),
  areas: z.array(z.string()).min(1),
});

const frameworkSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    version: z.number().int().min(1),
    title: text,
    source: text,
    guidance: z.object({
      wordsMin: z.number().int().positive(),
      wordsMax: z.number().int().positive(),
      wordsNote: text,
      examplesSuggested: z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }),
    }),
    pathways: z.array(pathwaySchema).min(1),
    areas: z.array(areaSchema).min(1),
  })
  .superRefine((f, ctx) => {
    const ids = new Set<string>();
    f.areas.forEach((a, i) => {
      if (ids.has(a.id)) ctx.addIssue({ code: 'custom', path: ['areas', i, 'id'], message: `"${a.id}" is used twice` });
      ids.add(a.id);
      if (a.examples.min > a.examples.max) {
        ctx.addIssue({ code: 'custom', path: ['areas', i, 'examples'], message: 'min is more than max' });
      }
    });
    if (f.guidance.wordsMin > f.guidance.wordsMax) {
      ctx.addIssue({ code: 'custom', path: ['guidance'], message: 'wordsMin is more than wordsMax' });
    }
    f.pathways.forEach((p, i) => {
      p.areas.forEach((id, j) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['pathways', i, 'areas', j], message: `names unknown area "${id}"` });
      });
      const slots = f.areas.filter((a) => a.specialistSlot && p.areas.includes(a.id)).length;
      if (slots !== p.specialistAreas) {
        ctx.addIssue({
          code: 'custom',
          path: ['pathways', i, 'specialistAreas'],
          message: `says ${p.specialistAreas} but the pathway lists ${slots} specialist area(s)`,
        });
      }
    });
  });

export type Framework = z.infer<typeof frameworkSchema>;
export type FrameworkArea = z.infer<typeof areaSchema>;
export type Pathway = z.infer<typeof pathwaySchema>;

export class FrameworkError extends Error {
  constructor(readonly problems: string[]) {
    super(`The framework files have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface FrameworkRegistry {
  all(): Framework[];
  get(id: string, version: number): Framework | undefined;
  latest(id: string): Framework | undefined;
}

/** Reads and validates every *.json in dir; throws one FrameworkError listing every problem in every file. */
export function loadFrameworks(dir: string): FrameworkRegistry {
  const problems: string[] = [];
  const frameworks: Framework[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) problems.push(`${dir} holds no framework files`);
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      problems.push(`${file}: is not valid JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = frameworkSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}: ${issue.path.join('.') || '(top)'} ${issue.message}`);
      continue;
    }
    const key = `${parsed.data.id}@${parsed.data.version}`;
    if (frameworks.some((f) => `${f.id}@${f.version}` === key)) problems.push(`${file}: ${key} is defined twice`);
    frameworks.push(parsed.data);
  }
  if (problems.length) throw new FrameworkError(problems);
  return registryOf(frameworks);
}

function registryOf(frameworks: Framework[]): FrameworkRegistry {
  return {
    all: () => frameworks.slice(),
    get: (id, version) => frameworks.find((f) => f.id === id && f.version === version),
    latest: (id) =>
      frameworks.filter((f) => f.id === id).sort((a, b) => b.version - a.version)[0],
  };
}

let defaultRegistry: FrameworkRegistry | undefined;

/** The frameworks in config/frameworks, loaded (and validated) once per process. */
export function frameworks(): FrameworkRegistry {
  defaultRegistry ??= loadFrameworks(frameworksDir());
  return defaultRegistry;
}

function frameworksDir(): string {
  // src/portfolio -> repo root; from dist/src/portfolio one more level up.
  const fromSrc = path.resolve(__dirname, '../../config/frameworks');
  const fromDist = path.resolve(__dirname, '../../../config/frameworks');
  try {
    readdirSync(fromSrc);
    return fromSrc;
  } catch {
    return fromDist;
  }
}

/** A framework by id and version: a portfolio keeps the version it began with. */
export function getFramework(id: string, version: number): Framework {
  const f = frameworks().get(id, version);
  if (!f) throw new Error(`Framework ${id}@${version} is not in config/frameworks`);
  return f;
}

/** One area as a candidate sees it: specialist areas take the name the candidate gave them. */
export interface PortfolioArea extends FrameworkArea {
  displayTitle: string;
}

export function pathwayOf(framework: Framework, pathwayId: string): Pathway | undefined {
  return framework.pathways.find((p) => p.id === pathwayId);
}

export function areasFor(framework: Framework, pathwayId: string, specialistNames: string[] = []): PortfolioArea[] {
  const pathway = pathwayOf(framework, pathwayId);
  if (!pathway) return [];
  return pathway.areas.map((id) => {
    const area = framework.areas.find((a) => a.id === id)!;
    const name = area.specialistSlot ? specialistNames[area.specialistSlot - 1] : undefined;
    const code = area.code ? `${area.code} ` : '';
    return { ...area, displayTitle: name ? `${code}${area.title}: ${name}` : `${code}${area.title}` };
  });
}
