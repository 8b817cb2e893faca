import { whenLondon, dayOf } from '../http/dates';
import type { ApplicationDoc, ApplicationState, SchemeSettingsDoc, SupportState } from './scheme.model';
import { localValue } from './scheme.schema';
import type { CallState } from './settings.service';

export const STATE_LABELS: Record<ApplicationState, string> = {
  draft: 'Draft, not sent',
  submitted: 'Sent, waiting for a decision',
  accepted: 'Accepted: has a place',
  waiting: 'On the waiting list',
  declined: 'Not accepted',
  withdrawn: 'Withdrawn',
  deferred: 'Deferred to the next cohort',
};
export const SUPPORT_LABELS: Record<SupportState, string> = {
  not_asked: 'Not asked yet',
  asked: 'Asked, no answer yet',
  supported: 'Supported',
  not_supported: 'Not supported',
};

const pounds = (pence: number) => (pence / 100).toFixed(2).replace(/\.00$/, '');

/** The settings form's values, in the institution's time zone. */
export function settingsValues(s: SchemeSettingsDoc | null): Record<string, string> {
  const zone = s?.timeZone ?? 'Europe/London';
  return {
    cohortName: s?.cohortName ?? '',
    startsOn: localValue(s?.startsOn, zone, false),
    endsOn: localValue(s?.endsOn, zone, false),
    places: String(s?.places ?? 15),
    sites: (s?.sites ?? []).join('\n'),
    callOpensAt: localValue(s?.callOpensAt, zone, true),
    callClosesAt: localValue(s?.callClosesAt, zone, true),
    fyStartMonth: String(s?.fyStartMonth ?? 4),
    fundedPerYear: String(s?.fundedPerYear ?? 8),
    fee: s?.feePence ? pounds(s.feePence) : '',
    retentionMonths: String(s?.retentionMonths ?? 24),
    deadlines: (s?.deadlines ?? []).map((d) => `${localValue(d.due, zone, false)} ${d.label}`).join('\n'),
  };
}

export const CALL_LABELS: Record<CallState, string> = {
  no_call: 'No call for volunteers is set.',
  not_yet: 'The call for volunteers has not opened yet.',
  open: 'The call for volunteers is open.',
  closed: 'The call for volunteers has closed.',
};

export function settingsSummary(s: SchemeSettingsDoc | null, call: CallState) {
  return {
    exists: Boolean(s),
    cohortName: s?.cohortName ?? '',
    places: s?.places ?? 15,
    placesTaken: s?.placesTaken ?? 0,
    call: CALL_LABELS[call],
    opens: whenLondon(s?.callOpensAt),
    closes: whenLondon(s?.callClosesAt),
    deadlines: (s?.deadlines ?? []).map((d) => ({ label: d.label ?? '', due: dayOf(d.due) })),
  };
}

/** One application for the coordinator; the applicant's own page uses the same fields. */
export function presentApplication(a: ApplicationDoc) {
  return {
    id: String(a._id),
    name: a.name || 'Unnamed applicant',
    email: a.email,
    jobTitle: a.jobTitle,
    site: a.site,
    pathway: a.pathway,
    justification: a.justification,
    lineManagerName: a.lineManagerName,
    lineManagerEmail: a.lineManagerEmail,
    state: a.state as ApplicationState,
    stateLabel: STATE_LABELS[a.state as ApplicationState],
    support: a.support as SupportState,
    supportLabel: SUPPORT_LABELS[a.support as SupportState],
    supportComment: a.supportComment,
    supportBy: a.supportBy === 'coordinator' ? 'recorded by the coordinator' : a.supportBy === 'link' ? 'answered by the line manager' : '',
    waitingRank: a.waitingRank ?? null,
    offered: Boolean(a.offeredFreedPlace),
    reason: a.reason,
    submittedAt: whenLondon(a.submittedAt),
  };
}
export type ApplicationView = ReturnType<typeof presentApplication>;

export function formValues(a: Partial<ApplicationDoc> | Record<string, unknown> | null): Record<string, string> {
  const v = (a ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  return { jobTitle: s('jobTitle'), site: s('site'), pathway: s('pathway'), justification: s('justification'), lineManagerName: s('lineManagerName'), lineManagerEmail: s('lineManagerEmail') };
}
