import { Types } from 'mongoose';
import { Course } from '../../people/course.model';
import { Membership } from '../../people/membership.model';
import { INSTITUTION_ZONE, when } from '../../http/dates';
import { submissionRecordsIn } from '../../export';
import { lastMentorContact } from '../../mentoring';
import { financialYearOf, fundingByYear } from '../funding.service';
import { money } from '../money';
import { MentorGroup } from '../groups.model';
import { Meeting } from '../meetings.model';
import { Application, SchemeSettings, type ApplicationDoc, type SchemeSettingsDoc } from '../scheme.model';

/**
 * The coordinator's reports. Their scope is one course (cohort) or every course on the same VLE where the asker
 * is coordinator: a person is (issuer, sub), so the courses are found from the asker's own memberships, and the
 * issuer is checked again on the courses themselves.
 */
export interface Cohort {
  courseId: string;
  label: string;
}

export async function coordinatedCohorts(who: { userId: string; courseId: string; issuer: string }): Promise<Cohort[]> {
  if (!Types.ObjectId.isValid(who.userId)) return [];
  const ms = await Membership.find({ user: who.userId, appRoles: 'coordinator' }, { course: 1 }).lean();
  const ids = [...new Set([who.courseId, ...ms.map((m) => String(m.course))])].filter((id) => Types.ObjectId.isValid(id));
  const [courses, settings] = await Promise.all([
    Course.find({ _id: { $in: ids }, issuer: who.issuer }, { title: 1 }).lean(),
    SchemeSettings.find({ courseId: { $in: ids } }, { courseId: 1, cohortName: 1, startsOn: 1 }).lean(),
  ]);
  const named = new Map(settings.map((s) => [s.courseId, s]));
  return courses
    .map((c) => ({ courseId: String(c._id), label: named.get(String(c._id))?.cohortName || c.title || 'Untitled course', starts: named.get(String(c._id))?.startsOn ?? null }))
    .sort((a, b) => (a.starts?.getTime() ?? 0) - (b.starts?.getTime() ?? 0) || a.label.localeCompare(b.label, 'en-GB'))
    .map(({ courseId, label }) => ({ courseId, label }));
}

import type { Cell } from '../../http/csv';
export type { Cell };
export interface ReportTable {
  id: string;
  title: string;
  caption: string;
  columns: string[];
  rows: Cell[][]; // the first cell of a row names it (a row header)
  people: boolean; // a list of people: shown a page at a time
}

export const FUNNEL_STAGES = ['Applied', 'Supported', 'Accepted', 'Active', 'Submitted', 'Passed', 'Withdrawn', 'Deferred'] as const;

/** Which funnel stages one application has reached. Accepted counts everyone who ever held a place. */
function stagesOf(a: ApplicationDoc, submitted: boolean, passed: boolean): number[] {
  const had = a.state === 'accepted' || a.state === 'withdrawn' || a.state === 'deferred';
  return [1, a.support === 'supported' ? 1 : 0, had ? 1 : 0, a.state === 'accepted' ? 1 : 0, submitted ? 1 : 0, passed ? 1 : 0, a.state === 'withdrawn' ? 1 : 0, a.state === 'deferred' ? 1 : 0];
}

function funnelTable(id: string, title: string, first: string, groups: Map<string, number[]>, order?: string[]): ReportTable {
  const keys = order ?? [...groups.keys()].sort((a, b) => a.localeCompare(b, 'en-GB'));
  const total = FUNNEL_STAGES.map((_, i) => keys.reduce((n, k) => n + (groups.get(k)?.[i] ?? 0), 0));
  return {
    id,
    title,
    caption: `${title}: applications at each stage`,
    columns: [first, ...FUNNEL_STAGES],
    rows: [...keys.filter((k) => groups.has(k)).map((k) => [k, ...groups.get(k)!]), ['All', ...total]],
    people: false,
  };
}

const add = (groups: Map<string, number[]>, key: string, stages: number[]) => {
  const g = groups.get(key) ?? FUNNEL_STAGES.map(() => 0);
  groups.set(key, g.map((n, i) => n + stages[i]));
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every table of the report for these cohorts, at `now`. */
export async function buildReport(cohorts: Cohort[], now = new Date()): Promise<{ tables: ReportTable[]; funnel: number[]; funded: Array<{ label: string; used: number; funded: number }> }> {
  const courseIds = cohorts.map((c) => c.courseId);
  const labelOf = new Map(cohorts.map((c) => [c.courseId, c.label]));
  const [settings, apps, records, meetings, groups] = await Promise.all([
    SchemeSettings.find({ courseId: { $in: courseIds } }).lean() as Promise<SchemeSettingsDoc[]>,
    Application.find({ courseId: { $in: courseIds }, state: { $ne: 'draft' } }).sort({ name: 1, _id: 1 }).lean() as Promise<ApplicationDoc[]>,
    submissionRecordsIn(courseIds),
    Meeting.find({ courseId: { $in: courseIds }, cancelled: false, startsAt: { $lte: now } }, { courseId: 1, title: 1, startsAt: 1, attended: 1, groupId: 1 }).sort({ startsAt: 1, _id: 1 }).lean(),
    MentorGroup.find({ courseId: { $in: courseIds } }, { memberIds: 1 }).lean(),
  ]);
  // A mentor group's meeting is held for that group only: it counts for its members, not for the whole set.
  const membersOf = new Map(groups.map((g) => [String(g._id), new Set(g.memberIds)]));
  const isFor = (m: { groupId?: string | null }, userId: string) => !m.groupId || Boolean(membersOf.get(m.groupId)?.has(userId));
  const settingsOf = new Map(settings.map((s) => [s.courseId, s]));

  // The funnel, by cohort, by site and by the financial year the application was sent in.
  const byCohort = new Map<string, number[]>();
  const bySite = new Map<string, number[]>();
  const byYear = new Map<string, number[]>();
  const funnel = FUNNEL_STAGES.map(() => 0);
  for (const a of apps) {
    const r = records.get(`${a.courseId}:${a.userId}`);
    const stages = stagesOf(a, Boolean(r?.submitted), Boolean(r?.passed));
    const s = settingsOf.get(a.courseId);
    add(byCohort, labelOf.get(a.courseId)!, stages);
    add(bySite, a.site || 'No site given', stages);
    add(byYear, financialYearOf(new Date(a.submittedAt ?? a.createdAt), s?.fyStartMonth ?? 4, s?.timeZone || INSTITUTION_ZONE).label, stages);
    stages.forEach((n, i) => (funnel[i] += n));
  }

  // Attendance: per meeting held, and per person who had a place.
  const hadPlace = apps.filter((a) => a.state === 'accepted' || a.state === 'withdrawn' || a.state === 'deferred');
  const setSize = new Map<string, number>();
  for (const a of apps) if (a.state === 'accepted') setSize.set(a.courseId, (setSize.get(a.courseId) ?? 0) + 1);
  const invited = (m: (typeof meetings)[number]) => (m.groupId ? membersOf.get(m.groupId)?.size ?? 0 : setSize.get(m.courseId) ?? 0);
  const perMeeting: Cell[][] = meetings.map((m) => [m.title, labelOf.get(m.courseId)!, when(m.startsAt), m.attended.length, invited(m)]);
  const heldIn = new Map<string, typeof meetings>();
  for (const m of meetings) heldIn.set(m.courseId, [...(heldIn.get(m.courseId) ?? []), m]);
  const perPerson: Cell[][] = hadPlace.map((a) => {
    const held = (heldIn.get(a.courseId) ?? []).filter((m) => isFor(m, a.userId));
    const came = held.filter((m) => m.attended.includes(a.userId)).length;
    return [a.name || 'Unnamed candidate', labelOf.get(a.courseId)!, a.site, came, held.length, held.length ? `${Math.round((100 * came) / held.length)}%` : '–'];
  });

  // Time since each candidate with a place last heard from a mentor (longest first; never first of all).
  const active = apps.filter((a) => a.state === 'accepted');
  const contacts = new Map<string, Date>();
  for (const courseId of courseIds) {
    const inCourse = active.filter((a) => a.courseId === courseId).map((a) => records.get(`${courseId}:${a.userId}`)?.portfolioId).filter((id): id is string => Boolean(id));
    for (const [pid, at] of await lastMentorContact(courseId, inCourse)) contacts.set(pid, at);
  }
  const contactRows = active
    .map((a) => {
      const pid = records.get(`${a.courseId}:${a.userId}`)?.portfolioId;
      const at = pid ? contacts.get(pid) : undefined;
      const days = at ? Math.max(0, Math.floor((now.getTime() - at.getTime()) / DAY_MS)) : null;
      return { a, at, days };
    })
    .sort((x, y) => (y.days ?? Infinity) - (x.days ?? Infinity) || x.a.name.localeCompare(y.a.name, 'en-GB'))
    .map(({ a, at, days }): Cell[] => [a.name || 'Unnamed candidate', labelOf.get(a.courseId)!, at ? when(at) : 'No mentor contact yet', days ?? '–']);

  const fundingRows = await fundingByYear(settings);
  const cohortOrder = cohorts.map((c) => c.label);
  const tables: ReportTable[] = [
    funnelTable('funnel-cohort', 'Funnel by cohort', 'Cohort', byCohort, cohortOrder),
    funnelTable('funnel-site', 'Funnel by site', 'Site', bySite),
    funnelTable('funnel-year', 'Funnel by financial year', 'Financial year applied in', byYear),
    { id: 'attendance-meetings', title: 'Attendance by meeting', caption: 'Attendance at each meeting held', columns: ['Meeting', 'Cohort', 'When', 'Attended', 'Invited now'], rows: perMeeting, people: false },
    { id: 'attendance-people', title: 'Attendance by person', caption: 'Meetings each person with a place attended', columns: ['Person', 'Cohort', 'Site', 'Attended', 'Meetings held', 'Share attended'], rows: perPerson, people: true },
    { id: 'mentor-contact', title: 'Time since last mentor contact', caption: 'Each candidate with a place: their last comment or review from a mentor', columns: ['Candidate', 'Cohort', 'Last mentor contact', 'Days since'], rows: contactRows, people: true },
    {
      id: 'funding',
      title: 'Funded submissions by financial year',
      caption: 'Funded submissions used in each financial year, and spend',
      columns: ['Financial year', 'Cohort', 'Used', 'Funded places', 'Spend', 'Budget'],
      rows: fundingRows.map((f) => [f.fy, labelOf.get(f.courseId)!, f.used, f.funded, money(f.spendPence), money(f.budgetPence)]),
      people: false,
    },
  ];
  const fundedByYear = new Map<string, { used: number; funded: number }>();
  for (const f of fundingRows) {
    const y = fundedByYear.get(f.fy) ?? { used: 0, funded: 0 };
    fundedByYear.set(f.fy, { used: y.used + f.used, funded: y.funded + f.funded });
  }
  return { tables, funnel, funded: [...fundedByYear.entries()].map(([label, v]) => ({ label, ...v })) };
}
