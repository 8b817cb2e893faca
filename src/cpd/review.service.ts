import { altRecordsOf, type AltRecord } from '../export';
import { AppError } from '../http/errors';
import { CpdEntry, CpdRecord, EntryDoc, RecordDoc } from './models';
import { addMonths } from './periods.service';
import { inWords } from './presenter';
import { REVIEW_SECTIONS, type ReviewInput } from './schema';

/** The person's profile (CV, skills) and their CMALT review: three years after certification, built from CPD. */

export const REVIEW_YEARS = 3;
export const REVIEW_REMIND_DAYS = [30, 90]; // the nearer first: one reminder at a time
export const REVIEW_MESSAGES = {
  noCertification: 'Enter the date you were certified first: the review covers your development since then.',
  notYourEntry: 'One of the chosen activities is not in your record since certification. Choose from the list on the page.',
  future: 'The certification date cannot be in the future.',
  fromAlt: (on: string) => `Your certification date, ${on}, comes from your ALT result recorded with your portfolio, so there is no date to enter here.`,
};

/** When the person was certified, and whether that is ALT's recorded pass or a date they entered. */
export interface Certification {
  on: Date;
  fromAlt: boolean;
}

/**
 * A recorded pass in the person's submission record (export's, any of their courses) wins over an entered date:
 * it is what ALT decided, and a review's pass moves it on by itself.
 */
export function certificationFrom(record: Pick<RecordDoc, 'certifiedOn'> | null, alt: AltRecord[]): Certification | null {
  const passed = alt.find((a) => a.certifiedOn);
  if (passed) return { on: passed.certifiedOn!, fromAlt: true };
  return record?.certifiedOn ? { on: new Date(record.certifiedOn), fromAlt: false } : null;
}

export interface ReviewStanding {
  record: RecordDoc | null;
  alt: AltRecord[];
  certification: Certification | null;
}

export async function standingOf(ownerId: string): Promise<ReviewStanding> {
  const [record, alt] = await Promise.all([recordOf(ownerId), altRecordsOf(ownerId)]);
  return { record, alt, certification: certificationFrom(record, alt) };
}

export const reviewDueOn = (certifiedOn: Date) => addMonths(certifiedOn, REVIEW_YEARS * 12);

export async function recordOf(ownerId: string): Promise<RecordDoc | null> {
  return CpdRecord.findOne({ ownerId }).lean<RecordDoc>();
}

export async function saveProfile(ownerId: string, profile: { cvText: string; skills: string }, now: Date): Promise<void> {
  await CpdRecord.updateOne({ ownerId }, { $set: { ...profile, profileUpdatedAt: now }, $setOnInsert: { ownerId } }, { upsert: true }).exec();
}

/** The CV and skills another capability (planning) may show the person instead of asking again. */
export async function profileFor(ownerId: string): Promise<{ cvText: string; skills: string; updatedAt: Date | null } | null> {
  const record = await recordOf(ownerId);
  if (!record || (!record.cvText && !record.skills)) return null;
  return { cvText: record.cvText ?? '', skills: record.skills ?? '', updatedAt: record.profileUpdatedAt ?? null };
}

export async function saveCertification(ownerId: string, certifiedOn: Date, now: Date): Promise<void> {
  const recorded = certificationFrom(null, await altRecordsOf(ownerId));
  if (recorded) throw new AppError(409, 'certified_by_alt', REVIEW_MESSAGES.fromAlt(inWords(recorded.on)));
  if (certifiedOn > now) throw new AppError(422, 'validation_failed', REVIEW_MESSAGES.future);
  await CpdRecord.updateOne({ ownerId }, { $set: { certifiedOn }, $setOnInsert: { ownerId } }, { upsert: true }).exec();
}

export async function entriesSince(ownerId: string, since: Date): Promise<EntryDoc[]> {
  return CpdEntry.find({ ownerId, endOn: { $gte: since } }).sort({ startOn: 1 }).limit(2000).lean<EntryDoc[]>();
}

/** Saves the review: chosen activities must be the person's own, since certification. */
export async function saveReview(ownerId: string, input: ReviewInput, now: Date): Promise<void> {
  const { certification } = await standingOf(ownerId);
  if (!certification) throw new AppError(422, 'no_certification', REVIEW_MESSAGES.noCertification);
  const ids = [...new Set(input.entryIds)];
  const allowed = new Set((await entriesSince(ownerId, certification.on)).map((e) => String(e._id)));
  if (!ids.every((id) => allowed.has(id))) throw new AppError(422, 'not_your_entry', REVIEW_MESSAGES.notYourEntry);
  const sections = Object.fromEntries(REVIEW_SECTIONS.map((s) => [s.id, input[s.id] ?? '']));
  await CpdRecord.updateOne({ ownerId }, { $set: { review: { entryIds: ids, sections, updatedAt: now } }, $setOnInsert: { ownerId } }, { upsert: true }).exec();
}
