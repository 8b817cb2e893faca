import { computeProgress, type ProgressArea } from '../../src/portfolio/progress';
import type { SectionState } from '../../src/portfolio/models';
import { nextTimestamp, scoreValues, standingFingerprint, type CandidateStanding } from '../../src/gradebook/score';
import { backoffMs } from '../../src/vle/context';
import { agsScopes, nextLink, scoresUrl } from '../../src/vle/ags';
import { compare } from '../../src/gradebook/read-back';

const areas: ProgressArea[] = Array.from({ length: 12 }, (_, i) => ({ id: `a${i}`, displayTitle: `Area ${i}`, assessed: i < 10, required: true }));
function standing(states: SectionState[], over: Partial<CandidateStanding> = {}): CandidateStanding {
  const sections = states.map((state, i) => ({ areaId: `a${i}`, state }));
  return { progress: computeProgress(areas, sections), anythingWritten: sections.some((s) => s.state !== 'not_started'), submitted: false, signedOff: false, ...over };
}
const many = (n: number, s: SectionState): SectionState[] => Array(n).fill(s);

describe('the score the VLE receives', () => {
  test('7 of 10 assessed areas meeting the criterion is 70% of the line item’s maximum, with the comment', () => {
    const s = standing([...many(7, 'meets_criterion'), ...many(3, 'needs_more_work')]);
    expect(scoreValues(s, 100)).toEqual({ scoreGiven: 70, scoreMaximum: 100, comment: '7 of 10 areas meet the criterion', activityProgress: 'InProgress', gradingProgress: 'FullyGraded' });
    expect(scoreValues(s, 40).scoreGiven).toBe(28);
    expect(scoreValues(standing([...many(1, 'meets_criterion')]), 30)).toMatchObject({ scoreGiven: 3, comment: '1 of 10 areas meets the criterion' });
  });

  test('thirds are rounded to two decimal places, not truncated', () => {
    const threeAreas: ProgressArea[] = areas.slice(0, 3);
    const p = computeProgress(threeAreas, [{ areaId: 'a0', state: 'meets_criterion' }]);
    expect(scoreValues({ progress: p, anythingWritten: true, submitted: false, signedOff: false }, 100).scoreGiven).toBe(33.33);
  });

  test.each([
    ['nothing written', 'Initialized', 'NotReady', standing([])],
    // The score is the complete judgement at each moment: FullyGraded once there is anything to judge, so that
    // Moodle (which blanks any other) keeps the number; waiting for a mentor is activityProgress's to say.
    ['drafting, nothing waiting', 'InProgress', 'FullyGraded', standing(['draft', 'meets_criterion'])],
    ['a section waiting for a mentor', 'InProgress', 'FullyGraded', standing(['draft', 'ready_for_review'])],
    ['every assessed section reviewed', 'InProgress', 'FullyGraded', standing([...many(9, 'meets_criterion'), 'needs_more_work'])],
    ['asked for final review', 'Submitted', 'FullyGraded', standing(many(10, 'meets_criterion'), { submitted: true })],
    ['signed off by the coordinator', 'Completed', 'FullyGraded', standing(many(10, 'meets_criterion'), { submitted: true, signedOff: true })],
  ])('%s: activityProgress %s, gradingProgress %s', (_label, activity, grading, s) => {
    expect(scoreValues(s, 100)).toMatchObject({ activityProgress: activity, gradingProgress: grading });
  });

  test('the fingerprint changes exactly when what the VLE would see changes', () => {
    expect(standingFingerprint(standing(['draft']))).toBe(standingFingerprint(standing(['draft', 'draft'])));
    // Asking for review changes nothing the VLE shows (same score, same progress values): nothing to send.
    expect(standingFingerprint(standing(['draft']))).toBe(standingFingerprint(standing(['ready_for_review'])));
    expect(standingFingerprint(standing([]))).not.toBe(standingFingerprint(standing(['draft'])));
    expect(standingFingerprint(standing(['meets_criterion']))).not.toBe(standingFingerprint(standing(['needs_more_work'])));
  });
});

describe('reading the VLE’s gradebook back', () => {
  const sent = scoreValues(standing([...many(8, 'meets_criterion'), 'draft']), 100);
  test('the same score (rounding aside) is kept; no number is not kept; another number differs', () => {
    expect(compare(sent, { resultScore: 80, resultMaximum: 100 }).state).toBe('kept');
    expect(compare(sent, { resultScore: 8.001, resultMaximum: 10 }).state).toBe('kept'); // a VLE that rescales its column
    expect(compare(sent, { resultScore: null, resultMaximum: 100 }).state).toBe('not_kept');
    expect(compare(sent, null).state).toBe('not_kept');
    expect(compare(sent, { resultScore: 55, resultMaximum: 100 })).toMatchObject({ state: 'differs', resultScore: 55 });
  });
  test('no grade for a portfolio with nothing written (sent NotReady) is what was meant', () => {
    expect(compare(scoreValues(standing([]), 100), null).state).toBe('kept');
  });
});

describe('timestamps only move forward', () => {
  test('now, when now is after the last one sent; otherwise one millisecond after it', () => {
    const now = new Date('2026-11-25T10:00:00.000Z');
    expect(nextTimestamp(now)).toBe('2026-11-25T10:00:00.000Z');
    expect(nextTimestamp(now, '2026-11-25T09:59:59.999Z')).toBe('2026-11-25T10:00:00.000Z');
    expect(nextTimestamp(now, '2026-11-25T10:00:00.000Z')).toBe('2026-11-25T10:00:00.001Z');
    expect(nextTimestamp(now, '2026-11-25T10:00:05.250Z')).toBe('2026-11-25T10:00:05.251Z'); // another instance's clock ran ahead
  });
});

describe('backoff', () => {
  const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 30_000 };
  test('doubles each attempt up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(policy, a, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    expect([1, 2, 3].map((a) => backoffMs(policy, a, () => 0))).toEqual([500, 1000, 2000]);
    expect(backoffMs(policy, 3, () => 0.5)).toBe(3000);
  });
});

describe('AGS details', () => {
  test('the scores URL keeps the line item’s query string', () => {
    expect(scoresUrl('https://vle.example/li/5?type_id=9')).toBe('https://vle.example/li/5/scores?type_id=9');
    expect(scoresUrl('https://vle.example/li/5/')).toBe('https://vle.example/li/5/scores');
  });
  test('rel="next" is found among other links, quoted or not', () => {
    expect(nextLink('<https://v/p2>; rel="next", <https://v/p9>; rel="last"')).toBe('https://v/p2');
    expect(nextLink('<https://v/p1>; rel=first, <https://v/p3>; rel=next')).toBe('https://v/p3');
    expect(nextLink('<https://v/p9>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
  test('only the scopes the launch granted are asked for, and full lineitem scope replaces read-only', () => {
    const all = ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly', 'https://purl.imsglobal.org/spec/lti-ags/scope/score', 'x'];
    expect(agsScopes(all)).toEqual([all[0], all[2]]);
    expect(agsScopes([all[1], all[2]])).toEqual([all[1], all[2]]);
  });
});
