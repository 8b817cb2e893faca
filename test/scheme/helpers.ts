import { DateTime } from 'luxon';
import { launched } from '../mentoring/people';
import type { PlatformCourse, TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';
import type { ToolSession } from '../support/launch';
import { Application } from '../../src/scheme/scheme.model';

const DAY = 24 * 60 * 60 * 1000;
/** A datetime-local value in the institution's zone (Europe/London), `offsetMs` from now. */
export const londonLocal = (offsetMs: number) => DateTime.fromMillis(Date.now() + offsetMs, { zone: 'Europe/London' }).toFormat("yyyy-MM-dd'T'HH:mm");

export const schemeSettings = (overrides: Record<string, string> = {}) => ({
  cohortName: '2026-27 learning set', startsOn: '2026-09-01', endsOn: '2027-06-30', places: '3', sites: 'City campus\nNorth college',
  callOpensAt: londonLocal(-2 * DAY), callClosesAt: londonLocal(5 * DAY), fyStartMonth: '4', fundedPerYear: '8', fee: '250', deadlines: '',
  ...overrides,
});

export const applicationForm = (name: string, site = 'City campus') => ({
  jobTitle: `Learning technologist ${name}`, site, pathway: 'cmalt', justification: `Why now: ${name}.`,
  lineManagerName: `Manager of ${name}`, lineManagerEmail: `m${name.toLowerCase().replace(/\W/g, '')}@example.ac.uk`,
});

/**
 * A Learner who applies through the form and, unless `accept` is false, is accepted by the coordinator through the
 * coordinator's own page: the whole path a candidate takes to a place.
 */
export async function aCandidateWithAPlace(tool: TestTool, platform: TestPlatform, course: PlatformCourse, coordinator: ToolSession, name: string, opts: { accept?: boolean; site?: string } = {}) {
  const user = platform.user({ name, email: `${name.toLowerCase().replace(/\W/g, '.')}@example.ac.uk` });
  const s = await launched(tool, platform, course, 'Learner', user);
  const sent = await s.post('/scheme/application/send', applicationForm(name, opts.site));
  if (sent.status !== 200) throw new Error(`applying failed: ${sent.status}`);
  const app = (await Application.findOne({ name, state: 'submitted' }).lean())!;
  if (opts.accept !== false) {
    const ok = await coordinator.post(`/scheme/manage/applications/${String(app._id)}/accept`);
    if (ok.status !== 200) throw new Error(`accepting failed: ${ok.status}`);
  }
  return { s, user, applicationId: String(app._id), userId: app.userId, courseId: app.courseId };
}
