import type { TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';
import { toolSuite } from '../support/suite';
import { launched, text } from '../mentoring/people';
import { Meeting } from '../../src/scheme/meetings.model';
import { Application } from '../../src/scheme/scheme.model';
import { Portfolio, Section } from '../../src/portfolio';
import { csvCell, toCsv } from '../../src/http/csv';
import { barChart } from '../../src/scheme/reports/charts';
import { financialYearOf } from '../../src/scheme/funding.service';
import { aCandidateWithAPlace, schemeSettings } from './helpers';

// Two VLEs registered with one tool: the same person (sub) on the other VLE must not reach these reports.
const vles = toolSuite({ secondVle: true });
let platform: TestPlatform;
let otherVle: TestPlatform;
let tool: TestTool;
beforeAll(() => ({ platform, tool, otherVle } = vles));

const DAY = 24 * 60 * 60 * 1000;
/** The rows of the table whose heading is `title`, as text, from the page's HTML. */
function rowsOf(html: string, id: string): string[][] {
  const section = new RegExp(`<section aria-labelledby="${id}"[\\s\\S]*?</section>`).exec(html)![0];
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1])));
}
const csvLines = (body: string) => body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

describe('CSV cells', () => {
  test('text is quoted with quotes doubled; a cell a spreadsheet would run as a formula starts with an apostrophe', () => {
    expect(csvCell('Ann "Nan" Smith, MA')).toBe('"Ann ""Nan"" Smith, MA"');
    for (const evil of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(evil).startsWith(`"'${evil[0]}`)).toBe(true);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(toCsv(['A', 'B'], [['x', 1]])).toBe('\uFEFF"A","B"\r\n"x",1\r\n');
  });
});

describe('charts', () => {
  test('an image named by its title, its figures in words, every text escaped', () => {
    const svg = barChart('c', 'Sites & <more>', [{ label: '<b>North</b>', value: 3 }, { label: 'South', value: 1, of: 2 }], 'people');
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).toContain('<title id="c-title">Sites &amp; &lt;more&gt;</title>');
    expect(svg).toContain('<desc id="c-desc">&lt;b&gt;North&lt;/b&gt;: 3 people; South: 1 of 2 people.</desc>');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toMatch(/<script|on[a-z]+=/i);
  });
});

describe('the coordinator’s reports', () => {
  test('the funnel, attendance, mentor contact and funding, by cohort, site and year, across the coordinator’s cohorts on one VLE, with CSV', async () => {
    const coraUser = platform.user({ name: 'Cora Report', email: 'cora.report@example.ac.uk' });
    const lastYear = platform.course({ title: 'CMALT 2025-26' });
    const thisYear = platform.course({ title: 'CMALT 2026-27' });
    const elsewhere = platform.course({ title: 'Someone else’s cohort' });
    const coraOld = await launched(tool, platform, lastYear, 'Instructor', coraUser);
    const cora = await launched(tool, platform, thisYear, 'Instructor', coraUser);
    const olly = await launched(tool, platform, elsewhere, 'Instructor', platform.user({ name: 'Olly Elsewhere' }));
    expect((await coraOld.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2025-26', startsOn: '2025-09-01', endsOn: '2026-06-30', sites: 'City campus\n=Evil site' }))).status).toBe(200);
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2026-27', places: '4' }))).status).toBe(200);
    expect((await olly.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Elsewhere set' }))).status).toBe(200);

    // Last year's set: two with a place (one at a site named like a formula), one of whom withdrew.
    const amy = await aCandidateWithAPlace(tool, platform, lastYear, coraOld, 'Amy Old');
    const bob = await aCandidateWithAPlace(tool, platform, lastYear, coraOld, '@Bob Old', { site: '=Evil site' });
    expect((await bob.s.post('/scheme/place/withdraw', { reason: 'Moved away.' })).status).toBe(200);
    // This year's: three with a place, one waiting; Dee passes, Eli is supported by the coordinator's note.
    const dee = await aCandidateWithAPlace(tool, platform, thisYear, cora, 'Dee New');
    const eli = await aCandidateWithAPlace(tool, platform, thisYear, cora, 'Eli New', { site: 'North college' });
    const fay = await aCandidateWithAPlace(tool, platform, thisYear, cora, 'Fay New');
    const gus = await aCandidateWithAPlace(tool, platform, thisYear, cora, 'Gus New', { accept: false });
    expect((await cora.post(`/scheme/manage/applications/${gus.applicationId}/waitlist`)).status).toBe(200);
    expect((await cora.post(`/scheme/manage/applications/${eli.applicationId}/support`, { answer: 'yes', comment: 'Told me in person.' })).status).toBe(200);
    // Elsewhere: one applicant who must never be counted here.
    await aCandidateWithAPlace(tool, platform, elsewhere, olly, 'Zed Elsewhere');

    // A meeting held this year: Dee and Fay came.
    const created = await cora.post('/scheme/manage/meetings', { title: 'Kick-off', startsAt: new Date(Date.now() + DAY).toISOString().slice(0, 16), endsAt: new Date(Date.now() + DAY + 3_600_000).toISOString().slice(0, 16), place: 'Room 1', onlineUrl: '', agenda: '' });
    const meetingId = /\/scheme\/manage\/meetings\/([0-9a-f]{24})/.exec(created.url)![1];
    await Meeting.updateOne({ _id: meetingId }, { $set: { startsAt: new Date(Date.now() - 2 * 3_600_000), endsAt: new Date(Date.now() - 3_600_000) } });
    expect((await cora.postJson(`/scheme/manage/meetings/${meetingId}/attendance`, { attended: [dee.userId, fay.userId] })).status).toBe(200);

    // Dee: a portfolio with a comment from the coordinator, submitted and passed, and a funded submission.
    expect((await dee.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' })).status).toBe(200);
    expect((await fay.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Learning design' })).status).toBe(200);
    const deePortfolio = (await Portfolio.findOne({ courseId: dee.courseId, userId: dee.userId }).lean())!;
    const section = (await Section.findOne({ portfolio: deePortfolio._id }).lean())!;
    expect((await fay.s.post(`/mentoring/sections/${section._id}/comments`, { body: 'Not a mentor.' })).status).toBe(404);
    expect((await cora.post(`/mentoring/sections/${section._id}/comments`, { body: 'A good start.' })).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect((await dee.s.post(`/export/portfolios/${deePortfolio._id}/submission`, { kind: 'first', route: 'url', submittedOn: today })).status).toBe(200);
    expect((await cora.post(`/export/portfolios/${deePortfolio._id}/submission/outcome`, { result: 'pass', decidedOn: today, certifiedOn: today })).status).toBe(200);
    expect((await cora.post('/scheme/manage/funding/allocate', { applicationId: dee.applicationId })).status).toBe(200);
    expect((await coraOld.post('/scheme/manage/funding/allocate', { applicationId: amy.applicationId })).status).toBe(200);

    // This course only (the default).
    const page = await cora.get('/scheme/manage/reports');
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Showing Set of 2026-27.');
    const head = ['Applied', 'Supported', 'Accepted', 'Active', 'Submitted', 'Passed', 'Withdrawn', 'Deferred'];
    expect(rowsOf(page.html, 'funnel-cohort')).toEqual([['Cohort', ...head], ['Set of 2026-27', '4', '1', '3', '3', '1', '1', '0', '0'], ['All', '4', '1', '3', '3', '1', '1', '0', '0']]);
    expect(rowsOf(page.html, 'funnel-site')).toEqual([['Site', ...head], ['City campus', '3', '0', '2', '2', '1', '1', '0', '0'], ['North college', '1', '1', '1', '1', '0', '0', '0', '0'], ['All', '4', '1', '3', '3', '1', '1', '0', '0']]);
    expect(rowsOf(page.html, 'attendance-meetings')[1]).toEqual(['Kick-off', 'Set of 2026-27', expect.any(String), '2', '3']);
    expect(rowsOf(page.html, 'attendance-people').slice(1)).toEqual([
      ['Dee New', 'Set of 2026-27', 'City campus', '1', '1', '100%'],
      ['Eli New', 'Set of 2026-27', 'North college', '0', '1', '0%'],
      ['Fay New', 'Set of 2026-27', 'City campus', '1', '1', '100%'],
    ]);
    // Longest without contact first: Eli and Fay have none; Dee heard from the coordinator today.
    expect(rowsOf(page.html, 'mentor-contact').slice(1).map((r) => [r[0], r[2], r[3]])).toEqual([
      ['Eli New', 'No mentor contact yet', '–'],
      ['Fay New', 'No mentor contact yet', '–'],
      ['Dee New', expect.stringMatching(/\d{4} at \d\d:\d\d$/), '0'],
    ]);
    const fy = rowsOf(page.html, 'funding').slice(1);
    expect(fy).toHaveLength(1);
    expect(fy[0].slice(1)).toEqual(['Set of 2026-27', '1', '8', '£250', '£2,000']);
    // the charts: images with a title and their figures in words, no script anywhere
    expect(page.html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="funnel-chart-title funnel-chart-desc"/);
    expect(page.html).toContain('Applied: 4 applications; Supported: 1 applications; Accepted: 3 applications; Active: 3 applications; Submitted: 1 applications; Passed: 1 applications; Withdrawn: 0 applications; Deferred: 0 applications.');
    // only the scripts every page carries (the frame's size, the session, autosave): the charts need none
    expect([...page.html.matchAll(/<script[^>]*src="([^"]*)"/g)].map((m) => m[1]).sort()).toEqual(['/public/js/autosave.js', '/public/js/bind-secret.js', '/public/js/frame.js']);
    expect(page.html).not.toMatch(/<script(?![^>]*src=)/);

    // Across years: both of Cora's cohorts on this VLE, never the course she does not coordinate.
    const all = await cora.get('/scheme/manage/reports', { cohort: 'all' });
    expect(all.status).toBe(200);
    expect(text(all.html)).toContain('Showing every cohort you coordinate (2).');
    expect(rowsOf(all.html, 'funnel-cohort').slice(1)).toEqual([
      ['Set of 2025-26', '2', '0', '2', '1', '0', '0', '1', '0'],
      ['Set of 2026-27', '4', '1', '3', '3', '1', '1', '0', '0'],
      ['All', '6', '1', '5', '4', '1', '1', '1', '0'],
    ]);
    // every application was sent today, so in this financial year
    expect(rowsOf(all.html, 'funnel-year').slice(1)).toEqual([[financialYearOf(new Date()).label, '6', '1', '5', '4', '1', '1', '1', '0'], ['All', '6', '1', '5', '4', '1', '1', '1', '0']]);
    expect(all.html).not.toContain('Zed Elsewhere');
    expect(all.html).not.toContain('Elsewhere set');

    // CSV of each table: the same figures; a formula-like cell made harmless.
    const csv = await cora.get('/scheme/manage/reports/funnel-site.csv', { cohort: 'all' });
    expect(csv.status).toBe(200);
    expect(csvLines(csv.html)).toEqual([
      '"Site","Applied","Supported","Accepted","Active","Submitted","Passed","Withdrawn","Deferred"',
      '"\'=Evil site",1,0,1,0,0,0,1,0',
      '"City campus",4,0,3,3,1,1,0,0',
      '"North college",1,1,1,1,0,0,0,0',
      '"All",6,1,5,4,1,1,1,0',
    ]);
    const people = csvLines((await cora.get('/scheme/manage/reports/attendance-people.csv', { cohort: 'all' })).html);
    expect(people[0]).toBe('"Person","Cohort","Site","Attended","Meetings held","Share attended"');
    expect(people).toContain('"\'@Bob Old","Set of 2025-26","\'=Evil site",0,0,"–"');
    const funding = csvLines((await cora.get('/scheme/manage/reports/funding.csv', { cohort: 'all' })).html);
    expect(funding.slice(1).map((l) => l.split(',').slice(1, 3).join(','))).toEqual(['"Set of 2025-26",1', '"Set of 2026-27",1']);

    // URL guessing: a candidate 403; another course's coordinator, and the same person on another VLE, 404.
    expect((await dee.s.get('/scheme/manage/reports')).status).toBe(403);
    expect((await dee.s.get('/scheme/manage/reports/funnel-site.csv')).status).toBe(403);
    const ollyTries = await olly.get('/scheme/manage/reports', { cohort: dee.courseId });
    expect(ollyTries.status).toBe(404);
    expect(ollyTries.html).not.toContain('Dee New');
    expect((await olly.get('/scheme/manage/reports/attendance-people.csv', { cohort: dee.courseId })).status).toBe(404);
    const ollyAll = await olly.get('/scheme/manage/reports', { cohort: 'all' });
    expect(ollyAll.html).not.toContain('Dee New');
    const vera = await launched(tool, otherVle, otherVle.course({ title: 'Other VLE course' }), 'Instructor', otherVle.user({ id: coraUser.id, name: 'Cora Report' }));
    expect((await vera.get('/scheme/manage/reports', { cohort: dee.courseId })).status).toBe(404);
    expect((await vera.get('/scheme/manage/reports/funnel-cohort.csv', { cohort: dee.courseId })).status).toBe(404);
    const veraAll = await vera.get('/scheme/manage/reports', { cohort: 'all' });
    expect(veraAll.html).not.toContain('Set of 2026-27');
    expect((await cora.get('/scheme/manage/reports', { cohort: 'not-an-id' })).status).toBe(404);
    expect((await cora.get('/scheme/manage/reports/no-such-table.csv')).status).toBe(404);
  });

  test('lists of people come a page at a time, each table paging on its own', async () => {
    const course = platform.course({ title: 'Big set' });
    const cora = await launched(tool, platform, course, 'Instructor', platform.user({ name: 'Cora Big' }));
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Big set', places: '30' }))).status).toBe(200);
    const first = await aCandidateWithAPlace(tool, platform, course, cora, 'Aaron Big');
    // 20 more with a place, written straight in: the pages are what is under test here, not applying.
    await Application.insertMany(Array.from({ length: 20 }, (_, i) => ({ courseId: first.courseId, userId: `seeded-${i}`, name: `Person ${String(i + 1).padStart(2, '0')}`, state: 'accepted', submittedAt: new Date(), site: 'City campus' })));
    const one = await cora.get('/scheme/manage/reports');
    expect(text(one.html)).toContain('21 people, page 1 of 2.');
    expect(rowsOf(one.html, 'attendance-people')).toHaveLength(21); // header and 20
    const two = await cora.get('/scheme/manage/reports', { page_attendance_people: '2' });
    expect(rowsOf(two.html, 'attendance-people')).toHaveLength(21); // the parameter of another name changes nothing
    const next = /<a href="([^"]*page_attendance-people=2[^"]*)">Next page/.exec(one.html)![1].replace(/&amp;/g, '&');
    const paged = await cora.get(new URL(next, tool.baseUrl).pathname + new URL(next, tool.baseUrl).search.replace(/[?&]ltik=[^&]*/, ''));
    expect(rowsOf(paged.html, 'attendance-people').slice(1).map((r) => r[0])).toEqual(['Person 20']);
    expect(rowsOf(paged.html, 'mentor-contact')).toHaveLength(21); // the other list stays on its first page
    const csv = csvLines((await cora.get('/scheme/manage/reports/mentor-contact.csv')).html);
    expect(csv).toHaveLength(22); // every row, not a page
  });
});
