import { areasOf, namesOf, pathwayOf, type Framework, type FrameworkRegistry, type Migration } from './framework';
import { Portfolio, Section, type ExampleDoc, type PortfolioDoc, type SectionDoc, type SectionState } from './models';
import { ensureSections, forgetOwnPortfolio, type PortfolioCore } from './portfolio.service';
import { textToHtml } from './rich-text';
import { contentOf } from './section.service';
import { fullSummarySet } from './section-summary';

/**
 * Moving a portfolio to a newer version of its framework by the mapping in the newer file. Nothing is
 * ever deleted: a renamed area keeps its section (its history, comments and state); text from areas
 * combined into one is appended there and the old section is kept, retired, under another area id.
 * The candidate is told what moved; progress follows from the new version, and the gradebook hears.
 */
const LEASE_MS = 5 * 60_000;

type Listener = (portfolioId: string) => void;
const listeners = new Set<Listener>();
/** The gradebook re-scores a portfolio whose areas changed under it (a migration). */
export function onPortfolioReshaped(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The next step from a version: the newest version that says how to migrate from it. */
function nextStep(registry: FrameworkRegistry, f: Framework): { to: Framework; mapping: Migration } | null {
  const candidates = registry
    .all()
    .filter((x) => x.id === f.id && x.version > f.version)
    .flatMap((x) => x.migrations.filter((m) => m.from === f.version).map((m) => ({ to: x, mapping: m })))
    .sort((a, b) => b.to.version - a.to.version);
  return candidates[0] ?? null;
}

/** Moves the portfolio as far as the mappings reach; answers the moved portfolio, or null when nothing moved. */
export async function migrateToLatest(registry: FrameworkRegistry, portfolio: PortfolioCore): Promise<PortfolioCore | null> {
  let moved: PortfolioCore | null = null;
  for (let current = portfolio; ; ) {
    const from = registry.get(current.frameworkId, current.frameworkVersion);
    const step = from && nextStep(registry, from);
    if (!from || !step || !pathwayOf(step.to, current.pathway)) return moved;
    const next = await migrateStep(current, from, step.to, step.mapping);
    if (!next) return moved;
    moved = current = next;
  }
}

export async function markMigrationSeen(portfolio: Pick<PortfolioDoc, '_id' | 'userId' | 'courseId'>): Promise<void> {
  forgetOwnPortfolio(portfolio);
  const doc = (await Portfolio.findById(portfolio._id, { migrations: 1 }).lean()) as Pick<PortfolioDoc, 'migrations'> | null;
  const last = (doc?.migrations?.length ?? 0) - 1;
  if (last >= 0) await Portfolio.updateOne({ _id: portfolio._id }, { $set: { [`migrations.${last}.seen`]: true } });
}

/** Where each earlier area's section goes. */
function targetOf(mapping: Migration, areaId: string) {
  return mapping.areas.find((a) => a.from === areaId) ?? { from: areaId, to: areaId, note: '', name: undefined };
}

const hasText = (s: Pick<SectionDoc, 'body' | 'examples'>) => (s.body ?? '').trim() !== '' || (s.examples ?? []).length > 0;

async function migrateStep(portfolio: PortfolioCore, before: Framework, after: Framework, mapping: Migration): Promise<PortfolioCore | null> {
  const now = new Date();
  // Claim: only one request moves a portfolio; a claim older than the lease (a crash) may be taken over.
  const claimed = await Portfolio.findOneAndUpdate(
    {
      _id: portfolio._id,
      frameworkVersion: before.version,
      $or: [{ migratingSince: null }, { migratingSince: { $exists: false } }, { migratingSince: { $lt: new Date(now.getTime() - LEASE_MS) } }],
    },
    { $set: { migratingSince: now } },
    { new: true },
  ).lean();
  if (!claimed) return null;
  const doc = claimed as unknown as PortfolioDoc;
  const oldAreas = areasOf(before, doc);
  const oldNames = namesOf(before, doc);
  const sections = (await Section.find({ portfolio: doc._id }).lean()) as SectionDoc[];
  const moved: string[] = [];
  const newNames = new Map<string, string>();
  for (const [areaId, name] of oldNames) {
    const to = targetOf(mapping, areaId).to;
    if (after.areas.find((a) => a.id === to)?.chosen) newNames.set(to, name);
  }
  // Group the old areas by where they go, in the old order.
  const groups = new Map<string, typeof oldAreas>();
  for (const area of oldAreas) {
    const t = targetOf(mapping, area.id);
    groups.set(t.to, [...(groups.get(t.to) ?? []), area]);
    if (t.note) moved.push(t.note);
    if (t.name && !newNames.has(t.to)) newNames.set(t.to, t.name);
  }
  for (const [to, areas] of groups) {
    const toArea = after.areas.find((a) => a.id === to)!;
    if (toArea.chosen && !newNames.has(to)) newNames.set(to, areas[0].chosenName ?? areas[0].title);
    const sources = areas.map((a) => sections.find((s) => s.areaId === a.id)).filter((s): s is SectionDoc => Boolean(s));
    let primary = sections.find((s) => s.areaId === to) ?? null;
    for (const source of sources) {
      if (source === primary) continue;
      if (!primary) {
        await Section.updateOne({ _id: source._id, areaId: source.areaId }, { $set: { areaId: to } });
        primary = { ...source, areaId: to };
        continue;
      }
      const fromTitle = areas.find((a) => a.id === source.areaId)?.displayTitle ?? source.areaId;
      if (hasText(source)) primary = await appendInto(primary, source, fromTitle);
      await Section.updateOne({ _id: source._id, areaId: source.areaId }, { $set: { areaId: `retired-v${before.version}-${source.areaId}` } });
    }
  }
  moved.push(...differences(before, after, doc, newNames));
  const names = [...newNames.entries()].map(([areaId, name]) => ({ areaId, name }));
  const firstSet = pathwayOf(after, doc.pathway)?.chosen[0]?.set;
  const done = (await Portfolio.findOneAndUpdate(
    { _id: doc._id, frameworkVersion: before.version, migratingSince: now },
    {
      $set: {
        frameworkVersion: after.version,
        areaNames: names,
        specialistAreas: names.filter((n) => after.areas.find((a) => a.id === n.areaId)?.chosen?.set === firstSet).map((n) => n.name),
        migratingSince: null,
      },
      $push: { migrations: { from: before.version, to: after.version, at: now, notice: mapping.notice, moved: [...new Set(moved)], seen: false } },
    },
    { new: true },
  ).lean()) as PortfolioDoc | null;
  forgetOwnPortfolio(doc);
  if (!done) return null;
  await ensureSections(done, after);
  for (const l of listeners) l(String(done._id));
  return done;
}

/** Appends one section's text and examples to another's, under a line naming where it came from. */
async function appendInto(primary: SectionDoc, source: SectionDoc, fromTitle: string): Promise<SectionDoc> {
  const current = ((await Section.findById(primary._id).lean()) as SectionDoc | null) ?? primary;
  const body = source.body?.trim() ? `${current.body ?? ''}${textToHtml(`Moved here from ${fromTitle}:`)}${source.body}` : current.body ?? '';
  const examples: ExampleDoc[] = [...(current.examples ?? []), ...(source.examples ?? [])];
  const state: SectionState = current.state === 'not_started' ? 'draft' : current.state === 'meets_criterion' ? 'needs_more_work' : current.state;
  const updated = (await Section.findOneAndUpdate(
    { _id: current._id, version: current.version },
    { $set: { body, examples, state, ...fullSummarySet(contentOf({ body, examples }), current.version + 1) }, $inc: { version: 1 } },
    { new: true },
  ).lean()) as SectionDoc | null;
  return updated ?? current;
}

/** What changed for the areas the candidate keeps: new titles, areas no longer assessed, new areas. */
function differences(before: Framework, after: Framework, doc: PortfolioDoc, newNames: Map<string, string>): string[] {
  const old = new Map(areasOf(before, doc).map((a) => [a.id, a]));
  const targets = new Set(before.areas.map((a) => a.id));
  const notes: string[] = [];
  for (const area of areasOf(after, { pathway: doc.pathway, areaNames: [...newNames].map(([areaId, name]) => ({ areaId, name })) })) {
    const was = old.get(area.id);
    if (!was) {
      if (!targets.has(area.id) && !area.chosen) notes.push(`New section: ${area.displayTitle}.`);
      continue;
    }
    if (was.title !== area.title) notes.push(`“${was.displayTitle}” is now called “${area.displayTitle}”.`);
    if (was.assessed && !area.assessed) notes.push(`${area.displayTitle} is no longer assessed: it is still part of your portfolio but does not count towards your progress.`);
    if (!was.assessed && area.assessed) notes.push(`${area.displayTitle} is now assessed and counts towards your progress.`);
  }
  return notes;
}

