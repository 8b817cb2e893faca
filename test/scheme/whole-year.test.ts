import ical, { type VEvent } from 'node-ical';
import { DateTime } from 'luxon';
import { toolSuite } from '../support/suite';
import { launched, sectionNow, text } from '../mentoring/people';
import { Application, SchemeEmail, SchemeSettings } from '../../src/scheme/scheme.model';
import { Meeting } from '../../src/scheme/meetings.model';
import { FundingAllocation } from '../../src/scheme/funding.model';
import { financialYearOf } from '../../src/scheme/funding.service';
import { Portfolio, Section } from '../../src/portfolio';
import { Course } from '../../src/people/course.model';
import { Comment } from '../../src/mentoring/models';
import { applicationForm, schemeSettings } from './helpers';

/**
 * The issue's whole year, through the test VLE: a call, five applications, support by link, selection to a cap
 * of three with a waiting list and a decline, a withdrawal that offers the place on, meetings in a calendar
 * feed, attendance, two funded submissions either side of a financial year's start, and the reports' figures
 * and CSV checked against all of it, and a deferral into the next cohort's course with every word kept.
 */
let clockNow = new Date();
const suite = toolSuite({ tool: { clock: () => clockNow } });

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const events = (body: string) => Object.values(ical.sync.parseICS(body)).filter((c): c is VEvent => c?.type === 'VEVENT');
const csvLines = (body: string) => body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
function rowsOf(html: string, id: string): string[][] {
  const section = new RegExp(`<section aria-labelledby="${id}"[\\s\\S]*?</section>`).exec(html)![0];
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1])));
}
async function anonymous(path: string, fields?: Record<string, string>) {
  const res = await fetch(new URL(path, suite.tool.baseUrl), fields ? { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' } : { redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

test('a whole year of the scheme, from the call for volunteers to the reports', async () => {
  clockNow = new Date();
  const course = suite.platform.course({ title: 'CMALT learning set 2026-27' });
  const coraUser = suite.platform.user({ name: 'Cora Year', email: 'cora.year@example.ac.uk' });
  const cora = await launched(suite.tool, suite.platform, course, 'Instructor', coraUser);

  // The call opens: three places, eight funded submissions a year at £250 each.
  expect((await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2026-27', places: '3', fundedPerYear: '8', fee: '250' }))).status).toBe(200);

  // Five apply through the form they see on launching.
  const names = ['Ann', 'Ben', 'Cat', 'Dan', 'Eve'];
  const people: Record<string, { s: Awaited<ReturnType<typeof launched>>; id: string; userId: string; user: ReturnType<typeof suite.platform.user> }> = {};
  for (const n of names) {
    const user = suite.platform.user({ name: `${n} Year`, email: `${n.toLowerCase()}.year@example.ac.uk` });
    const s = await launched(suite.tool, suite.platform, course, 'Learner', user);
    expect(new URL(s.url).pathname).toBe('/scheme');
    expect((await s.post('/scheme/application/send', applicationForm(`${n} Year`, n === 'Ben' ? 'North college' : 'City campus'))).status).toBe(200);
    const app = (await Application.findOne({ name: `${n} Year` }).lean())!;
    people[n] = { s, id: String(app._id), userId: app.userId, user };
  }
  const { Ann: ann, Ben: ben, Cat: cat, Dan: dan, Eve: eve } = people;

  // Four line managers confirm by the link in their email; a reused link changes nothing.
  const linkFor = async (n: string) => {
    const mail = (await SchemeEmail.findOne({ to: applicationForm(`${n} Year`).lineManagerEmail }).lean())!;
    return new URL(/https?:\/\/\S+\/scheme-support\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0]).pathname;
  };
  for (const n of ['Ann', 'Ben', 'Cat', 'Dan']) {
    const link = await linkFor(n);
    expect(text((await anonymous(link)).body)).toContain(`Do you support ${n} Year’s application?`);
    expect((await anonymous(link, { answer: 'yes', comment: 'Happy to support.' })).status).toBe(200);
  }
  expect((await anonymous(await linkFor('Ann'), { answer: 'no' })).status).toBe(410);
  expect(await Application.countDocuments({ support: 'supported' })).toBe(4);
  expect((await Application.findById(eve.id).lean())!.support).toBe('asked');

  // Three accepted with a cap of three; a fourth refused; one waiting, one declined.
  for (const p of [ann, ben, cat]) expect((await cora.post(`/scheme/manage/applications/${p.id}/accept`)).status).toBe(200);
  const fourth = await cora.post(`/scheme/manage/applications/${dan.id}/accept`);
  expect(fourth.status).toBe(409);
  expect(text(fourth.html)).toContain('All 3 places are taken');
  expect((await cora.post(`/scheme/manage/applications/${dan.id}/waitlist`)).status).toBe(200);
  expect((await cora.post(`/scheme/manage/applications/${eve.id}/decline`, { reason: 'No line manager support yet; please apply next year.' })).status).toBe(200);

  // Cat withdraws: the place is offered to Dan, who takes it.
  expect((await cat.s.post('/scheme/place/withdraw', { reason: 'A new job.' })).status).toBe(200);
  expect((await dan.s.get('/scheme')).html).toContain('Accept the place');
  expect((await dan.s.post('/scheme/place/accept')).status).toBe(200);
  expect((await SchemeSettings.findOne({}).lean())!.placesTaken).toBe(3);

  // A meeting in everyone's feed; a change reaches the feed.
  const kickoff = DateTime.now().setZone('Europe/London').plus({ days: 7 }).set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
  const at = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm");
  const made = await cora.post('/scheme/manage/meetings', { title: 'Kick-off', startsAt: at(kickoff), endsAt: at(kickoff.plus({ hours: 1 })), place: 'Library room 2', onlineUrl: '', agenda: 'Plan the year.' });
  expect(made.status).toBe(200);
  const meetingId = /\/scheme\/manage\/meetings\/([0-9a-f]{24})/.exec(made.url)![1];
  expect((await dan.s.post('/scheme/meetings/feed')).status).toBe(200);
  const feedPath = new URL(/value="(https?:\/\/[^"]+\/scheme-calendar\/[^"]+)"/.exec((await dan.s.get('/scheme/meetings')).html)![1]).pathname;
  const [first] = events((await anonymous(feedPath)).body);
  expect(first.summary).toBe('Kick-off');
  expect(first.start.toISOString()).toBe(kickoff.toJSDate().toISOString());
  const moved = kickoff.plus({ days: 1, hours: 1 });
  expect((await cora.post(`/scheme/manage/meetings/${meetingId}`, { title: 'Kick-off', startsAt: at(moved), endsAt: at(moved.plus({ hours: 1 })), place: 'Library room 2', onlineUrl: '', agenda: 'Plan the year.' })).status).toBe(200);
  const [changed] = events((await anonymous(feedPath)).body);
  expect(changed.start.toISOString()).toBe(moved.toJSDate().toISOString());
  expect(Number(changed.sequence)).toBe(Number(first.sequence ?? 0) + 1);

  // The meeting happens (moved into the past as time would), and attendance is recorded: Ann and Dan came.
  await Meeting.updateOne({ _id: meetingId }, { $set: { startsAt: new Date(Date.now() - 2 * HOUR), endsAt: new Date(Date.now() - HOUR) } });
  expect((await cora.postJson(`/scheme/manage/meetings/${meetingId}/attendance`, { attended: [ann.userId, dan.userId] })).status).toBe(200);

  // Ann writes, hears from the coordinator, submits and passes.
  expect((await ann.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' })).status).toBe(200);
  const annPortfolio = (await Portfolio.findOne({ userId: ann.userId }).lean())!;
  const section = (await Section.findOne({ portfolio: annPortfolio._id }).lean())!;
  expect((await cora.post(`/mentoring/sections/${section._id}/comments`, { body: 'A strong start.' })).status).toBe(200);
  const today = new Date().toISOString().slice(0, 10);
  expect((await ann.s.post(`/export/portfolios/${annPortfolio._id}/submission`, { kind: 'first', route: 'url', submittedOn: today })).status).toBe(200);
  expect((await cora.post(`/export/portfolios/${annPortfolio._id}/submission/outcome`, { result: 'pass', decidedOn: today, certifiedOn: today })).status).toBe(200);

  // Dan writes, then defers: the coordinator names the next cohort's course, and Dan finds every word there.
  expect((await dan.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Learning design' })).status).toBe(200);
  const danPortfolio = (await Portfolio.findOne({ userId: dan.userId }).lean())!;
  const danSection = String((await Section.findOne({ portfolio: danPortfolio._id, areaId: 'future-plans' }).lean())!._id);
  const danWords = 'Next year I will redesign the induction course with the partner colleges.';
  expect((await dan.s.post(`/portfolio/sections/${danSection}`, { baseVersion: String((await sectionNow(danSection)).version), format: 'text', body: danWords })).status).toBe(200);
  expect((await dan.s.post('/scheme/place/defer', { deferReason: 'A busy year at work.' })).status).toBe(200);
  const nextCourse = suite.platform.course({ title: 'CMALT learning set 2027-28' });
  const coraNext = await launched(suite.tool, suite.platform, nextCourse, 'Instructor', coraUser);
  expect((await coraNext.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set of 2027-28', startsOn: '2027-09-01', endsOn: '2028-06-30', places: '3' }))).status).toBe(200);
  const nextId = String((await Course.findOne({ title: 'CMALT learning set 2027-28' }).lean())!._id);
  expect((await cora.post('/scheme/manage/next-cohort', { nextCourseId: nextId })).status).toBe(200);
  const danNext = await launched(suite.tool, suite.platform, nextCourse, 'Learner', dan.user);
  expect(new URL(danNext.url).pathname).toBe('/portfolio');
  expect(text((await danNext.get(`/portfolio/sections/${danSection}`)).html)).toContain(danWords);
  expect((await Portfolio.findById(danPortfolio._id).lean())!.courseId).toBe(nextId);

  // Two funded submissions: 31 March 23:30 and 1 April 00:30, London time, fall in two financial years.
  clockNow = new Date('2027-03-31T22:30:00Z');
  expect((await cora.post('/scheme/manage/funding/allocate', { applicationId: ann.id })).status).toBe(200);
  clockNow = new Date('2027-03-31T23:30:00Z');
  expect((await cora.post('/scheme/manage/funding/allocate', { applicationId: ben.id })).status).toBe(200);
  expect((await FundingAllocation.find({}).sort({ allocatedAt: 1 }).lean()).map((a) => [a.name, a.fy])).toEqual([['Ann Year', '2026-27'], ['Ben Year', '2027-28']]);

  // The reports agree with all of that.
  const report = await cora.get('/scheme/manage/reports');
  expect(report.status).toBe(200);
  const stages = ['Applied', 'Supported', 'Accepted', 'Active', 'Submitted', 'Passed', 'Withdrawn', 'Deferred'];
  // five applied, four supported, four ever had a place, two have one now, Ann submitted and passed, Cat withdrew, Dan deferred
  const funnel = ['5', '4', '4', '2', '1', '1', '1', '1'];
  expect(rowsOf(report.html, 'funnel-cohort')).toEqual([['Cohort', ...stages], ['Set of 2026-27', ...funnel], ['All', ...funnel]]);
  expect(rowsOf(report.html, 'funnel-site').slice(1)).toEqual([['City campus', '4', '3', '3', '1', '1', '1', '1', '1'], ['North college', '1', '1', '1', '1', '0', '0', '0', '0'], ['All', ...funnel]]);
  expect(rowsOf(report.html, 'funnel-year').slice(1)).toEqual([[financialYearOf(new Date()).label, ...funnel], ['All', ...funnel]]);
  expect(rowsOf(report.html, 'attendance-meetings').slice(1).map((r) => [r[0], r[3], r[4]])).toEqual([['Kick-off', '2', '2']]); // invited now: Ann and Ben (Dan deferred)
  expect(rowsOf(report.html, 'attendance-people').slice(1).map((r) => [r[0], r[3], r[4], r[5]])).toEqual([
    ['Ann Year', '1', '1', '100%'], ['Ben Year', '0', '1', '0%'], ['Cat Year', '0', '1', '0%'], ['Dan Year', '1', '1', '100%'],
  ]);
  const commentAt = (await Comment.findOne({ section: section._id }).lean())!.createdAt;
  const days = Math.floor((clockNow.getTime() - commentAt.getTime()) / DAY);
  expect(rowsOf(report.html, 'mentor-contact').slice(1).map((r) => [r[0], r[3]])).toEqual([['Ben Year', '–'], ['Ann Year', String(days)]]); // Dan has no place here now
  expect(rowsOf(report.html, 'funding').slice(1)).toEqual([
    ['2026-27', 'Set of 2026-27', '1', '8', '£250', '£2,000'],
    ['2027-28', 'Set of 2026-27', '1', '8', '£250', '£2,000'],
  ]);
  // Across both of Cora's cohorts: Dan counted as deferred in 2026-27 and holding a place in 2027-28.
  const both = await cora.get('/scheme/manage/reports', { cohort: 'all' });
  expect(both.status).toBe(200);
  expect(rowsOf(both.html, 'funnel-cohort').slice(1)).toEqual([
    ['Set of 2026-27', ...funnel],
    ['Set of 2027-28', '1', '1', '1', '1', '0', '0', '0', '0'], // his application, with its support, carried over
    ['All', '6', '5', '5', '3', '1', '1', '1', '1'],
  ]);
  expect(csvLines((await cora.get('/scheme/manage/reports/funnel-cohort.csv', { cohort: 'all' })).html).slice(1)).toEqual([`"Set of 2026-27",${funnel.join(',')}`, '"Set of 2027-28",1,1,1,1,0,0,0,0', '"All",6,5,5,3,1,1,1,1']);
  const funding = await cora.get('/scheme/manage/funding');
  expect(text(funding.html)).toContain('Financial year 2027-28');
  expect(text(funding.html)).toContain('Spend £250 of a budget of £2,000');
  expect(text(funding.html)).toMatch(/Ann Year.*2026-27.*Passed/);

  // And their CSV.
  const csv = await cora.get('/scheme/manage/reports/funnel-cohort.csv');
  expect(csv.status).toBe(200);
  expect(csvLines(csv.html)).toEqual([`"Cohort",${stages.map((s) => `"${s}"`).join(',')}`, `"Set of 2026-27",${funnel.join(',')}`, `"All",${funnel.join(',')}`]);
  const fundingCsv = csvLines((await cora.get('/scheme/manage/reports/funding.csv')).html);
  expect(fundingCsv.slice(1)).toEqual(['"2026-27","Set of 2026-27",1,8,"£250","£2,000"', '"2027-28","Set of 2026-27",1,8,"£250","£2,000"']);
});
