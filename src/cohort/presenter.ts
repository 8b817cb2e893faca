import { altStanding } from '../export';
import { whenLondon as when } from '../http/dates';
import { progressPresenter } from '../portfolio';
import type { Cohort } from './service';

/** The cohort page's rows: plain strings and links, no documents. */
export function cohortPresenter(cohort: Cohort, url: (p: string) => string) {
  return {
    candidates: cohort.candidates.map((c) => ({
      sub: c.person.sub,
      name: c.person.name,
      launched: !!c.person.userId,
      status: !c.person.userId ? 'Not started: has not opened CMALT Portfolio' : !c.portfolio ? 'Not started: opened the tool, no portfolio yet' : c.portfolio.signedOffAt ? (c.portfolio.changedAfterSignOffAt ? 'Signed off, changed since: mentor asked to look again' : 'Signed off') : c.portfolio.submittedAt ? 'Waiting for final review' : 'In progress',
      progress: progressPresenter(c.progress),
      alt: c.portfolio ? altStanding(c.portfolio) : '', // where the portfolio stands with ALT, once submitted
      href: c.portfolio ? url(`/mentoring/candidates/${String(c.portfolio._id)}`) : null,
      mentors: c.mentors.map((m) => ({ sub: m.sub, name: m.name })),
      choices: cohort.mentors.filter((m) => m.sub !== c.person.sub && !c.mentors.some((x) => x.sub === m.sub)).map((m) => ({ sub: m.sub, name: m.name + (m.userId ? '' : ' (not launched yet)') })),
    })),
    mentorCount: cohort.mentors.length,
    finalReview: cohort.finalReview.map((f) => ({
      id: String(f.portfolio._id),
      name: f.candidate.name,
      since: when(f.portfolio.submittedAt),
      progress: progressPresenter(f.progress),
      href: url(`/mentoring/candidates/${String(f.portfolio._id)}`),
    })),
  };
}
