import { SchemeSettings, type SchemeSettingsDoc } from './scheme.model';
import { noteSchemeCourse } from './scheme-courses';
import { localInstant, type SettingsInput } from './scheme.schema';

export type Refusal = { ok: false; status: number; message: string };
export type Result<T = object> = ({ ok: true } & T) | Refusal;
export const refusal = (status: number, message: string): Refusal => ({ ok: false, status, message });

export const SETTINGS_MESSAGES = {
  belowTaken: (taken: number) => `${taken} places are already taken, so the set cannot have fewer places than that. Nothing was changed.`,
};

export async function settingsOf(courseId: string): Promise<SchemeSettingsDoc | null> {
  return (await SchemeSettings.findOne({ courseId }).lean()) as SchemeSettingsDoc | null;
}

export type CallState = 'no_call' | 'not_yet' | 'open' | 'closed';

/** Where the call for volunteers stands at `now`. A scheme with no window set has no call. */
export function callState(s: Pick<SchemeSettingsDoc, 'callOpensAt' | 'callClosesAt'> | null, now = new Date()): CallState {
  if (!s || !s.callOpensAt || !s.callClosesAt) return 'no_call';
  if (now < new Date(s.callOpensAt)) return 'not_yet';
  return now < new Date(s.callClosesAt) ? 'open' : 'closed';
}

/** Saves the coordinator's settings. Places never drop below those already taken (one conditional update). */
export async function saveSettings(courseId: string, input: SettingsInput): Promise<Result> {
  const current = await settingsOf(courseId);
  const zone = current?.timeZone ?? 'Europe/London';
  const set = {
    cohortName: input.cohortName,
    startsOn: localInstant(input.startsOn, zone),
    endsOn: localInstant(input.endsOn, zone),
    places: input.places,
    sites: input.sites,
    callOpensAt: localInstant(input.callOpensAt, zone),
    callClosesAt: localInstant(input.callClosesAt, zone),
    fyStartMonth: input.fyStartMonth,
    fundedPerYear: input.fundedPerYear,
    feePence: input.fee,
    retentionMonths: input.retentionMonths,
    deadlines: input.deadlines.map((d) => ({ label: d.label, due: localInstant(d.due, zone) })),
  };
  if (!current) {
    try {
      await SchemeSettings.create({ courseId, ...set });
      noteSchemeCourse(courseId);
      return { ok: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // created by another click meanwhile: update it below
    }
  }
  const r = await SchemeSettings.updateOne({ courseId, placesTaken: { $lte: input.places } }, { $set: set });
  noteSchemeCourse(courseId); // they exist now, whoever created them
  if (r.matchedCount === 0) return refusal(409, SETTINGS_MESSAGES.belowTaken((await settingsOf(courseId))?.placesTaken ?? 0));
  return { ok: true };
}
