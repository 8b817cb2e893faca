/*
 * perf: the database operations each list page makes, counted on both copies of mongoose (ours and ltijs's own)
 * while a real launched session asks for the page, in a course of 60 candidates and in one of 150 (both fill a
 * page of 50). The same operations at both sizes: a page loads what it shows in a fixed number of queries,
 * never one per row. Only the request's own operations count (test/support/ops.ts), not a background job's.
 */
import { catchUpReadySections } from '../../src/mentoring';
import { seedCohort, type SeededCohort } from '../support/cohort-seed';
import type { ToolSession } from '../support/launch';
import { opsDuring, stopCounting } from '../support/ops';
import { toolSuite } from '../support/suite';

const suite = toolSuite();
afterAll(stopCounting);

interface Sessions {
  seeded: SeededCohort;
  coordinator: ToolSession;
  mentor: ToolSession;
  candidate: ToolSession;
}

const SMALL = 60;
const LARGE = 150;
const sizes: Record<number, Sessions> = {};

beforeAll(async () => {
  for (const size of [SMALL, LARGE]) {
    const seeded = await seedCohort(suite.tool, suite.platform, { candidates: size, title: `Counted cohort of ${size}` });
    sizes[size] = {
      seeded,
      coordinator: await seeded.launch(seeded.coordinator, 'Instructor'),
      mentor: await seeded.launch(seeded.mentor, 'TeachingAssistant'),
      candidate: await seeded.launch(seeded.candidate, 'Learner'),
    };
  }
}, 180_000);

/** A page's operations on its second visit (the first may fill per-process caches), after checking it shows. */
async function opsOfPage(s: Sessions, who: keyof Omit<Sessions, 'seeded'>, url: string, shows: string): Promise<string[]> {
  const first = await s[who].get(url);
  expect(first.status).toBe(200);
  expect(first.html).toContain(shows);
  const counted = await opsDuring(async () => expect((await s[who].get(url)).status).toBe(200));
  return counted.ops;
}

const pages: Array<{ page: string; who: keyof Omit<Sessions, 'seeded'>; url: (s: SeededCohort) => string; shows: string }> = [
  { page: "the coordinator's cohort page", who: 'coordinator', url: () => '/cohort', shows: 'Cora Ordinator' },
  { page: "the coordinator's grades page", who: 'coordinator', url: () => '/gradebook', shows: 'Grades in the VLE' },
  { page: 'the course roster', who: 'coordinator', url: () => '/gradebook/roster', shows: 'People on the course' },
  { page: 'the mentor dashboard (ten candidates)', who: 'mentor', url: () => '/mentoring', shows: 'Ada Abbott 1' },
  { page: "a candidate's comments and sharing page", who: 'candidate', url: (s) => `/mentoring/sections/${s.candidateSectionId}`, shows: 'Co-mentoring' },
];

describe('database operations per list page, 60 candidates against 150', () => {
  test.each(pages)('$page: the same operations at both sizes', async ({ who, url, shows }) => {
    const small = await opsOfPage(sizes[SMALL], who, url(sizes[SMALL].seeded), shows);
    const large = await opsOfPage(sizes[LARGE], who, url(sizes[LARGE].seeded), shows);
    expect(small.length).toBeGreaterThan(0); // the counter saw the page
    expect([...large].sort()).toEqual([...small].sort()); // parallel reads may be sent in either order
    expect(large.length).toBeLessThanOrEqual(25);
  });

  test("a background job's operations during the count are kept apart from the page's", async () => {
    const s = sizes[SMALL];
    const quiet = await opsOfPage(s, 'coordinator', '/gradebook/roster', 'People on the course');
    // The ready-for-review catch-up as boot's timer runs it (outside any request), in the window, beside the page.
    const caughtUp = new Promise((resolve, reject) => setImmediate(() => catchUpReadySections({ emailEnabled: false }).then(resolve, reject)));
    const busy = await opsDuring(() => Promise.all([caughtUp, s.coordinator.get('/gradebook/roster')]));
    expect(busy.result[1].status).toBe(200);
    expect([...busy.ops].sort()).toEqual([...quiet].sort());
    expect(busy.background).toContain('sections.find'); // the job did run inside the window
  });

  test('the pages show one page of rows at 150, with the way to the next', async () => {
    const { coordinator } = sizes[LARGE];
    for (const url of ['/cohort', '/gradebook', '/gradebook/roster']) {
      const page = await coordinator.get(url);
      expect(page.html).toContain('aria-label="Pages"');
      expect(page.html).toMatch(/Page 1 of [2-9]/);
    }
  });

  test('the co-mentoring peer list: a large course asks for a name and lists only matches; a small one lists everyone', async () => {
    const { candidate, seeded } = sizes[LARGE];
    const page = await candidate.get(`/mentoring/sections/${seeded.candidateSectionId}`);
    expect(page.html).toContain('This course has many candidates: find the one to invite by name.');
    expect(page.html).not.toContain('id="peerId"');
    const found = await candidate.get(`/mentoring/sections/${seeded.candidateSectionId}`, { peer: 'Tove' });
    const options = [...found.html.matchAll(/<option value="[a-f0-9]{24}">([^<]+)<\/option>/g)].map((m) => m[1]);
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((n) => n.startsWith('Tove '))).toBe(true);
    expect(options).toEqual([...options].sort(new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true }).compare));

    const small = await seedCohort(suite.tool, suite.platform, { candidates: 15, title: 'Small peer list' });
    const ada = await small.launch(small.candidate, 'Learner');
    const listed = await ada.get(`/mentoring/sections/${small.candidateSectionId}`);
    const everyone = [...listed.html.matchAll(/<option value="[a-f0-9]{24}">([^<]+)<\/option>/g)].map((m) => m[1]);
    expect(everyone).toHaveLength(13); // 14 launched candidates of 15 (one in ten never launched), less Ada herself
    expect(everyone).not.toContain(small.candidate.name);
  });
});
