import type { Framework } from './framework';

/**
 * The start page from the framework: its pathways, and one name field per area the candidate names
 * at the start (as many as the most demanding pathway needs; more can be added later).
 */
export function startPresenter(framework: Framework, fixedPathway?: string) {
  const pathways = framework.pathways.filter((p) => !fixedPathway || p.id === fixedPathway);
  const sets = new Map<string, { set: string; label: string; fields: Array<{ name: string; label: string; hint: string; required: boolean }> }>();
  for (const p of pathways) {
    for (const set of p.chosen) {
      const entry = sets.get(set.set) ?? { set: set.set, label: set.label, fields: [] };
      const wanted = Math.min(set.max, Math.max(set.min, 1));
      for (let n = entry.fields.length + 1; n <= wanted; n++) {
        const needs = pathways.filter((x) => (x.chosen.find((c) => c.set === set.set)?.min ?? 0) >= n).map((x) => x.title);
        const allows = pathways.filter((x) => (x.chosen.find((c) => c.set === set.set)?.max ?? 0) >= n).map((x) => x.title);
        const hint =
          pathways.length === 1
            ? needs.length
              ? set.hint
              : `Optional. ${set.hint}`
            : needs.length === pathways.length
              ? set.hint
              : needs.length
                ? `Needed for ${needs.join(' and ')}. Leave it empty for other pathways.`
                : `Optional, for ${allows.join(' and ')}. ${set.hint}`;
        entry.fields.push({ name: `name_${set.set}_${n}`, label: wanted > 1 || n > 1 ? `${set.label} ${n}` : set.label, hint, required: needs.length === pathways.length });
      }
      sets.set(set.set, entry);
    }
  }
  return {
    frameworkTitle: framework.title,
    shortTitle: framework.shortTitle,
    fixedPathway: fixedPathway ? pathways[0] : null,
    pathways: pathways.map((p) => ({ id: p.id, title: p.title, summary: p.summary })),
    firstPathway: pathways[0]?.id ?? '',
    sets: [...sets.values()],
  };
}
