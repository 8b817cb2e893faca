import type { Framework, PortfolioArea } from './framework';
import { pathwayOf } from './framework';
import type { SectionDoc } from './models';

/**
 * Which of the framework's dimensions a portfolio evidences, where, and what its pathway still needs
 * (PSF 2023: a Fellow needs all of A1–A5, K1–K5 and V1–V5). Pure: computed from tags on examples.
 */
export interface CoverageDimension {
  id: string;
  title: string;
  need: 'required' | 'choice' | 'optional';
  where: Array<{ sectionId: string; area: string; example: string }>;
}

export interface Coverage {
  requirementNote: string;
  groups: Array<{ group: string; dimensions: CoverageDimension[] }>;
  missing: string[]; // plain sentences, one per gap
  complete: boolean;
}

export function coverageOf(framework: Framework, pathwayId: string, areas: PortfolioArea[], sections: Array<Pick<SectionDoc, '_id' | 'areaId' | 'examples'>>): Coverage {
  const requires = pathwayOf(framework, pathwayId)?.requires;
  const all = new Set(requires?.all ?? []);
  const choice = new Set((requires?.anyOf ?? []).flatMap((x) => x.of));
  const tagged = new Set(areas.filter((a) => a.tagged).map((a) => a.id));
  const where = new Map<string, CoverageDimension['where']>();
  for (const s of sections) {
    if (!tagged.has(s.areaId)) continue;
    const area = areas.find((a) => a.id === s.areaId)!;
    s.examples.forEach((e, i) => {
      for (const d of e.dimensions ?? []) where.set(d, [...(where.get(d) ?? []), { sectionId: String(s._id), area: area.displayTitle, example: e.title || `Part ${i + 1}` }]);
    });
  }
  const dims = framework.dimensions.map((d) => ({
    id: d.id,
    title: d.title,
    group: d.group,
    need: (all.has(d.id) ? 'required' : choice.has(d.id) ? 'choice' : 'optional') as CoverageDimension['need'],
    where: where.get(d.id) ?? [],
  }));
  const missing: string[] = [];
  for (const d of dims) if (d.need === 'required' && !d.where.length) missing.push(`${d.id} ${d.title}: not yet evidenced.`);
  for (const group of requires?.anyOf ?? []) {
    const have = group.of.filter((id) => where.has(id)).length;
    if (have < group.atLeast) missing.push(`At least ${group.atLeast} of ${group.of.join(', ')}: ${have} evidenced so far.`);
  }
  const groups = [...new Set(dims.map((d) => d.group))].map((group) => ({
    group,
    dimensions: dims.filter((d) => d.group === group).map(({ group: _g, ...d }) => d),
  }));
  return { requirementNote: requires?.note ?? '', groups, missing, complete: missing.length === 0 };
}
