import { DateTime } from 'luxon';
import { INSTITUTION_ZONE } from '../http/dates';
import { submissionRecordsIn, type SubmissionRecord } from '../export';
import { FundingAllocation, FundingYear, type FundingAllocationDoc } from './funding.model';
import { Application, type ApplicationDoc, type SchemeSettingsDoc } from './scheme.model';
import { refusal, settingsOf, type Result } from './settings.service';

export const FUNDING_PAGE_SIZE = 20;

export const FUNDING_MESSAGES = {
  noScheme: 'Save the scheme settings first: the number of funded submissions is set there. Nothing was changed.',
  notFound: 'We could not find that candidate in this course’s learning set.',
  noPlace: 'Only a candidate with a place in the learning set can have a funded submission. Nothing was changed.',
  already: (fy: string) => `This candidate already has a funded submission (financial year ${fy}). Nothing was changed.`,
  full: (n: number, fy: string) =>
    `All ${n} funded submission${n === 1 ? '' : 's'} for the financial year ${fy} are allocated. Release one first, or raise the number in the scheme settings. Nothing was changed.`,
  allocationNotFound: 'We could not find that funded submission in this course.',
  alreadyReleased: 'That funded submission has already been released. Nothing was changed.',
};

export interface FinancialYear {
  label: string; // "2026-27", or "2026" when the year starts in January
  startYear: number;
  from: Date;
  to: Date;
}

/**
 * The financial year an instant falls in, read in the institution's time zone: with April as the first month,
 * 31 March 23:30 and 1 April 00:30 (London time) fall in different years, whatever the UTC date says.
 */
export function financialYearOf(at: Date, firstMonth = 4, zone: string = INSTITUTION_ZONE): FinancialYear {
  const local = DateTime.fromJSDate(at, { zone });
  const startYear = local.month >= firstMonth ? local.year : local.year - 1;
  const from = DateTime.fromObject({ year: startYear, month: firstMonth, day: 1 }, { zone });
  const label = firstMonth === 1 ? String(startYear) : `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
  return { label, startYear, from: from.toJSDate(), to: from.plus({ years: 1 }).toJSDate() };
}

const fyOf = (s: SchemeSettingsDoc, at: Date) => financialYearOf(at, s.fyStartMonth ?? 4, s.timeZone || INSTITUTION_ZONE);

/** Releases one allocation once (a conditional update), and gives its place in the year's count back. */
export async function releaseAllocation(courseId: string, id: string, reason: string, now = new Date()): Promise<Result> {
  const done = await FundingAllocation.findOneAndUpdate(
    { _id: id, courseId, releasedAt: null },
    { $set: { releasedAt: now, releaseReason: reason }, $unset: { activeKey: 1 } },
    { new: true },
  ).lean();
  if (!done) return (await FundingAllocation.exists({ _id: id, courseId })) ? refusal(409, FUNDING_MESSAGES.alreadyReleased) : refusal(404, FUNDING_MESSAGES.allocationNotFound);
  await FundingYear.updateOne({ courseId, fy: done.fy }, { $inc: { used: -1 } });
  return { ok: true };
}

const LEFT_REASONS: Record<'withdrawn' | 'deferred', string> = { withdrawn: 'The candidate withdrew from the learning set.', deferred: 'The candidate deferred to the next cohort.' };

/** A candidate who withdraws or defers gives their funded submission back, as they leave (applications.service). */
export async function releaseFundingOf(courseId: string, applicationId: string, left: 'withdrawn' | 'deferred', now = new Date()): Promise<void> {
  const held = await FundingAllocation.findOne({ courseId, applicationId, releasedAt: null }, { _id: 1 }).lean();
  if (held) await releaseAllocation(courseId, String(held._id), LEFT_REASONS[left], now);
}

/**
 * Allocates a funded submission in the financial year `now` falls in. The year's count rises only while it is
 * below the year's number (one conditional update); a candidate holds one allocation at a time (unique key).
 */
export async function allocateFunding(courseId: string, applicationId: string, now = new Date()): Promise<Result<{ fy: string }>> {
  const s = await settingsOf(courseId);
  if (!s) return refusal(409, FUNDING_MESSAGES.noScheme);
  const app = (await Application.findOne({ _id: applicationId, courseId }).lean()) as ApplicationDoc | null;
  if (!app) return refusal(404, FUNDING_MESSAGES.notFound);
  if (app.state !== 'accepted') return refusal(409, FUNDING_MESSAGES.noPlace);
  const held = await FundingAllocation.findOne({ activeKey: `${courseId}:${app.userId}` }).lean();
  if (held) return refusal(409, FUNDING_MESSAGES.already(held.fy));
  const fy = fyOf(s, now).label;
  await FundingYear.updateOne({ courseId, fy }, { $setOnInsert: { used: 0 } }, { upsert: true }).catch((err: { code?: number }) => (err.code === 11000 ? null : Promise.reject(err)));
  const taken = await FundingYear.findOneAndUpdate({ courseId, fy, used: { $lt: s.fundedPerYear } }, { $inc: { used: 1 } }, { new: true }).lean();
  if (!taken) return refusal(409, FUNDING_MESSAGES.full(s.fundedPerYear, fy));
  try {
    await FundingAllocation.create({ courseId, applicationId, userId: app.userId, name: app.name, site: app.site, fy, allocatedAt: now, activeKey: `${courseId}:${app.userId}` });
  } catch (err) {
    await FundingYear.updateOne({ courseId, fy }, { $inc: { used: -1 } });
    if ((err as { code?: number }).code === 11000) return refusal(409, FUNDING_MESSAGES.already(fy));
    throw err;
  }
  return { ok: true, fy };
}

export interface FundingYearRow {
  courseId: string;
  fy: string;
  used: number;
  funded: number;
  feePence: number;
  spendPence: number;
  budgetPence: number;
}

/** Funded places used per financial year in these courses, from the counters (years with none used are left out). */
export async function fundingByYear(settings: SchemeSettingsDoc[]): Promise<FundingYearRow[]> {
  const byCourse = new Map(settings.map((s) => [s.courseId, s]));
  const years = await FundingYear.find({ courseId: { $in: [...byCourse.keys()] } }).sort({ fy: 1, courseId: 1 }).lean();
  return years.map((y) => {
    const s = byCourse.get(y.courseId)!;
    return { courseId: y.courseId, fy: y.fy, used: y.used, funded: s.fundedPerYear, feePence: s.feePence, spendPence: y.used * s.feePence, budgetPence: s.fundedPerYear * s.feePence };
  });
}

/** What the coordinator's funding page shows: this year's count and spend, who may have one, and a page of allocations. */
export async function fundingOverview(courseId: string, page: number, now = new Date()) {
  const s = await settingsOf(courseId);
  if (!s) return null;
  const fy = fyOf(s, now);
  const [year, active, total] = await Promise.all([
    FundingYear.findOne({ courseId, fy: fy.label }).lean(),
    FundingAllocation.find({ courseId, releasedAt: null }, { userId: 1 }).lean(),
    FundingAllocation.countDocuments({ courseId }),
  ]);
  const holding = new Set(active.map((a) => a.userId));
  // those with a place, bounded by the set's cap (at most 200), so one list for the form's choice
  const withPlace = (await Application.find({ courseId, state: 'accepted' }, { name: 1, userId: 1, site: 1 }).sort({ name: 1, _id: 1 }).lean()) as ApplicationDoc[];
  const pages = Math.max(1, Math.ceil(total / FUNDING_PAGE_SIZE));
  const current = Math.min(page, pages);
  const items = (await FundingAllocation.find({ courseId }).sort({ allocatedAt: -1, _id: -1 }).skip((current - 1) * FUNDING_PAGE_SIZE).limit(FUNDING_PAGE_SIZE).lean()) as FundingAllocationDoc[];
  const records = await submissionRecordsIn([courseId]);
  const used = year?.used ?? 0;
  return {
    fy,
    used,
    funded: s.fundedPerYear,
    feePence: s.feePence,
    spendPence: used * s.feePence,
    budgetPence: s.fundedPerYear * s.feePence,
    eligible: withPlace.filter((a) => !holding.has(a.userId)).map((a) => ({ application: a, record: records.get(`${courseId}:${a.userId}`) ?? null })),
    items: items.map((a) => ({ allocation: a, record: records.get(`${courseId}:${a.userId}`) ?? null })) as Array<{ allocation: FundingAllocationDoc; record: SubmissionRecord | null }>,
    total,
    page: current,
    pages,
  };
}

/** The candidate's own funded submission in this course, if one stands: which financial year, and when. */
export async function fundingOf(courseId: string, userId: string): Promise<{ fy: string; allocatedAt: Date } | null> {
  const held = await FundingAllocation.findOne({ activeKey: `${courseId}:${userId}` }, { fy: 1, allocatedAt: 1 }).lean();
  return held ? { fy: held.fy, allocatedAt: held.allocatedAt } : null;
}
