import { AppError, conflict, notFound } from '../http/errors';
import { evidenceOfPerson } from '../portfolio';
import type { MandatoryTraining } from './mandatory.service';
import { CpdEntry, CpdRecord, CpdTarget, EntryDoc, TargetDoc } from './models';
import type { EntryInput, TargetInput } from './schema';

/** Activities and targets: plain data in and out; the owner is always the person from the validated launch. */

export const ENTRY_MESSAGES = {
  notFound: 'We could not find that activity in your CPD record.',
  targetNotFound: 'We could not find that target in your CPD record.',
  notYourTarget: 'One of the chosen targets is not in your CPD record. Choose targets from the list on the page.',
  notYourEvidence: 'One of the chosen pieces of evidence is not in your evidence library. Choose from the list on the page.',
  unknownMandatory: 'That mandatory training item is not on the institution’s list. Choose one from the list.',
  submitted: 'This activity was submitted with its period, so it can no longer be changed. Add a new activity to correct or add to it.',
  evaluated: 'This target has been evaluated already, so its evaluation stands. Add a new target for further work.',
  nothingToEvaluate: 'Link at least one activity to this target before evaluating it.',
};

export const PAGE_SIZE = 20;

/** Notes the course the person opened the record from: reminders link back there, its coordinators see the matrix. */
export async function touchRecord(ownerId: string, courseId: string): Promise<void> {
  await CpdRecord.updateOne({ ownerId }, { $set: { homeCourseId: courseId }, $addToSet: { courseIds: courseId }, $setOnInsert: { ownerId } }, { upsert: true }).exec();
}

export async function listEntries(ownerId: string, page: number): Promise<{ items: EntryDoc[]; total: number }> {
  const [items, total] = await Promise.all([
    CpdEntry.find({ ownerId }).sort({ startOn: -1, _id: -1 }).skip((page - 1) * PAGE_SIZE).limit(PAGE_SIZE).lean<EntryDoc[]>(),
    CpdEntry.countDocuments({ ownerId }),
  ]);
  return { items, total };
}

export async function entriesBetween(ownerId: string, from?: Date, to?: Date): Promise<EntryDoc[]> {
  const range: Record<string, Date> = {};
  if (from) range.$gte = from;
  if (to) range.$lte = to;
  return CpdEntry.find({ ownerId, ...(from || to ? { startOn: range } : {}) }).sort({ startOn: 1 }).limit(5000).lean<EntryDoc[]>();
}

export async function ownEntry(ownerId: string, id: string): Promise<EntryDoc> {
  const entry = await CpdEntry.findOne({ _id: id, ownerId }).lean<EntryDoc>();
  if (!entry) throw notFound(ENTRY_MESSAGES.notFound);
  return entry;
}

/** Every link must point at the person's own things: their targets, their evidence, the configured list. */
async function checkLinks(ownerId: string, input: EntryInput, training: MandatoryTraining): Promise<void> {
  if (input.targetIds.length) {
    const mine = await CpdTarget.countDocuments({ ownerId, _id: { $in: input.targetIds } });
    if (mine !== new Set(input.targetIds).size) throw new AppError(422, 'not_your_target', ENTRY_MESSAGES.notYourTarget);
  }
  if (input.evidenceIds.length) {
    const library = new Set((await evidenceOfPerson(ownerId, 1000)).map((e) => e.id));
    if (!input.evidenceIds.every((id) => library.has(id))) throw new AppError(422, 'not_your_evidence', ENTRY_MESSAGES.notYourEvidence);
  }
  if (input.mandatoryItem && !training.items.some((i) => i.id === input.mandatoryItem)) throw new AppError(422, 'unknown_mandatory', ENTRY_MESSAGES.unknownMandatory);
}

const stored = (input: EntryInput) => ({ ...input, targetIds: [...new Set(input.targetIds)], evidenceIds: [...new Set(input.evidenceIds)] });

export async function addEntry(ownerId: string, input: EntryInput, training: MandatoryTraining): Promise<EntryDoc> {
  await checkLinks(ownerId, input, training);
  return (await CpdEntry.create({ ownerId, ...stored(input) })).toObject() as EntryDoc;
}

/** Changes an activity unless its period was submitted: the condition is part of the update, so a race cannot slip by. */
export async function updateEntry(ownerId: string, id: string, input: EntryInput, training: MandatoryTraining): Promise<EntryDoc> {
  const entry = await ownEntry(ownerId, id);
  if (entry.submissionId) throw conflict(ENTRY_MESSAGES.submitted);
  await checkLinks(ownerId, input, training);
  const updated = await CpdEntry.findOneAndUpdate({ _id: id, ownerId, submissionId: null }, { $set: stored(input) }, { new: true }).lean<EntryDoc>();
  if (!updated) throw conflict(ENTRY_MESSAGES.submitted);
  return updated;
}

export async function listTargets(ownerId: string): Promise<TargetDoc[]> {
  return CpdTarget.find({ ownerId }).sort({ dueOn: 1, _id: 1 }).limit(500).lean<TargetDoc[]>();
}

export async function ownTarget(ownerId: string, id: string): Promise<TargetDoc> {
  const target = await CpdTarget.findOne({ _id: id, ownerId }).lean<TargetDoc>();
  if (!target) throw notFound(ENTRY_MESSAGES.targetNotFound);
  return target;
}

export async function addTarget(ownerId: string, input: TargetInput): Promise<TargetDoc> {
  return (await CpdTarget.create({ ownerId, ...input })).toObject() as TargetDoc;
}

export async function updateTarget(ownerId: string, id: string, input: TargetInput): Promise<void> {
  const target = await ownTarget(ownerId, id);
  if (target.evaluation) throw conflict(ENTRY_MESSAGES.evaluated);
  await CpdTarget.updateOne({ _id: id, ownerId, evaluation: null }, { $set: input }).exec();
}

export async function entriesForTarget(ownerId: string, targetId: string): Promise<EntryDoc[]> {
  return CpdEntry.find({ ownerId, targetIds: targetId }).sort({ startOn: 1 }).limit(200).lean<EntryDoc[]>();
}

export interface Evaluation {
  outcome: string;
  ratings: Array<{ entryId: string; rating: string; sentence: string }>;
}

/** Records the evaluation once; every linked activity must have been rated (the schema is built from them). */
export async function evaluateTarget(ownerId: string, id: string, evaluation: Evaluation, now: Date): Promise<void> {
  const target = await ownTarget(ownerId, id);
  if (target.evaluation) throw conflict(ENTRY_MESSAGES.evaluated);
  if (evaluation.ratings.length === 0) throw new AppError(422, 'nothing_to_evaluate', ENTRY_MESSAGES.nothingToEvaluate);
  const done = await CpdTarget.updateOne({ _id: id, ownerId, evaluation: null }, { $set: { evaluation: { ...evaluation, evaluatedAt: now } } }).exec();
  if (done.modifiedCount === 0) throw conflict(ENTRY_MESSAGES.evaluated);
}

/** The latest end date of an entry for each mandatory item, for many people at once. */
export async function lastMandatoryDone(ownerIds: string[]): Promise<Map<string, Map<string, Date>>> {
  const rows = await CpdEntry.aggregate<{ _id: { o: string; m: string }; last: Date }>([
    { $match: { ownerId: { $in: ownerIds }, mandatoryItem: { $ne: '' } } },
    { $group: { _id: { o: '$ownerId', m: '$mandatoryItem' }, last: { $max: '$endOn' } } },
  ]).exec();
  const out = new Map<string, Map<string, Date>>(ownerIds.map((o) => [o, new Map()]));
  for (const row of rows) out.get(row._id.o)?.set(row._id.m, new Date(row.last));
  return out;
}

export { evidenceOfPerson };
