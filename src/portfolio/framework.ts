import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { frameworkSchema, type ChosenSet, type Framework, type FrameworkArea, type Pathway, type WordAdvice } from './framework.schema';

export type { Framework, FrameworkArea, Pathway, ChosenSet, WordAdvice, Migration } from './framework.schema';

/** A framework is data in config/frameworks/*.json (format: docs/frameworks.md); adding one needs only a new file. */
export class FrameworkError extends Error {
  constructor(readonly problems: string[]) {
    super(`The framework files have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface FrameworkRegistry {
  all(): Framework[];
  /** The framework a course uses when deep linking named none: the one marked default, else the first. */
  defaultFramework(): Framework;
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
  problems.push(...migrationProblems(frameworks));
  if (problems.length) throw new FrameworkError(problems);
  return registryOf(frameworks);
}

function registryOf(frameworks: Framework[]): FrameworkRegistry {
  return {
    all: () => frameworks.slice(),
    get: (id, version) => frameworks.find((f) => f.id === id && f.version === version),
    latest: (id) => latestOf(frameworks, id),
    defaultFramework: () => latestOf(frameworks, (frameworks.find((f) => f.default) ?? frameworks[0]).id)!,
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

const latestOf = (all: Framework[], id: string) => all.filter((f) => f.id === id).sort((a, b) => b.version - a.version)[0];

/** Every area of an earlier version must have somewhere to go, or a migration would drop a candidate's text. */
function migrationProblems(all: Framework[]): string[] {
  const problems: string[] = [];
  for (const f of all) {
    for (const m of f.migrations) {
      const before = all.find((x) => x.id === f.id && x.version === m.from);
      if (!before) {
        problems.push(`${f.id}@${f.version}: migrations from version ${m.from}, which is not in config/frameworks`);
        continue;
      }
      const ids = new Set(f.areas.map((a) => a.id));
      for (const p of before.pathways) {
        if (!f.pathways.some((x) => x.id === p.id)) problems.push(`${f.id}@${f.version}: migration from version ${m.from} has no pathway "${p.id}"`);
      }
      for (const a of before.areas) {
        if (!m.areas.some((x) => x.from === a.id) && !ids.has(a.id)) {
          problems.push(`${f.id}@${f.version}: migration from version ${m.from} gives area "${a.id}" nowhere to go`);
        }
      }
    }
  }
  return problems;
}

/** One area as a candidate sees it: areas the candidate names take that name; the pathway's own asks apply. */
export interface PortfolioArea extends FrameworkArea {
  displayTitle: string;
  /** The name the candidate gave an area they chose (a specialist area), if any. */
  chosenName?: string;
}

export function pathwayOf(framework: Framework, pathwayId: string): Pathway | undefined {
  return framework.pathways.find((p) => p.id === pathwayId);
}

/** What a portfolio says about its areas: its pathway and the names it gave the areas it chose. */
export interface AreaChoices {
  pathway: string;
  areaNames?: Array<{ areaId: string; name: string }> | null;
  /** Portfolios begun before areaNames: names of the first chosen set's areas, in order. */
  specialistAreas?: string[] | null;
}

/** The candidate's names by area id, reading the older list form too. */
export function namesOf(framework: Framework, choices: AreaChoices): Map<string, string> {
  const names = new Map((choices.areaNames ?? []).map((n) => [n.areaId, n.name]));
  const legacy = choices.specialistAreas ?? [];
  const pathway = pathwayOf(framework, choices.pathway);
  if (!names.size && legacy.length && pathway?.chosen[0]) {
    const set = pathway.chosen[0].set;
    const slots = pathway.areas.map((id) => framework.areas.find((a) => a.id === id)!).filter((a) => a.chosen?.set === set);
    legacy.forEach((name, i) => {
      const slot = slots.find((a) => a.chosen!.slot === i + 1);
      if (slot && name.trim()) names.set(slot.id, name.trim());
    });
  }
  return names;
}

/** The areas of a portfolio, in the pathway's order; an area the candidate chooses is there once named. */
export function areasOf(framework: Framework, choices: AreaChoices, options: { unnamedRequired?: boolean } = {}): PortfolioArea[] {
  const pathway = pathwayOf(framework, choices.pathway);
  if (!pathway) return [];
  const names = namesOf(framework, choices);
  // Before a portfolio exists (planning), the areas every candidate of the pathway will name are shown unnamed.
  const required = (a: FrameworkArea) => options.unnamedRequired && a.chosen && a.chosen.slot <= (pathway.chosen.find((c) => c.set === a.chosen!.set)?.min ?? 0);
  return pathway.areas.flatMap((id) => {
    const base = framework.areas.find((a) => a.id === id)!;
    const area: FrameworkArea = { ...base, ...pathway.overrides[id] };
    const name = names.get(id);
    if (area.chosen && !name && !required(area)) return [];
    const code = area.code ? `${area.code} ` : '';
    return [{ ...area, chosenName: name, displayTitle: name ? `${code}${area.title}: ${name}` : `${code}${area.title}` }];
  });
}

/** Older call shape: names listed in slot order for the pathway's first chosen set. */
export function areasFor(framework: Framework, pathwayId: string, specialistNames: string[] = []): PortfolioArea[] {
  return areasOf(framework, { pathway: pathwayId, specialistAreas: specialistNames });
}

/** The areas a candidate may still add to a pathway (a second or third specialist area), per set. */
export function openSlots(framework: Framework, choices: AreaChoices): Array<ChosenSet & { areaId: string; count: number }> {
  const pathway = pathwayOf(framework, choices.pathway);
  if (!pathway) return [];
  const names = namesOf(framework, choices);
  return pathway.chosen.flatMap((set) => {
    const slots = pathway.areas
      .map((id) => framework.areas.find((a) => a.id === id)!)
      .filter((a) => a.chosen?.set === set.set)
      .sort((a, b) => a.chosen!.slot - b.chosen!.slot);
    const free = slots.find((a) => !names.has(a.id));
    const count = slots.filter((a) => names.has(a.id)).length;
    return free ? [{ ...set, areaId: free.id, count }] : [];
  });
}

/** The length advice that applies: the course's (its coordinator's), else the area's, the pathway's, the scheme's. */
export function wordAdviceFor(
  framework: Framework,
  pathwayId: string,
  area: (Pick<FrameworkArea, 'words'> & { lengthAdvice?: boolean }) | null,
  course?: WordAdvice | null,
): WordAdvice & { from: 'course' | 'scheme' } {
  if (area?.lengthAdvice === false) return { note: '', from: 'scheme' };
  if (course) return { ...course, from: 'course' };
  const advice = area?.words ?? pathwayOf(framework, pathwayId)?.words ?? framework.guidance.words;
  return { ...advice, from: 'scheme' };
}

/** "250–600", "about 3,000", "up to 500", or "" when the scheme gives no figure. */
export function wordRange(w: Pick<WordAdvice, 'min' | 'max'>): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  if (w.min !== undefined && w.max !== undefined) return w.min === w.max ? `about ${n(w.min)}` : `${n(w.min)}–${n(w.max)}`;
  if (w.max !== undefined) return `up to ${n(w.max)}`;
  if (w.min !== undefined) return `at least ${n(w.min)}`;
  return '';
}
