import { toolSuite } from '../support/suite';
import { launched, text } from '../mentoring/people';
import { startSmtpServer, waitFor } from '../notifications/smtp';
import { Application, SchemeSettings, SupportLink } from '../../src/scheme/scheme.model';
import { drainSchemeEmails } from '../../src/scheme';
import type { ToolSession } from '../support/launch';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => smtp?.close());
const suite = toolSuite();
const drain = () => drainSchemeEmails({ smtpUrl: smtp.url, mailFrom: 'CMALT <cmalt@example.ac.uk>' });

const local = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 16); // as datetime-local; the zone shift is under a day
const DAY = 24 * 60 * 60 * 1000;
const SETTINGS = {
  cohortName: '2026-27 learning set', startsOn: '2026-09-01', endsOn: '2027-06-30', places: '3', sites: 'City campus\nNorth college',
  callOpensAt: local(-2 * DAY), callClosesAt: local(5 * DAY), fyStartMonth: '4', fundedPerYear: '8', fee: '250', deadlines: '2026-11-30 Core area 1 draft',
};
const form = (name: string, manager: string) => ({
  jobTitle: `Learning technologist ${name}`, site: 'City campus', pathway: 'cmalt', justification: `Why now: ${name}.`,
  lineManagerName: `Manager of ${name}`, lineManagerEmail: `${manager}@example.ac.uk`,
});
const linkIn = (body: string) => /\/scheme-support\/([A-Za-z0-9_-]{43})/.exec(body)![0];

async function anonymous(path: string, fields?: Record<string, string>) {
  const res = await fetch(new URL(path, suite.tool.baseUrl), fields ? { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' } : { redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}

describe('the CMALT scheme: settings, a call, line-manager support, selection up to the cap', () => {
  test('a whole call: five apply, four supported by link, three accepted with a cap of three, one waiting, one declined, a withdrawal offers the place', async () => {
    const course = suite.platform.course({ title: 'Scheme course' });
    const other = suite.platform.course({ title: 'Other course' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Scheme' }));
    const otherCora = await launched(suite.tool, suite.platform, other, 'Instructor', suite.platform.user({ name: 'Olly Other' }));
    const mo = await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Mo Mentor' }));

    // Settings: refused bad input changes nothing; defaults shown; then saved.
    const blank = await cora.get('/scheme/manage');
    expect(blank.status).toBe(200);
    expect(blank.html).toContain('value="15"');
    expect(blank.html).toMatch(/<option value="4" selected>April/);
    expect(blank.html).toContain('value="8"');
    const bad = await cora.post('/scheme/manage/settings', { ...SETTINGS, callClosesAt: local(-3 * DAY) });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('The call must close after it opens.');
    expect(await SchemeSettings.countDocuments({})).toBe(0);
    expect((await cora.post('/scheme/manage/settings', SETTINGS)).status).toBe(200);
    expect((await mo.post('/scheme/manage/settings', SETTINGS)).status).toBe(403);

    // Five applicants: the Learner's landing is the application form, not a portfolio.
    const people: Array<{ s: ToolSession; name: string; id?: string }> = [];
    for (const name of ['Ann', 'Ben', 'Cat', 'Dan', 'Eve']) {
      const s = await launched(suite.tool, suite.platform, course, 'Learner', suite.platform.user({ name: `${name} Applicant`, email: `${name.toLowerCase()}@example.ac.uk` }));
      expect(new URL(s.url).pathname).toBe('/scheme');
      expect(s.html).toContain('Send my application');
      expect((await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'x' })).status).toBe(403);
      people.push({ s, name });
    }
    const [ann, ben, cat, dan, eve] = people;
    // A draft saves without sending; sending with a part missing is refused and sends nothing.
    expect((await ann.s.post('/scheme/application', { jobTitle: 'Draft title' })).status).toBe(200);
    // The seam for the shared autosave client: the same save as JSON (session token and CSRF in headers).
    const json = await ann.s.postJson('/scheme/application', { jobTitle: 'Autosaved title' });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.html).saved).toBe(true);
    expect((await Application.findOne({ name: 'Ann Applicant' }).lean())!.jobTitle).toBe('Autosaved title');
    const incomplete = await ann.s.post('/scheme/application/send', { jobTitle: 'Draft title' });
    expect(incomplete.status).toBe(422);
    expect((await Application.findOne({ name: 'Ann Applicant' }).lean())!.state).toBe('draft');
    const badSite = await ann.s.post('/scheme/application/send', { ...form('Ann', 'mann'), site: 'Nowhere' });
    expect(badSite.status).toBe(422);
    for (const p of people) expect((await p.s.post('/scheme/application/send', form(p.name, `m${p.name.toLowerCase()}`))).status).toBe(200);
    const twice = await ann.s.post('/scheme/application/send', form('Ann', 'mann'));
    expect(twice.status).toBe(409);
    expect(text(twice.html)).toContain('You have already sent your application.');
    // Still editable until the call closes; the line manager stays as asked.
    expect((await ann.s.post('/scheme/application', { ...form('Ann', 'changed'), jobTitle: 'Senior learning technologist' })).status).toBe(200);
    const annApp = (await Application.findOne({ name: 'Ann Applicant' }).lean())!;
    expect(annApp.jobTitle).toBe('Senior learning technologist');
    expect(annApp.lineManagerEmail).toBe('mann@example.ac.uk');
    for (const p of people) p.id = String((await Application.findOne({ name: `${p.name} Applicant` }).lean())!._id);

    // Line managers: emailed a single-use link; four answer yes.
    await drain();
    const mails = await waitFor(() => (smtp.received.filter((m) => m.subject.includes('CMALT application')).length >= 5 ? smtp.received : undefined));
    const linkFor = (who: string) => linkIn(mails.find((m) => m.to.includes(`${who}@example.ac.uk`))!.text);
    const annLink = linkFor('mann');
    const page = await anonymous(annLink);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Do you support Ann Applicant’s application?');
    expect((await anonymous(annLink, { answer: 'maybe' })).status).toBe(422);
    for (const who of ['mann', 'mben', 'mcat', 'mdan']) expect((await anonymous(linkFor(who), { answer: 'yes', comment: `Yes from ${who}` })).status).toBe(200);
    const reused = await anonymous(annLink, { answer: 'no' });
    expect(reused.status).toBe(410);
    expect(text(reused.html)).toContain('already been used');
    const tampered = annLink.slice(0, -2) + (annLink.endsWith('AA') ? 'BB' : 'AA');
    expect((await anonymous(tampered)).status).toBe(404);
    expect((await anonymous('/scheme-support/short')).status).toBe(404);
    const eveLink = linkFor('meve');
    await SupportLink.updateOne({ applicationId: eve.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await anonymous(eveLink, { answer: 'yes' });
    expect(expired.status).toBe(410);
    expect(text(expired.html)).toContain('expired');
    expect((await Application.findById(annApp._id).lean())!.support).toBe('supported');
    expect((await Application.findById(eve.id).lean())!.support).toBe('asked');
    expect(text((await ann.s.get('/scheme')).html)).toContain('Your line manager’s support Supported');
    expect(text((await ann.s.get('/scheme')).html)).toContain('30 November 2026: Core area 1 draft'); // the coordinator's deadlines, as dates
    // The coordinator records Eve's support given another way, with a note.
    expect((await cora.post(`/scheme/manage/applications/${eve.id}/support`, { answer: 'yes', comment: '' })).status).toBe(422);
    expect((await cora.post(`/scheme/manage/applications/${eve.id}/support`, { answer: 'yes', comment: 'Said so at the team meeting.' })).status).toBe(200);
    expect((await Application.findById(eve.id).lean())!.supportBy).toBe('coordinator');

    // Only this course's coordinator sees applications, justifications and answers.
    for (const [who, path] of [[ben.s, '/scheme/manage/applications'], [ben.s, `/scheme/manage/applications/${ann.id}`], [mo, `/scheme/manage/applications/${ann.id}`]] as const) {
      const r = await who.get(path);
      expect(r.status).toBe(403);
      expect(r.html).not.toContain('Why now: Ann');
    }
    const cross = await otherCora.get(`/scheme/manage/applications/${ann.id}`);
    expect(cross.status).toBe(404);
    expect(cross.html).not.toContain('Why now: Ann');
    expect((await otherCora.post(`/scheme/manage/applications/${ann.id}/accept`)).status).toBe(404);
    const list = await cora.get('/scheme/manage/applications', { support: 'supported' });
    expect(text(list.html)).toContain('5 applications');

    // Selection: two concurrent accepts for the last place never exceed the cap of three.
    expect((await cora.post(`/scheme/manage/applications/${ann.id}/accept`)).status).toBe(200);
    expect((await cora.post(`/scheme/manage/applications/${ben.id}/accept`)).status).toBe(200);
    const coraToo = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cory Second' }));
    const race = await Promise.all([cora.post(`/scheme/manage/applications/${cat.id}/accept`), coraToo.post(`/scheme/manage/applications/${dan.id}/accept`)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await Application.countDocuments({ courseId: annApp.courseId, state: 'accepted' })).toBe(3);
    expect((await SchemeSettings.findOne({ courseId: annApp.courseId }).lean())!.placesTaken).toBe(3);
    const loser = race[0].status === 409 ? cat : dan;
    const winner = loser === cat ? dan : cat;
    const full = race.find((r) => r.status === 409)!;
    expect(text(full.html)).toContain('All 3 places are taken');
    expect((await cora.post(`/scheme/manage/applications/${loser.id}/waitlist`)).status).toBe(200);
    expect((await cora.post(`/scheme/manage/applications/${eve.id}/decline`, { reason: ' ' })).status).toBe(422);
    expect((await cora.post(`/scheme/manage/applications/${eve.id}/decline`, { reason: 'Please apply next year.' })).status).toBe(200);
    expect(text((await eve.s.get('/scheme')).html)).toContain('Please apply next year.');

    // Acceptance opens the portfolio; the declined and the waiting do not get one.
    expect(new URL((await ann.s.get('/portfolio')).url).pathname).toBe('/portfolio');
    expect((await ann.s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Digital accessibility' })).status).toBe(200);
    expect(new URL((await loser.s.get('/portfolio')).url).pathname).toBe('/scheme');

    // A withdrawal frees the place and offers it to the first waiting; withdrawing twice is refused.
    expect((await winner.s.post('/scheme/place/withdraw', { reason: 'A new job.' })).status).toBe(200);
    const again = await winner.s.post('/scheme/place/withdraw', { reason: 'Again.' });
    expect(again.status).toBe(409);
    expect(text(again.html)).toContain('already been given up');
    const offered = await loser.s.get('/scheme');
    expect(offered.html).toContain('Accept the place');
    expect((await loser.s.post('/scheme/place/accept')).status).toBe(200);
    expect((await Application.findById(loser.id).lean())!.state).toBe('accepted');
    expect((await SchemeSettings.findOne({ courseId: annApp.courseId }).lean())!.placesTaken).toBe(3);
    // The set cannot be made smaller than the places taken.
    expect((await cora.post('/scheme/manage/settings', { ...SETTINGS, places: '2' })).status).toBe(409);

    await drain();
    const told = await waitFor(() => smtp.received.find((m) => m.to.includes('eve@example.ac.uk') && m.text.includes('Please apply next year.')));
    expect(told.subject).toContain('Your application');
    expect(smtp.received.some((m) => m.to.includes('ann@example.ac.uk') && m.subject.includes('You have a place'))).toBe(true);
  });

  test('applying before the call opens, after it closes, or to a full set is refused and changes nothing', async () => {
    const course = suite.platform.course({ title: 'Closed call' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Closed' }));
    expect((await cora.post('/scheme/manage/settings', { ...SETTINGS, callOpensAt: local(-5 * DAY), callClosesAt: local(-2 * DAY) })).status).toBe(200);
    const late = await launched(suite.tool, suite.platform, course, 'Learner', suite.platform.user({ name: 'Lou Late' }));
    expect(late.html).not.toContain('Send my application');
    const r = await late.post('/scheme/application/send', form('Lou', 'mlou'));
    expect(r.status).toBe(409);
    expect(text(r.html)).toContain('closed on');
    const lateJson = await late.postJson('/scheme/application', form('Lou', 'mlou'));
    expect(lateJson.status).toBe(409);
    expect(JSON.parse(lateJson.html).error.message).toContain('closed on');
    expect((await cora.post('/scheme/manage/settings', { ...SETTINGS, callOpensAt: local(2 * DAY), callClosesAt: local(5 * DAY) })).status).toBe(200);
    expect(text((await late.post('/scheme/application', form('Lou', 'mlou'))).html)).toContain('opens on');
    const courseId = (await SchemeSettings.findOne({ cohortName: SETTINGS.cohortName, callOpensAt: { $gt: new Date() } }).lean())!.courseId;
    await cora.post('/scheme/manage/settings', SETTINGS);
    await SchemeSettings.updateOne({ courseId }, { $set: { placesTaken: 3 } });
    const fullSet = await late.post('/scheme/application', form('Lou', 'mlou'));
    expect(fullSet.status).toBe(409);
    expect(text(fullSet.html)).toContain('Every place in the learning set is taken');
    expect(await Application.countDocuments({ courseId })).toBe(0);
  });
});
