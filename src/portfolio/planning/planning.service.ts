import { Types } from 'mongoose';
import { AppError, conflict, notFound } from '../../http/errors';
import { addNoteEvidence } from '../evidence';
import { Evidence } from '../evidence/evidence.model';
import { frameworks, areasOf, PortfolioArea } from '../framework';
import { courseScheme } from '../course-scheme';
import { PortfolioDoc, Section } from '../models';
import { findPortfolio, loadPortfolio } from '../portfolio.service';
import { addExample, contentOf } from '../section.service';
import { CvSource } from './cv-text';
import { Plan, PlanDoc, PlanningNoteDoc } from './plan.model';
import { profileCv } from './profile-cv';
import { NoteInput } from './planning.schema';

/** The candidate whose plan this is: always from the validated launch. */
export interface Owner {
  courseId: string;
  userId: string;
}

export const DRAFT_MESSAGES = {
  noPortfolio: 'Choose your pathway on your portfolio page first; then you can turn notes into examples.',
  alreadyDrafted: 'You have already turned this note into an example.',
  busy: 'Someone is turning this note into an example at this moment. Wait a minute, then check your section.',
  noSection: 'That area is not part of your portfolio’s pathway.',
  tooMany: 'You have 20 notes for this area already. Remove one you no longer need first.',
};

const NOTES_PER_AREA = 20;
const CLAIM_MS = 2 * 60_000;
const ownedBy = (owner: Owner) => ({ courseId: owner.courseId, ownerId: owner.userId });

export async function getPlan(owner: Owner): Promise<PlanDoc | null> {
  return (await Plan.findOne(ownedBy(owner)).lean()) as PlanDoc | null;
}

/** The plan as its pages show it: with no CV of its own, the CV from the person's profile (not copied, so it stays current). */
export async function planForPages(owner: Owner): Promise<(PlanDoc & { cvFromProfile?: boolean }) | null> {
  const plan = await getPlan(owner);
  if (plan?.cvText) return plan;
  const cv = await profileCv(owner.userId);
  if (!cv) return plan;
  const base = plan ?? ({ courseId: owner.courseId, ownerId: owner.userId, notes: [] } as unknown as PlanDoc);
  return { ...base, cvText: cv.cvText, cvSource: 'pasted', cvFilename: '', cvUpdatedAt: cv.updatedAt, cvFromProfile: true };
}

/** The areas a candidate can plan: their portfolio's pathway, or before they choose, the course's (else the first) pathway. */
export async function planningAreas(owner: Owner): Promise<{ portfolio: PortfolioDoc | null; areas: PortfolioArea[] }> {
  const portfolio = await findPortfolio(owner);
  const scheme = portfolio ? null : await courseScheme(frameworks(), owner.courseId);
  const framework = portfolio ? frameworks().get(portfolio.frameworkId, portfolio.frameworkVersion) : scheme!.framework;
  if (!framework) return { portfolio, areas: [] };
  const areas = portfolio ? areasOf(framework, portfolio) : areasOf(framework, { pathway: scheme!.pathwayId ?? framework.pathways[0].id }, { unnamedRequired: true });
  return { portfolio, areas: areas.filter((a) => a.kind === 'examples') };
}

export interface AreaPlan {
  plan: PlanDoc | null;
  area: PortfolioArea;
  sectionId: string | undefined; // the area's section, once the portfolio exists
}

/** Everything the area's planning page shows; an area outside the candidate's pathway is not found. */
export async function loadAreaPlan(owner: Owner, areaId: string): Promise<AreaPlan> {
  const { portfolio, areas } = await planningAreas(owner);
  const area = areas.find((a) => a.id === areaId);
  if (!area) throw notFound('That area is not part of your plan. Choose one from the list.');
  const [plan, section] = await Promise.all([planForPages(owner), portfolio ? Section.findOne({ portfolio: portfolio._id, areaId }, { _id: 1 }).lean() : null]);
  return { plan, area, sectionId: section ? String(section._id) : undefined };
}

export async function saveCv(owner: Owner, cv: { text: string; source: CvSource; filename?: string }): Promise<void> {
  await Plan.updateOne(
    ownedBy(owner),
    { $set: { cvText: cv.text, cvSource: cv.source, cvFilename: cv.filename ?? '', cvUpdatedAt: new Date() }, $setOnInsert: ownedBy(owner) },
    { upsert: true },
  ).exec();
}

export async function addNote(owner: Owner, areaId: string, input: NoteInput): Promise<string> {
  const _id = new Types.ObjectId();
  await Plan.updateOne(ownedBy(owner), { $setOnInsert: ownedBy(owner) }, { upsert: true }).exec();
  const plan = await getPlan(owner);
  if ((plan?.notes ?? []).filter((n) => n.areaId === areaId).length >= NOTES_PER_AREA) throw new AppError(422, 'too_many_notes', DRAFT_MESSAGES.tooMany);
  await Plan.updateOne(ownedBy(owner), { $push: { notes: { _id, areaId, ...input } } }).exec();
  return String(_id);
}

export function findNote(plan: PlanDoc | null, noteId: string): PlanningNoteDoc | undefined {
  return plan?.notes.find((n) => String(n._id) === noteId);
}

export async function updateNote(owner: Owner, noteId: string, input: NoteInput): Promise<void> {
  const set = Object.fromEntries(Object.entries(input).map(([k, v]) => [`notes.$.${k}`, v]));
  const result = await Plan.updateOne({ ...ownedBy(owner), 'notes._id': new Types.ObjectId(noteId) }, { $set: set }).exec();
  if (result.matchedCount === 0) throw notFound('We could not find that note. It may have been removed.');
}

export async function removeNote(owner: Owner, noteId: string): Promise<void> {
  await Plan.updateOne(ownedBy(owner), { $pull: { notes: { _id: new Types.ObjectId(noteId) } } }).exec();
}

/** A name for the drafted example: the note's own title, else the start of what they did. */
export function exampleTitleFor(note: Pick<PlanningNoteDoc, 'title' | 'did'>, area: PortfolioArea): string {
  if (note.title?.trim()) return note.title.trim();
  const firstLine = (note.did ?? '').split('\n')[0].trim();
  if (!firstLine) return `An example for ${area.displayTitle}`;
  if (firstLine.length <= 80) return firstLine;
  return `${firstLine.slice(0, 80).replace(/\s+\S*$/, '')}…`;
}

export interface Drafted {
  sectionId: string;
  exampleId: string;
  evidenceId: string | null;
  title: string;
}

/**
 * One action: a planning note becomes a drafted example in its area (title, description = what they
 * did, reflection = what they learned) and its proof note becomes a note in the evidence library,
 * linked to the example. The note is claimed first so a double click drafts once.
 */
export async function draftExampleFromNote(owner: Owner, noteId: string): Promise<Drafted> {
  const { portfolio, areas } = await planningAreas(owner);
  if (!portfolio) throw new AppError(409, 'no_portfolio', DRAFT_MESSAGES.noPortfolio);
  const plan = await getPlan(owner);
  const note = findNote(plan, noteId);
  if (!note) throw notFound('We could not find that note. It may have been removed.');
  if (note.draftedAt) throw conflict(DRAFT_MESSAGES.alreadyDrafted);
  const area = areas.find((a) => a.id === note.areaId);
  if (!area) throw new AppError(422, 'no_section', DRAFT_MESSAGES.noSection);

  const now = new Date();
  const claimed = await Plan.updateOne(
    { ...ownedBy(owner), notes: { $elemMatch: { _id: note._id, draftedAt: null, $or: [{ draftingSince: null }, { draftingSince: { $lt: new Date(now.getTime() - CLAIM_MS) } }] } } },
    { $set: { 'notes.$.draftingSince': now } },
  ).exec();
  if (claimed.modifiedCount === 0) throw conflict(DRAFT_MESSAGES.busy);

  let evidenceId: string | null = null;
  try {
    const title = exampleTitleFor(note, area);
    if (note.proof?.trim()) {
      const proof = await addNoteEvidence(owner, {
        title: `How I could prove it: ${title}`.slice(0, 200),
        date: '',
        description: `From your planning notes for ${area.displayTitle}.`,
        tags: ['planning'],
        text: note.proof,
      });
      evidenceId = String(proof._id);
    }
    const placed = await appendExample(portfolio, area.id, {
      title,
      tags: { role: '', project: '', year: '' },
      description: note.did ?? '',
      reflection: note.learned ?? '',
      evidenceIds: evidenceId ? [evidenceId] : [],
    }, owner.userId);
    await Plan.updateOne(
      { ...ownedBy(owner), 'notes._id': note._id },
      { $set: { 'notes.$.draftedAt': new Date(), 'notes.$.draftedExampleId': placed.exampleId, 'notes.$.draftedEvidenceId': evidenceId, 'notes.$.draftingSince': null } },
    ).exec();
    return { ...placed, evidenceId, title };
  } catch (err) {
    // Undo the half-done work so the note can be drafted again.
    if (evidenceId) await Evidence.deleteOne({ _id: evidenceId, ...ownedBy(owner) }).exec();
    await Plan.updateOne({ ...ownedBy(owner), 'notes._id': note._id }, { $set: { 'notes.$.draftingSince': null } }).exec();
    throw err;
  }
}

/** Appends through the section service; a save elsewhere in between means read the new version and append again. */
async function appendExample(portfolio: PortfolioDoc, areaId: string, example: Parameters<typeof addExample>[1]['example'], byUser: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { sections } = await loadPortfolio(frameworks(), portfolio);
    const section = sections.find((s) => s.areaId === areaId);
    if (!section) throw new AppError(422, 'no_section', DRAFT_MESSAGES.noSection);
    const before = new Set(contentOf(section).examples.map((e) => e._id));
    const result = await addExample({ portfolioId: portfolio._id, sectionId: String(section._id), byUser }, { baseVersion: section.version, example, format: 'text' });
    if (result.ok) {
      const added = contentOf(result.section).examples.find((e) => !before.has(e._id));
      return { sectionId: String(section._id), exampleId: added ? added._id : '' };
    }
  }
  throw conflict('Your section is being saved elsewhere at the moment. Please try again.');
}
