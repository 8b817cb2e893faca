import type { AfterLaunch } from '../lti';
import { assignMentor } from '../mentoring';
import { SAMPLE_PEOPLE } from './sample';

/**
 * The sample course comes set up as its coordinator would leave it: the sample mentor assigned to the three sample
 * candidates, so a newcomer who writes as a candidate finds it on the mentor's dashboard at once. Runs after a
 * launch from the practice VLE only (the tool's course id exists from the first launch on); an assignment already
 * there is left as it is.
 */
export function practiceCourseSetUp(issuer: string): AfterLaunch {
  const mentors = SAMPLE_PEOPLE.filter((p) => p.mentors);
  const candidates = SAMPLE_PEOPLE.filter((p) => p.kind === 'candidate');
  return async (facts, recorded) => {
    if (facts.issuer !== issuer) return;
    for (const mentor of mentors) {
      for (const candidate of candidates) await assignMentor(recorded.courseId, mentor.id, candidate.id, 'practice-vle');
    }
  };
}
