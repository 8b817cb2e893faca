import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { launched, text } from '../mentoring/people';
import { ReportLink } from '../../src/scheme/reports/report-links.model';
import { Application } from '../../src/scheme/scheme.model';
import { Membership } from '../../src/people/membership.model';
import { aCandidateWithAPlace, schemeSettings } from './helpers';

// The tool's clock is moved forward to expire a link without waiting.
const DAY = 24 * 60 * 60 * 1000;
let offset = 0;
let platform: TestPlatform;
let tool: TestTool;
beforeAll(async () => {
  platform = await startTestPlatform();
  tool = await startTestTool({ platform, clock: () => new Date(Date.now() + offset) });
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
});

/** What a manager's browser gets: no cookie, no session token; the link is the only key. */
async function open(path: string) {
  const res = await fetch(`${tool.baseUrl}${path}`, { redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: await res.text() };
}
const tokenIn = (html: string) => /\/scheme-report\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(html)?.[1] ?? '';
const rowsOf = (html: string, id: string) => {
  const section = new RegExp(`<section aria-labelledby="${id}"[\\s\\S]*?</section>`).exec(html)![0];
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1])));
};

describe('report links for a coordinator’s manager', () => {
  test('a link shows the chosen cohorts’ report and CSVs, read-only; revoked, expired and tampered links show a plain page; another course cannot list or revoke it', async () => {
    const coraUser = platform.user({ name: 'Cora Links', email: 'cora.links@example.ac.uk' });
    const lastYear = platform.course({ title: 'CMALT 2025-26' });
    const thisYear = platform.course({ title: 'CMALT 2026-27' });
    const coraOld = await launched(tool, platform, lastYear, 'Instructor', coraUser);
    const cora = await launched(tool, platform, thisYear, 'Instructor', coraUser);
    const olly = await launched(tool, platform, platform.course({ title: 'Elsewhere' }), 'Instructor', platform.user({ name: 'Olly Elsewhere' }));
    expect((await coraOld.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2025-26', startsOn: '2025-09-01', endsOn: '2026-06-30' }))).status).toBe(200);
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2026-27' }))).status).toBe(200);
    await aCandidateWithAPlace(tool, platform, lastYear, coraOld, 'Amy Earlier');
    const dee = await aCandidateWithAPlace(tool, platform, thisYear, cora, 'Dee Linked');
    await aCandidateWithAPlace(tool, platform, thisYear, cora, 'Eli Linked', { accept: false });

    // Every coordinator page carries the same navigation, so Funded submissions, Reports and Report links are one step away.
    for (const [path, current] of [['/scheme/manage/applications', 'Applications'], ['/scheme/manage/meetings', 'Meetings'], ['/scheme/manage/report-links', 'Report links']]) {
      const nav = /<nav class="subnav" aria-label="Scheme coordination">([\s\S]*?)<\/nav>/.exec((await cora.get(path)).html)![1];
      expect([...nav.matchAll(/href="([^"?]*)/g)].map((m) => m[1])).toEqual(['/scheme/manage', '/scheme/manage/applications', '/scheme/manage/meetings', '/scheme/manage/groups', '/scheme/manage/next-cohort', '/scheme/manage/funding', '/scheme/manage/reports', '/scheme/manage/report-links']);
      expect(text(/<a [^>]*aria-current="page"[^>]*>([\s\S]*?)<\/a>/.exec(nav)![1])).toBe(current);
    }

    // Bad input: refused with a message on the field, nothing made.
    const bad = await cora.post('/scheme/manage/report-links', { label: '', scope: 'everything', days: '365' });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Enter who the link is for');
    expect(text(bad.html)).toContain('Choose which cohorts the link shows.');
    expect(text(bad.html)).toContain('A link works for at most 90 days');
    expect(await ReportLink.countDocuments({})).toBe(0);

    // This cohort, for 30 days: the link is shown once; only its hash is stored.
    const made = await cora.post('/scheme/manage/report-links', { label: 'Mo Manager', scope: 'course', days: '30' });
    expect(made.status).toBe(201);
    const token = tokenIn(made.html);
    expect(token).not.toBe('');
    const stored = (await ReportLink.findOne({ label: 'Mo Manager' }).lean())!;
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(text((await cora.get('/scheme/manage/report-links')).html)).toContain('Mo Manager');
    expect((await cora.get('/scheme/manage/report-links')).html).not.toContain(token);

    const page = await open(`/scheme-report/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-robots-tag')).toContain('noindex');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toContain('no-store');
    expect(page.body).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(text(page.body)).toContain('Shared by Cora Links, scheme coordinator. Showing Set of 2026-27.');
    expect(rowsOf(page.body, 'funnel-cohort').slice(1)).toEqual([['Set of 2026-27', '2', '0', '1', '1', '0', '0', '0', '0'], ['All', '2', '0', '1', '1', '0', '0', '0', '0']]);
    expect(page.body).toMatch(/<svg[^>]*role="img"/);
    expect(page.body).not.toContain('Amy Earlier');
    // read-only: no form, no session, no link into the tool's own pages
    expect(page.body).not.toMatch(/<form|name="ltik"|csrf-token|\/scheme\/manage/);
    const csv = await open(`/scheme-report/${token}/funnel-cohort.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain('"Set of 2026-27",2,0,1,1,0,0,0,0');
    expect((await open(`/scheme-report/${token}/no-such-table.csv`)).status).toBe(404);
    expect((await open(`/scheme-report/${token}/anything/else`)).status).toBe(404);
    expect((await open(`/scheme-report/${token}`)).status).toBe(200);
    expect((await ReportLink.findById(stored._id).lean())!.lastOpenedAt).not.toBeNull();

    // Lists of people come a page at a time here too, and the next page's link works without a session.
    await Application.insertMany(Array.from({ length: 20 }, (_, i) => ({ courseId: dee.courseId, userId: `seeded-${i}`, name: `Person ${String(i + 1).padStart(2, '0')}`, state: 'accepted', submittedAt: new Date(), site: 'City campus' })));
    const long = await open(`/scheme-report/${token}`);
    expect(text(long.body)).toContain('21 people, page 1 of 2.');
    const next = /<a href="([^"]*page_attendance-people=2[^"]*)">Next page/.exec(long.body)![1].replace(/&amp;/g, '&');
    expect(next.startsWith(`/scheme-report/${token}?`)).toBe(true);
    const second = await open(next);
    expect(second.status).toBe(200);
    expect(rowsOf(second.body, 'attendance-people').slice(1).map((r) => r[0])).toEqual(['Person 20']);
    await Application.deleteMany({ userId: /^seeded-/ });

    // Every cohort she coordinates on this VLE.
    const all = tokenIn((await cora.post('/scheme/manage/report-links', { label: 'Mo, both years', scope: 'all', days: '7' })).html);
    const both = await open(`/scheme-report/${all}`);
    expect(both.status).toBe(200);
    expect(rowsOf(both.body, 'funnel-cohort').slice(1).map((r) => r[0])).toEqual(['Set of 2025-26', 'Set of 2026-27', 'All']);
    expect(both.body).not.toContain('Elsewhere');

    // Tampered: any change to the body or signature, or a made-up token, is a plain 404 that shows nothing.
    const [body, sig] = token.split('.');
    for (const wrong of [`${body}.${sig.slice(0, -2)}xx`, `${body.slice(0, -2)}AA.${sig}`, 'not-a-token', `${all.split('.')[0]}.${sig}`]) {
      const r = await open(`/scheme-report/${wrong}`);
      expect(r.status).toBe(404);
      expect(text(r.body)).toContain('This link does not open a report');
      expect(r.body).not.toContain('Set of 2026-27');
      expect((await open(`/scheme-report/${wrong}/funnel-cohort.csv`)).status).toBe(404);
    }

    // Another course's coordinator: does not see the link, cannot revoke it (404), and it still works.
    expect(text((await olly.get('/scheme/manage/report-links')).html)).not.toContain('Mo Manager');
    expect((await olly.post(`/scheme/manage/report-links/${stored._id}/revoke`)).status).toBe(404);
    expect((await dee.s.post(`/scheme/manage/report-links/${stored._id}/revoke`)).status).toBe(403);
    expect((await cora.post('/scheme/manage/report-links/not-an-id/revoke')).status).toBe(404);
    expect((await open(`/scheme-report/${token}`)).status).toBe(200);
    // The coordinator of last year's course (the same person, another course) cannot revoke this course's link.
    expect((await coraOld.post(`/scheme/manage/report-links/${stored._id}/revoke`)).status).toBe(404);

    // Revoked: 410, a plain page; revoking again changes nothing.
    const revoked = await cora.post(`/scheme/manage/report-links/${stored._id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(text(revoked.html)).toContain('The link is revoked.');
    const gone = await open(`/scheme-report/${token}`);
    expect(gone.status).toBe(410);
    expect(text(gone.body)).toContain('This link has been withdrawn');
    expect(gone.body).not.toContain('Set of 2026-27');
    expect((await open(`/scheme-report/${token}/funnel-cohort.csv`)).status).toBe(410);
    expect((await cora.post(`/scheme/manage/report-links/${stored._id}/revoke`)).status).toBe(409);
    expect((await open(`/scheme-report/${all}`)).status).toBe(200); // the other link is untouched

    // A maker who is no longer the course's coordinator (launched since with another role) shares nothing; again
    // coordinator, the link works again until it expires.
    const makerOf = { user: stored.createdBy, course: stored.courseId };
    await launched(tool, platform, thisYear, 'Learner', coraUser);
    expect((await Membership.findOne(makerOf).lean())!.appRoles).not.toContain('coordinator');
    expect((await open(`/scheme-report/${all}`)).status).toBe(410);
    await launched(tool, platform, thisYear, 'Instructor', coraUser);
    expect((await open(`/scheme-report/${all}`)).status).toBe(200);

    // Expired: eight days on, the seven-day link is a plain 410.
    offset = 8 * DAY;
    const expired = await open(`/scheme-report/${all}`);
    expect(expired.status).toBe(410);
    expect(text(expired.body)).toContain('This link has expired');
    expect((await open(`/scheme-report/${all}/funnel-cohort.csv`)).status).toBe(410);
    offset = 0;

    // The coordinator's list of links comes 20 a page, newest first.
    await ReportLink.insertMany(Array.from({ length: 20 }, (_, i) => ({ courseId: stored.courseId, issuer: stored.issuer, createdBy: stored.createdBy, createdByName: 'Cora Links', label: `Old link ${String(i + 1).padStart(2, '0')}`, scope: 'course', tokenHash: `seeded-${i}`, expiresAt: new Date(Date.now() - DAY), createdAt: new Date(Date.now() - (i + 2) * DAY) })));
    const listed = text((await cora.get('/scheme/manage/report-links')).html);
    expect(listed).toContain('22 links, page 1 of 2.');
    expect(listed).toContain('Mo, both years');
    expect(listed).not.toContain('Old link 20');
    expect(text((await cora.get('/scheme/manage/report-links', { page: '2' })).html)).toContain('Old link 20');

    // Rate-limited: guessing tokens from one address soon gets a plain 429 (60 a minute), whatever the token.
    let limited: Awaited<ReturnType<typeof open>> | undefined;
    for (let i = 0; i < 61 && !limited; i++) {
      const r = await open(`/scheme-report/guess-${i}.x`);
      if (r.status === 429) limited = r;
      else expect(r.status).toBe(404);
    }
    expect(limited).toBeDefined();
    expect(text(limited!.body)).toContain('Too many requests for this page.');
    expect(limited!.headers.get('x-robots-tag')).toContain('noindex');
  });
});
