/** The practice VLE's sample course and its people: invented names, each with the role a real VLE would send. */
export type SampleKind = 'candidate' | 'mentor' | 'coordinator' | 'installer';

export interface SamplePerson {
  id: string; // the LTI sub
  name: string;
  kind: SampleKind;
  /** LTI context roles, as the VLE sends them. */
  roles: string[];
  /** What the start page says about them. */
  about: string;
  /** A mentor is sent role_scope_mentor naming the sample candidates. */
  mentors?: boolean;
}

export const SAMPLE_COURSE = { id: 'practice-cmalt', title: 'Practice course: CMALT cohort', label: 'CMALT-PRACTICE' };

export const SAMPLE_PEOPLE: SamplePerson[] = [
  { id: 'practice-amara', name: 'Amara Okafor', kind: 'candidate', roles: ['Learner'], about: 'A learning technologist well into her CMALT portfolio: several areas written, commented on and reviewed.' },
  { id: 'practice-rhys', name: 'Rhys Llewellyn', kind: 'candidate', roles: ['Learner'], about: 'A lecturer in nursing who supports colleagues with the VLE. He has just begun his portfolio.' },
  { id: 'practice-mei', name: 'Mei Lin Chen', kind: 'candidate', roles: ['Learner'], about: 'A digital education developer in a library team. She has not started her portfolio yet.' },
  { id: 'practice-helen', name: 'Helen Marsh', kind: 'mentor', roles: ['Mentor'], about: 'Mentors the three candidates and reviews their sections.', mentors: true },
  { id: 'practice-sam', name: 'Sam Patel', kind: 'coordinator', roles: ['Instructor'], about: 'Runs the cohort: people, mentors, grades and deadlines.' },
  // a VLE administrator: lands on the tool's registration pages, which show only this practice VLE's own
  { id: 'practice-jo', name: 'Jo Whitfield', kind: 'installer', roles: ['institution:Administrator'], about: 'Looks after the VLE and installed the tool: sees its registration, as a VLE’s administrator would.' },
];

export const KIND_LABELS: Record<SampleKind, string> = { candidate: 'Candidate', mentor: 'Mentor', coordinator: 'Coordinator', installer: 'Installer (VLE administrator)' };

export function samplePerson(id: unknown): SamplePerson | undefined {
  return typeof id === 'string' ? SAMPLE_PEOPLE.find((p) => p.id === id) : undefined;
}
