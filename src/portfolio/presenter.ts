import { when } from '../http/dates';
import { openSlots, wordAdviceFor, wordRange, type Framework, type PortfolioArea, type WordAdvice } from './framework';
import { HintExample, reflectionShare, sectionHints, sectionWords } from './hints';
import type { PortfolioDoc, SectionDoc, SectionRevisionDoc } from './models';
import { computeProgress, Progress } from './progress';
import { RevisionSummary } from './revisions';
import { htmlToText, wordCount } from './rich-text';
import { contentOf, Conflict, SectionContent } from './section.service';
import { STATE_LABELS } from './section-states';
import { computedFigures, type SectionFigures } from './section-summary';

/**
 * Plain objects for templates. Rich text reaches a page only through fields named `safeHtml`
 * (sanitised on the way in); everything else is escaped by `<%=`.
 */
export const formatTime = when; // the one page format (http/dates)

const hintExamples = (c: SectionContent): HintExample[] =>
  c.examples.map((e) => ({ _id: e._id, title: e.title, description: e.description, reflection: e.reflection, tags: e.tags }));

export function progressOf(areas: PortfolioArea[], sections: Array<Pick<SectionDoc, 'areaId' | 'state'>>): Progress {
  return computeProgress(areas, sections.map((s) => ({ areaId: s.areaId, state: s.state })));
}

type OverviewSection = Pick<SectionDoc, '_id' | 'areaId' | 'state' | 'version' | 'updatedAt'> & Partial<Pick<SectionDoc, 'body' | 'examples'>>;

/**
 * `figures` (words, examples) by section id come from the sections' stored summaries (loadOverview);
 * a section without them is counted from its content, as it always was.
 */
/** "2–3", "2 or more", "at least one": the scheme's expectation, never a cap. */
export function examplesExpected(e: { min: number; max?: number }): string {
  if (e.max !== undefined) return `${e.min}–${e.max}`;
  return e.min <= 1 ? 'at least one' : `${e.min} or more`;
}

export function overviewPresenter(input: {
  portfolio: Pick<PortfolioDoc, 'pathway'> & Partial<Pick<PortfolioDoc, 'areaNames' | 'specialistAreas' | 'migrations'>>;
  framework: Framework;
  areas: PortfolioArea[];
  sections: OverviewSection[];
  figures?: Map<string, SectionFigures>;
}) {
  const progress = progressOf(input.areas, input.sections);
  const pathway = input.framework.pathways.find((p) => p.id === input.portfolio.pathway)!;
  const rows = input.areas.map((area) => {
    const section = input.sections.find((s) => s.areaId === area.id)!;
    const figures = input.figures?.get(String(section._id)) ?? computedFigures({ body: section.body ?? '', examples: section.examples ?? [] });
    return {
      id: String(section._id),
      areaId: area.id,
      title: area.displayTitle,
      group: area.group,
      assessed: area.assessed,
      kind: area.kind,
      state: section.state,
      stateLabel: STATE_LABELS[section.state],
      words: figures.words,
      examples: figures.examples,
      examplesExpected: area.kind === 'examples' ? examplesExpected(area.examples) : '',
      updated: section.version > 0 ? formatTime(section.updatedAt) : '',
    };
  });
  const nextRow = progress.next.areaId ? rows.find((r) => r.areaId === progress.next.areaId) : undefined;
  return {
    pathwayTitle: pathway.title,
    frameworkTitle: input.framework.title,
    frameworkVersion: input.framework.version,
    rows,
    progress,
    progressText: `${progress.meeting} of ${progress.required} assessed sections meet the criterion; ${progress.readyForReview} ready for review; ${progress.drafted} in draft; ${progress.notStarted} not started.`,
    next: { message: progress.next.message, sectionId: nextRow?.id, ready: progress.next.kind === 'done' },
    // A second or third specialist area the candidate may still add.
    canAdd: openSlots(input.framework, input.portfolio).map((s) => ({ set: s.set, label: s.label, hint: s.hint })),
    migration: migrationNotice(input.portfolio.migrations),
    hasDimensions: input.framework.dimensions.length > 0,
    hasReferees: Boolean(input.framework.referees),
  };
}

/** The latest move to a newer framework version, until the candidate has read it. */
function migrationNotice(migrations: PortfolioDoc['migrations'] | undefined) {
  const last = migrations?.length ? migrations[migrations.length - 1] : undefined;
  if (!last || last.seen) return null;
  return { from: last.from, to: last.to, notice: last.notice ?? '', moved: last.moved ?? [] };
}

function examplePresenter(e: SectionContent['examples'][number], index: number) {
  const share = reflectionShare(e);
  return {
    id: e._id,
    number: index + 1,
    title: e.title,
    tags: e.tags,
    evidenceCount: e.evidenceIds.length,
    description: { safeHtml: e.description, text: htmlToText(e.description) },
    reflection: { safeHtml: e.reflection, text: htmlToText(e.reflection) },
    words: wordCount(e.description) + wordCount(e.reflection),
    reflectionPercent: share === null ? null : Math.round(share * 100),
    version: e.version ?? 0,
  };
}

export function sectionPresenter(input: {
  framework: Framework;
  area: PortfolioArea;
  section: SectionDoc;
  allSections: SectionDoc[];
  pathwayId?: string;
  /** The course coordinator's length advice, if they set one. */
  courseAdvice?: WordAdvice | null;
}) {
  const { framework, area, section } = input;
  const c = contentOf(section);
  const advice = wordAdviceFor(framework, input.pathwayId ?? '', area, input.courseAdvice);
  const fieldValues = new Map(((section as { fields?: Array<{ id: string; value: string }> }).fields ?? []).map((f) => [f.id, f.value]));
  const all = input.allSections.flatMap((s) => hintExamples(contentOf(s)));
  return {
    id: String(section._id),
    areaId: area.id,
    title: area.displayTitle,
    group: area.group,
    kind: area.kind,
    assessed: area.assessed,
    tagged: area.tagged,
    guidance: {
      asks: area.asks,
      prompts: area.prompts,
      goodEvidence: area.goodEvidence,
      examples: area.examples,
      examplesExpected: examplesExpected(area.examples),
      examplesNote: framework.guidance.examplesNote,
      words: wordRange(advice),
      wordsNote: advice.note,
      wordsFrom: advice.from, // 'course' when the coordinator set it
      // The scheme's values, for areas with examples: what assessors look for running through them.
      values: area.kind === 'examples' ? framework.values.map((v) => ({ title: v.title, prompt: v.prompt })) : [],
    },
    fields: area.fields.map((f) => ({ ...f, value: fieldValues.get(f.id) ?? '' })),
    state: section.state,
    stateLabel: STATE_LABELS[section.state],
    canRequestReview: section.state === 'draft' || section.state === 'needs_more_work',
    canWithdraw: section.state === 'ready_for_review',
    version: section.version,
    bodyVersion: c.bodyVersion,
    changedSinceApproval: section.approvedChangedAt ? formatTime(section.approvedChangedAt) : '',
    updated: section.version > 0 ? formatTime(section.updatedAt) : '',
    body: { safeHtml: c.body, text: htmlToText(c.body) },
    words: sectionWords({ body: c.body, examples: hintExamples(c) }),
    examples: c.examples.map(examplePresenter),
    hints: sectionHints(framework, area, { body: c.body, examples: hintExamples(c) }, all, advice),
  };
}

export function conflictPresenter(input: { area: PortfolioArea; sectionId: string; conflict: Conflict; exampleId?: string }) {
  const { theirs, yours } = input.conflict;
  const side = (c: SectionContent) => ({
    body: { safeHtml: c.body, text: htmlToText(c.body) },
    example: input.exampleId
      ? (() => {
          const i = c.examples.findIndex((e) => e._id === input.exampleId);
          return i >= 0 ? examplePresenter(c.examples[i], i) : null;
        })()
      : null,
    examples: c.examples.map(examplePresenter),
  });
  return {
    sectionId: input.sectionId,
    title: input.area.displayTitle,
    exampleId: input.exampleId ?? null,
    theirsVersion: theirs.version,
    theirsUpdated: formatTime(theirs.updatedAt),
    theirs: side(theirs),
    yours: side(yours),
  };
}

export function revisionsPresenter(area: PortfolioArea, section: SectionDoc, revisions: RevisionSummary[], names: Map<string, string>) {
  return {
    sectionId: String(section._id),
    title: area.displayTitle,
    version: section.version,
    revisions: revisions.map((r, i) => ({
      id: r.id,
      version: r.version,
      current: i === 0 && (r.open || r.version === section.version),
      by: names.get(r.byUser) ?? 'Someone else',
      when: formatTime(r.updatedAt),
      restoredFrom: r.restoredFrom,
      // People know copies by when they were saved, not by an internal number.
      restoredFromWhen: r.restoredFrom === null ? '' : (() => { const from = revisions.find((x) => x.version === r.restoredFrom); return from ? formatTime(from.updatedAt) : 'an earlier copy'; })(),
    })),
  };
}

export function revisionPresenter(area: PortfolioArea, section: SectionDoc, revision: SectionRevisionDoc & { open?: boolean }) {
  const c = contentOf(revision.snapshot as Pick<SectionDoc, 'body' | 'examples'>);
  return {
    sectionId: String(section._id),
    title: area.displayTitle,
    id: String(revision._id),
    version: revision.version,
    current: Boolean(revision.open) || revision.version === section.version,
    sectionVersion: section.version,
    when: formatTime(revision.updatedAt),
    body: { safeHtml: c.body },
    examples: c.examples.map(examplePresenter),
  };
}

/** A portfolio's progress as the sentence and bar the mentoring and cohort pages show. */
export function progressPresenter(progress: Progress | null) {
  if (!progress) return { started: false, percentage: 0, text: 'Not started: no portfolio yet.' };
  return {
    started: true,
    percentage: progress.percentage,
    text: `${progress.meeting} of ${progress.required} meet the criterion; ${progress.readyForReview} ready for review; ${progress.needsMoreWork} need more work.`,
  };
}
