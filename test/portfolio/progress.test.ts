import { computeProgress, ProgressArea, ProgressSection } from '../../src/portfolio/progress';
import type { SectionState } from '../../src/portfolio/models';

const areas: ProgressArea[] = [
  { id: 'contextual', displayTitle: 'Contextual statement', assessed: false, required: true },
  { id: '1a', displayTitle: '1a Constraints', assessed: true, required: true },
  { id: '1b', displayTitle: '1b Technical', assessed: true, required: true },
  { id: '2a', displayTitle: '2a Teaching', assessed: true, required: true },
  { id: 'future-plans', displayTitle: 'Future plans', assessed: true, required: true },
];

const states = (s: Record<string, SectionState>): ProgressSection[] =>
  Object.entries(s).map(([areaId, state]) => ({ areaId, state }));

describe('computeProgress', () => {
  test.each([
    ['nothing written', {}, { required: 4, meeting: 0, notStarted: 4, percentage: 0 }, 'start', 'contextual'],
    ['one drafted', { contextual: 'draft', '1a': 'draft' }, { drafted: 1, notStarted: 3, percentage: 0 }, 'finish', '1a'],
    ['needs more work comes first', { '1a': 'draft', '1b': 'needs_more_work' }, { needsMoreWork: 1 }, 'respond', '1b'],
    [
      'half meet the criterion, the rest wait for review',
      { contextual: 'draft', '1a': 'meets_criterion', '1b': 'meets_criterion', '2a': 'ready_for_review', 'future-plans': 'ready_for_review' },
      { meeting: 2, readyForReview: 2, percentage: 50 },
      'wait',
      undefined,
    ],
    [
      'all meet the criterion',
      { contextual: 'draft', '1a': 'meets_criterion', '1b': 'meets_criterion', '2a': 'meets_criterion', 'future-plans': 'meets_criterion' },
      { meeting: 4, percentage: 100 },
      'done',
      undefined,
    ],
    [
      'unassessed contextual statement still empty is suggested after drafts',
      { '1a': 'meets_criterion', '1b': 'meets_criterion', '2a': 'meets_criterion', 'future-plans': 'meets_criterion' },
      { percentage: 100, unassessedToWrite: 1 },
      'start',
      'contextual',
    ],
    ['one of four meeting is 25%', { '1a': 'meets_criterion', '1b': 'draft', '2a': 'draft' }, { percentage: 25 }, 'finish', '1b'],
  ] as const)('%s', (_name, s, expected, nextKind, nextArea) => {
    const p = computeProgress(areas, states(s as Record<string, SectionState>));
    expect(p).toMatchObject(expected);
    expect(p.next.kind).toBe(nextKind);
    expect(p.next.areaId).toBe(nextArea);
    expect(p.next.message.length).toBeGreaterThan(5);
  });

  test('a portfolio with no areas asks for a pathway', () => {
    expect(computeProgress([], []).next.kind).toBe('choose_pathway');
  });

  test('percentage uses assessed areas only', () => {
    const p = computeProgress(areas, states({ contextual: 'meets_criterion' }));
    expect(p.meeting).toBe(0);
    expect(p.required).toBe(4);
  });
});
