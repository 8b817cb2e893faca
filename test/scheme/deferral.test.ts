import type { TestPlatform } from '../support/platform';
import type { TestTool } from '../support/tool';
import { toolSuite } from '../support/suite';
import { launched, sectionNow, text } from '../mentoring/people';
import { postFile } from '../portfolio/evidence/http';
import { Course } from '../../src/people/course.model';
import { Portfolio, Section, SectionRevision } from '../../src/portfolio/models';
import { Evidence } from '../../src/portfolio/evidence/evidence.model';
import { Comment } from '../../src/mentoring/models';
import { RefereeRequest } from '../../src/referees/referee.model';
import { countStoredFiles } from '../../src/portfolio/evidence/file-store';
import { Application, SchemeSettings } from '../../src/scheme/scheme.model';
import { Arrival, NextCohort } from '../../src/scheme/deferral.model';
import { deleteExpiredPortfolios, startRetentionJob } from '../../src/scheme';
import { waitFor } from '../notifications/smtp';
import { quietLogger } from '../../src/log';
import { aCandidateWithAPlace, schemeSettings } from './helpers';
import type { ToolSession } from '../support/launch';

// Two VLEs registered with one tool, so a deferral into another institution's course can be tried.
const vles = toolSuite({ secondVle: true });
let platform: TestPlatform;
let otherVle: TestPlatform;
let tool: TestTool;
beforeAll(() => ({ platform, tool, otherVle } = vles));

const DAY = 24 * 60 * 60 * 1000;
const courseIdOf = async (title: string) => String((await Course.findOne({ title }).lean())!._id);

async function startPortfolio(s: ToolSession) {
  const started = await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' });
  if (started.status !== 200) throw new Error(`start failed: ${started.status}`);
}

async function writeSection(s: ToolSession, sectionId: string, body: string) {
  const v = (await sectionNow(sectionId)).version;
  return s.post(`/portfolio/sections/${sectionId}`, { baseVersion: String(v), format: 'text', body });
}

describe('deferral: the portfolio moves with its owner into the next cohort, every word kept', () => {
  test('launch in course A, write, defer, the coordinator names course B, launch in B and find the same words, evidence and revisions', async () => {
    const coraUser = platform.user({ name: 'Cora Defer' });
    const courseA = platform.course({ title: 'Deferral cohort 2026' });
    const courseB = platform.course({ title: 'Deferral cohort 2027' });
    const courseC = platform.course({ title: 'Someone else’s course' });
    const cora = await launched(tool, platform, courseA, 'Instructor', coraUser);
    await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: '2026 set' }));
    const coraInB = await launched(tool, platform, courseB, 'Instructor', coraUser);
    await coraInB.post('/scheme/manage/settings', schemeSettings({ cohortName: '2027 set', places: '2' }));
    const olly = await launched(tool, platform, courseC, 'Instructor', platform.user({ name: 'Olly Elsewhere' }));
    await launched(tool, otherVle, otherVle.course({ title: 'Deferral other VLE' }), 'Instructor', otherVle.user({ name: 'Vera Vle' }));
    const [idA, idB, idC, idOther] = await Promise.all(['Deferral cohort 2026', 'Deferral cohort 2027', 'Someone else’s course', 'Deferral other VLE'].map(courseIdOf));

    // Ann has a place in A, starts her portfolio, writes a section, adds a piece of evidence.
    const ann = await aCandidateWithAPlace(tool, platform, courseA, cora, 'Ann Defer');
    await startPortfolio(ann.s);
    const portfolio = (await Portfolio.findOne({ userId: ann.userId, courseId: idA }).lean())!;
    const plans = (await Section.findOne({ portfolio: portfolio._id, areaId: 'future-plans' }).lean())!;
    const sectionId = String(plans._id);
    const words = 'I will lead the accessibility review of our VLE templates in the spring term.';
    expect((await writeSection(ann.s, sectionId, words)).status).toBe(200);
    expect((await writeSection(ann.s, sectionId, `${words} Then share it with the partner colleges.`)).status).toBe(200);
    const link = await ann.s.post('/portfolio/evidence/links', { title: 'Accessibility audit', url: 'https://example.org/audit', date: '', description: '', tags: '' });
    expect(link.status).toBe(200);
    // Her mentor in A comments on the section: kept with it as history.
    const moUser = platform.user({ name: 'Mo Defer' });
    const mo = await launched(tool, platform, courseA, 'TeachingAssistant', moUser);
    expect((await cora.post('/cohort/assignments', { candidateSub: ann.user.id, mentorSub: moUser.id, action: 'assign' })).status).toBe(200);
    expect((await mo.post(`/mentoring/sections/${sectionId}/comments`, { body: 'Which templates first?' })).status).toBe(200);
    const before = await sectionNow(sectionId);
    const revisionsBefore = await SectionRevision.countDocuments({ section: sectionId });

    // The candidate defers with a reason; a second deferral is refused; her portfolio in A is read-only now.
    expect((await ann.s.post('/scheme/place/defer', { deferReason: '' })).status).toBe(422);
    expect((await Application.findOne({ courseId: idA, userId: ann.userId }).lean())!.state).toBe('accepted');
    const deferred = await ann.s.post('/scheme/place/defer', { deferReason: 'A restructure at work this year.' });
    expect(deferred.status).toBe(200);
    expect(text(deferred.html)).toContain('You have deferred to the next cohort.');
    expect((await Application.findOne({ courseId: idA, userId: ann.userId }).lean())!.state).toBe('deferred');
    expect((await SchemeSettings.findOne({ courseId: idA }).lean())!.placesTaken).toBe(0);
    expect((await ann.s.post('/scheme/place/defer', { deferReason: 'Again.' })).status).toBe(409);
    const locked = await writeSection(ann.s, sectionId, 'Overwritten in A after deferring');
    expect(locked.status).toBe(409);
    expect(text(locked.html)).toContain('You deferred to the next cohort, so your portfolio is read-only here.');

    // Naming the next cohort's course: checked on the server, whatever the form says.
    const page = await cora.get('/scheme/manage/next-cohort');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`value="${idB}"`);
    expect(page.html).not.toContain(`value="${idC}"`); // not hers
    expect(page.html).not.toContain(`value="${idOther}"`); // another VLE
    expect(text(page.html)).toContain('Ann Defer');
    expect(text(page.html)).toContain('Not moved yet');
    const otherVleTry = await cora.post('/scheme/manage/next-cohort', { nextCourseId: idOther });
    expect(otherVleTry.status).toBe(422);
    expect(text(otherVleTry.html)).toContain('That course is on another VLE.');
    const notHers = await cora.post('/scheme/manage/next-cohort', { nextCourseId: idC });
    expect(notHers.status).toBe(422);
    expect(text(notHers.html)).toContain('You can only name a course you coordinate');
    expect((await cora.post('/scheme/manage/next-cohort', { nextCourseId: idA })).status).toBe(422);
    expect((await cora.post('/scheme/manage/next-cohort', { nextCourseId: 'not-an-id' })).status).toBe(422);
    // Another course's coordinator cannot point A (or their own course) at B, and a candidate cannot at all.
    expect((await olly.post('/scheme/manage/next-cohort', { nextCourseId: idB })).status).toBe(422);
    expect((await ann.s.post('/scheme/manage/next-cohort', { nextCourseId: idB })).status).toBe(403);
    expect(await NextCohort.countDocuments({})).toBe(0);
    const saved = await cora.post('/scheme/manage/next-cohort', { nextCourseId: idB });
    expect(saved.status).toBe(200);
    expect(text(saved.html)).toContain('The next cohort runs in Deferral cohort 2027');
    expect(text((await ann.s.get('/scheme')).html)).toContain('When you open CMALT Portfolio from Deferral cohort 2027, your portfolio moves there');

    // Ann opens the tool in B: she lands in her own portfolio, every word there.
    const inB = await launched(tool, platform, courseB, 'Learner', ann.user);
    expect(new URL(inB.url).pathname).toBe('/portfolio');
    expect(text(inB.html)).toContain('My portfolio');
    const moved = (await Portfolio.findOne({ userId: ann.userId }).lean())!;
    expect(String(moved._id)).toBe(String(portfolio._id));
    expect(moved.courseId).toBe(idB);
    expect(await Portfolio.countDocuments({ userId: ann.userId, courseId: idA })).toBe(0);
    const after = await sectionNow(sectionId);
    expect(after.body).toBe(before.body);
    expect(after.version).toBe(before.version);
    expect(await SectionRevision.countDocuments({ section: sectionId })).toBe(revisionsBefore);
    const section = await inB.get(`/portfolio/sections/${sectionId}`);
    expect(section.status).toBe(200);
    expect(text(section.html)).toContain('Then share it with the partner colleges.');
    const history = await inB.get(`/mentoring/sections/${sectionId}`);
    expect(history.status).toBe(200);
    expect(text(history.html)).toContain('Which templates first?');
    expect((await mo.get(`/mentoring/sections/${sectionId}`)).status).toBe(404); // A's mentor does not follow her into B
    expect((await Evidence.findOne({ ownerId: ann.userId, title: 'Accessibility audit' }).lean())!.courseId).toBe(idB);
    expect(text((await inB.get('/portfolio/evidence')).html)).toContain('Accessibility audit');
    // She holds a place in B, carried over from her application, and writes again.
    const placeB = (await Application.findOne({ courseId: idB, userId: ann.userId }).lean())!;
    expect(placeB.state).toBe('accepted');
    expect(placeB.reason).toBe('Deferred from 2026 set.');
    expect(placeB.jobTitle).toBe('Learning technologist Ann Defer');
    expect((await SchemeSettings.findOne({ courseId: idB }).lean())!.placesTaken).toBe(1);
    expect((await writeSection(inB, sectionId, `${words} Written in the new cohort.`)).status).toBe(200);
    // Launching again moves nothing twice and takes no second place.
    await launched(tool, platform, courseB, 'Learner', ann.user);
    expect((await SchemeSettings.findOne({ courseId: idB }).lean())!.placesTaken).toBe(1);
    expect(await Arrival.countDocuments({ userId: ann.userId })).toBe(1);
    // The portfolio is gone from A: the old course's URL for the section finds nothing.
    const oldUrl = await ann.s.get(`/portfolio/sections/${sectionId}`);
    expect(oldUrl.status).toBe(404);
    expect(text((await ann.s.get('/scheme')).html)).toContain('Your portfolio moved to Deferral cohort 2027 on');
    expect(text((await cora.get('/scheme/manage/next-cohort')).html)).toContain('with a place');
  });

  test('a deferral into a full set puts the person first on its waiting list, their portfolio still moved', async () => {
    const coraUser = platform.user({ name: 'Cora Full' });
    const courseA = platform.course({ title: 'Full A' });
    const courseB = platform.course({ title: 'Full B' });
    const cora = await launched(tool, platform, courseA, 'Instructor', coraUser);
    await cora.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set A' }));
    const coraB = await launched(tool, platform, courseB, 'Instructor', coraUser);
    await coraB.post('/scheme/manage/settings', schemeSettings({ cohortName: 'Set B', places: '1' }));
    const wes = await aCandidateWithAPlace(tool, platform, courseB, coraB, 'Wes Full', { accept: false });
    const bea = await aCandidateWithAPlace(tool, platform, courseB, coraB, 'Bea Full'); // takes B's only place
    expect((await coraB.post(`/scheme/manage/applications/${wes.applicationId}/waitlist`)).status).toBe(200);
    const dee = await aCandidateWithAPlace(tool, platform, courseA, cora, 'Dee Full');
    await startPortfolio(dee.s);
    const idB = await courseIdOf('Full B');
    expect((await cora.post(`/scheme/manage/applications/${dee.applicationId}/defer`, { reason: 'Caring responsibilities.' })).status).toBe(200);
    expect((await cora.post('/scheme/manage/next-cohort', { nextCourseId: idB })).status).toBe(200);
    const inB = await launched(tool, platform, courseB, 'Learner', dee.user);
    expect(new URL(inB.url).pathname).toBe('/portfolio');
    expect((await Portfolio.findOne({ userId: dee.userId }).lean())!.courseId).toBe(idB);
    const deeB = (await Application.findOne({ courseId: idB, userId: dee.userId }).lean())!;
    const wesB = (await Application.findById(wes.applicationId).lean())!;
    expect(deeB.state).toBe('waiting');
    expect(deeB.waitingRank!).toBeLessThan(wesB.waitingRank!);
    expect((await SchemeSettings.findOne({ courseId: idB }).lean())!.placesTaken).toBe(1);
    // She keeps writing while she waits, and the next freed place is offered to her before Wes.
    const sectionId = String((await Section.findOne({ portfolio: (await Portfolio.findOne({ userId: dee.userId }).lean())!._id, areaId: 'future-plans' }).lean())!._id);
    expect((await writeSection(inB, sectionId, 'Written while waiting.')).status).toBe(200);
    expect((await bea.s.post('/scheme/place/withdraw', { reason: 'Moving on.' })).status).toBe(200);
    expect((await Application.findOne({ courseId: idB, userId: dee.userId }).lean())!.offeredFreedPlace).toBe(true);
    expect((await Application.findById(wes.applicationId).lean())!.offeredFreedPlace).toBe(false);
    expect(text((await inB.get('/scheme')).html)).toContain('A place has been freed and is offered to you.');
  });
});

describe('a withdrawn portfolio: read-only, then deleted after the retention period', () => {
  test('every write is refused with the reason and changes nothing; the job deletes it with its evidence after the period, not before', async () => {
    const course = platform.course({ title: 'Retention course' });
    const cora = await launched(tool, platform, course, 'Instructor', platform.user({ name: 'Cora Keep' }));
    const bad = await cora.post('/scheme/manage/settings', schemeSettings({ retentionMonths: '0' }));
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Enter how many months to keep a withdrawn portfolio, as a whole number from 1 to 120.');
    expect(await SchemeSettings.countDocuments({ cohortName: '2026-27 learning set', retentionMonths: 0 })).toBe(0);
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ retentionMonths: '3' }))).status).toBe(200);
    const courseId = await courseIdOf('Retention course');
    expect((await SchemeSettings.findOne({ courseId }).lean())!.retentionMonths).toBe(3);
    expect((await cora.get('/scheme/manage')).html).toContain('name="retentionMonths"');

    const ben = await aCandidateWithAPlace(tool, platform, course, cora, 'Ben Keep');
    const stay = await aCandidateWithAPlace(tool, platform, course, cora, 'Sam Stay');
    await startPortfolio(ben.s);
    await startPortfolio(stay.s);
    const portfolio = (await Portfolio.findOne({ userId: ben.userId, courseId }).lean())!;
    const sectionId = String((await Section.findOne({ portfolio: portfolio._id, areaId: 'future-plans' }).lean())!._id);
    expect((await writeSection(ben.s, sectionId, 'Words written before withdrawing.')).status).toBe(200);
    const upload = await postFile(ben.s, '/portfolio/evidence/files', { title: 'Workshop notes', date: '2024-05-01', description: '', tags: '' }, { field: 'file', name: 'notes.txt', bytes: Buffer.from('Workshop notes\n') });
    expect(upload.status).toBeLessThan(400);
    expect(await countStoredFiles({ courseId, ownerId: ben.userId })).toBe(1);
    const evidenceId = String((await Evidence.findOne({ ownerId: ben.userId }).lean())!._id);

    const noted = await ben.s.post('/portfolio/planning/areas/1a/notes', { title: 'Mentoring plan', did: 'Planned mentoring.', learned: 'What helps.', proof: 'A plan.' });
    expect(noted.status).toBe(200);
    expect(noted.html).toContain('action="/portfolio/planning/areas/1a/notes');
    expect((await ben.s.get('/portfolio/planning')).html).toContain('name="cvText"');

    const left = await ben.s.post('/scheme/place/withdraw', { reason: 'A new job elsewhere.' });
    expect(left.status).toBe(200);
    expect(text(left.html)).toContain('Your portfolio is kept read-only until');
    const kept = await sectionNow(sectionId);

    // Reading works and says why nothing can be changed; there is no save button.
    const overview = await ben.s.get('/portfolio');
    expect(overview.status).toBe(200);
    expect(text(overview.html)).toContain('You withdrew from the learning set on');
    const page = await ben.s.get(`/portfolio/sections/${sectionId}`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Words written before withdrawing.');
    expect(text(page.html)).toContain('so your portfolio is read-only: you can read it but not change it.');
    expect(page.html).not.toMatch(/<button type="submit">Save<\/button>/);
    // Planning too: the reason shown, the notes readable, no form to change them.
    const planning = await ben.s.get('/portfolio/planning');
    expect(planning.status).toBe(200);
    expect(text(planning.html)).toContain('so your portfolio is read-only');
    expect(planning.html).not.toMatch(/<form|name="cvText"|type="file"/);
    const area = await ben.s.get('/portfolio/planning/areas/1a');
    expect(area.status).toBe(200);
    expect(text(area.html)).toContain('Planned mentoring.');
    expect(area.html).not.toMatch(/<form|<textarea|Add a note|Edit this note|Remove note|Turn into an example/);

    // Every kind of write is refused with the reason: form, autosave (JSON and PUT), state, examples, evidence, planning.
    const refusals = [
      await writeSection(ben.s, sectionId, 'Changed after withdrawing'),
      await ben.s.postJson(`/portfolio/sections/${sectionId}`, { baseVersion: kept.version, format: 'text', body: 'Autosaved after withdrawing' }),
      await ben.s.put(`/portfolio/sections/${sectionId}`, { baseVersion: kept.version, body: '<p>Put after withdrawing</p>' }),
      await ben.s.post(`/portfolio/sections/${sectionId}/ready`, { baseVersion: String(kept.version) }),
      await ben.s.post(`/portfolio/sections/${sectionId}/examples`, { title: 'New example' }),
      await ben.s.post('/portfolio/evidence/links', { title: 'Late link', url: 'https://example.org/late', date: '', description: '', tags: '' }),
      await ben.s.post(`/portfolio/evidence/${evidenceId}/delete`, {}),
      await ben.s.post('/portfolio/planning/cv', { cvText: 'My CV' }),
      await postFile(ben.s, '/portfolio/evidence/files', { title: 'Late file', date: '', description: '', tags: '' }, { field: 'file', name: 'late.txt', bytes: Buffer.from('Late\n') }),
      // Outside /portfolio too: a comment on their own section, final review, a referee, a submission to ALT.
      await ben.s.post(`/mentoring/sections/${sectionId}/comments`, { body: 'A comment after withdrawing' }),
      await ben.s.post('/mentoring/final-review', {}),
      await ben.s.post('/referees', { refereeName: 'Late Referee', relationship: 'Manager' }),
      await ben.s.post(`/export/portfolios/${String(portfolio._id)}/submission`, { kind: 'first', via: 'file', submittedOn: '2026-06-01' }),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(409);
      expect(r.html).toContain('read-only');
    }
    const unchanged = await sectionNow(sectionId);
    expect(unchanged.body).toBe(kept.body);
    expect(unchanged.version).toBe(kept.version);
    expect(unchanged.state).toBe(kept.state);
    expect(await Evidence.countDocuments({ ownerId: ben.userId })).toBe(1);
    expect(await countStoredFiles({ courseId, ownerId: ben.userId })).toBe(1);
    expect(await Comment.countDocuments({ section: sectionId })).toBe(0);
    expect(await RefereeRequest.countDocuments({})).toBe(0);
    expect((await Portfolio.findById(portfolio._id).lean())!.submittedAt ?? null).toBeNull();
    expect((await Portfolio.findById(portfolio._id).lean())!.altRounds ?? []).toEqual([]);

    // The retention job: not yet at two months, deleted after three (an injected clock), the others untouched.
    const now = Date.now();
    expect(await deleteExpiredPortfolios(new Date(now + 60 * DAY))).toBe(0);
    expect(await Portfolio.countDocuments({ userId: ben.userId })).toBe(1);
    // The job as boot.ts runs it: on the shared background loop, with the tool's clock; stopped when done.
    const job = startRetentionJob(quietLogger(), () => new Date(now + 93 * DAY), 60_000);
    await waitFor(async () => (await Application.findById(ben.applicationId).lean())!.portfolioDeletedAt, 30_000);
    await job.stop();
    expect(await Portfolio.countDocuments({ userId: ben.userId })).toBe(0);
    expect(await Section.countDocuments({ portfolio: portfolio._id })).toBe(0);
    expect(await SectionRevision.countDocuments({ section: sectionId })).toBe(0);
    expect(await Evidence.countDocuments({ ownerId: ben.userId })).toBe(0);
    expect(await countStoredFiles({ courseId, ownerId: ben.userId })).toBe(0);
    expect(await Portfolio.countDocuments({ userId: stay.userId })).toBe(1);
    expect((await Application.findById(ben.applicationId).lean())!.portfolioDeletedAt).not.toBeNull();
    expect(await deleteExpiredPortfolios(new Date(now + 93 * DAY))).toBe(0); // once
    expect(text((await ben.s.get('/scheme')).html)).toContain('Your portfolio was deleted on');
  });
});
