import { CpdEntry, CpdSubmission, CpdTarget } from '../../src/cpd/models';
import { sweepReminders } from '../../src/cpd';
import { emailLineManager } from '../../src/cpd/submissions.service';
import { SchemeEmail } from '../../src/scheme/scheme.model';
import { Notification } from '../../src/notifications';
import { launchAs, type ToolSession } from '../support/launch';
import { toolSuite } from '../support/suite';
import { download, textOf } from '../portfolio/evidence/http';
import { readPdf } from '../export/pdf-read';
import { loadMandatoryTraining } from '../../src/cpd';

/** The journey over HTTP through real launches: the clock is the tool's, moved by the test. */
let now = new Date('2026-01-05T09:00:00Z');
const suite = toolSuite({ tool: { clock: () => new Date(now) } });
let kim: ToolSession;
let coordinator: ToolSession;
let course: ReturnType<typeof suite.platform.course>;

/** Kim's safeguarding cell in the coordinator's training matrix, as the table shows it. */
const safeguardingCell = (html: string) => {
  const column = loadMandatoryTraining().items.findIndex((i) => i.id === 'safeguarding-prevent');
  const row = /<tr><th scope="row">Kim Tutor<\/th>(.*?)<\/tr>/s.exec(html)?.[1] ?? '';
  return [...row.matchAll(/<span class="status[^"]*">([^<]*)<\/span>/g)].map((m) => m[1])[column];
};
const idIn = (html: string, path: string) => new RegExp(`${path}/([a-f0-9]{24})`).exec(html)?.[1] ?? '';
const activity = (over: Record<string, string | string[]> = {}) => ({
  title: 'Safeguarding refresher', kind: 'course', startOn: '2026-01-10', endOn: '2026-01-10', hours: '3', provider: 'College HR',
  reflection: 'Reporting routes changed.', use: 'I will brief my team.', mandatoryItem: '', ...over,
});

beforeAll(async () => {
  course = suite.platform.course({ title: 'Staff development 2026' });
  kim = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Kim Tutor' }), course });
  coordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cora Coordinator' }), course });
  expect(kim.ok && coordinator.ok).toBe(true);
});

test('a person keeps a CPD record across two periods, submits, is reminded, evaluates, and builds a review', async () => {
  // Two targets, then six activities over two periods, linked to the targets and a mandatory item.
  const t1 = idIn((await kim.post('/cpd/targets', { title: 'Use formative quizzes', source: 'observation', dueOn: '2026-06-30' })).url, '/cpd/targets');
  const t2 = idIn((await kim.post('/cpd/targets', { title: 'Improve feedback turnaround', source: 'appraisal', dueOn: '2026-06-30' })).url, '/cpd/targets');
  expect(t1 && t2).toBeTruthy();
  const dates = ['2026-01-10', '2026-01-20', '2026-02-03', '2026-03-05', '2026-03-15', '2026-04-02'];
  const ids: string[] = [];
  for (const [n, d] of dates.entries()) {
    const fields = activity({ title: `Activity ${n + 1}`, startOn: d, endOn: d, targetIds: t1, mandatoryItem: n === 0 ? 'safeguarding-prevent' : '' });
    const page = await kim.post('/cpd/entries', fields as Record<string, string>);
    expect(page.status).toBe(200);
    ids.push(idIn(page.url, '/cpd/entries'));
    // The autosave script sends JSON (several targets as a list) to the activity's address.
    if (n % 2 === 0) expect((await kim.postJson(`/cpd/entries/${ids[n]}`, { ...fields, targetIds: [t1, t2] })).status).toBe(200);
  }
  expect(await CpdEntry.countDocuments()).toBe(6);
  const list = textOf((await kim.get('/cpd')).html);
  expect(list).toContain('Activities (6)');

  // Autosave (the script's JSON) changes an open activity.
  const saved = await kim.postJson(`/cpd/entries/${ids[5]}`, activity({ title: 'Activity 6, renamed', startOn: dates[5], endOn: dates[5], targetIds: [t1] }));
  expect(saved.status).toBe(200);
  expect((await CpdEntry.findById(ids[5]).lean())!.title).toBe('Activity 6, renamed');

  // Period one (Jan-Feb) cannot be submitted before it ends; on 1 March it can, to the line manager.
  const early = await kim.post('/cpd/periods/2026-01/submit', { reviewer: 'line_manager', reviewerName: 'Lee Manager', reviewerEmail: 'lee@college.ac.uk' });
  expect(early.status).toBe(409);
  now = new Date('2026-03-02T09:00:00Z');
  const submitted = await kim.post('/cpd/periods/2026-01/submit', { reviewer: 'line_manager', reviewerName: 'Lee Manager', reviewerEmail: 'lee@college.ac.uk', progress: 'Quizzes in two modules.' });
  expect(submitted.status).toBe(200);
  const link = /(http:\/\/[^"<\s]+\/cpd-review\/[A-Za-z0-9_.-]+)/.exec(submitted.html)![1];
  const sub = (await CpdSubmission.findOne().lean())!;
  expect(sub.entryIds.sort()).toEqual(ids.slice(0, 3).sort());

  // The line manager is emailed the link through the scheme's mail queue, once, at the tool's time.
  const emails = await SchemeEmail.find({ to: 'lee@college.ac.uk' }).lean();
  expect(emails).toHaveLength(1);
  expect(emails[0].subject).toBe('CPD log from Kim Tutor to acknowledge');
  expect(emails[0].text).toContain(link);
  expect(emails[0].text).toContain('Dear Lee Manager');
  expect(emails[0].createdAt.toISOString()).toBe(now.toISOString());
  const again = await kim.post('/cpd/periods/2026-01/submit', { reviewer: 'line_manager', reviewerName: 'Lee Manager', reviewerEmail: 'lee@college.ac.uk' });
  expect(again.status).toBe(409);
  await emailLineManager(sub, link, now); // asked for again (a retry): the key keeps it to one
  expect(await SchemeEmail.countDocuments({ to: 'lee@college.ac.uk' })).toBe(1);

  // Submitted entries are fixed; a correction is a new entry.
  const edit = await kim.post(`/cpd/entries/${ids[0]}`, activity({ title: 'Changed after submission' }) as Record<string, string>);
  expect(edit.status).toBe(409);
  expect(textOf(edit.html)).toContain('can no longer be changed');
  expect((await CpdEntry.findById(ids[0]).lean())!.title).toBe('Activity 1');

  // The line manager: no account; a tampered link is refused, the real one shows only what was submitted.
  const path = new URL(link).pathname;
  const tampered = await fetch(`${suite.tool.baseUrl}${path.slice(0, -2)}xx`);
  expect(tampered.status).toBe(403);
  const view = await fetch(`${suite.tool.baseUrl}${path}`);
  const viewText = textOf(await view.text());
  expect(viewText).toContain('Activity 1');
  expect(viewText).not.toContain('Activity 4'); // period two, not submitted
  const emptyAck = await fetch(`${suite.tool.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams({ comment: '' }) });
  expect(emptyAck.status).toBe(422);
  const ack = await fetch(`${suite.tool.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams({ comment: 'Good progress on quizzes.' }) });
  expect(ack.status).toBe(200);
  const reused = await fetch(`${suite.tool.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams({ comment: 'Again' }) });
  expect(reused.status).toBe(410);
  expect((await CpdSubmission.findOne().lean())!.comment).toBe('Good progress on quizzes.');
  expect(textOf((await kim.get('/cpd/periods')).html)).toContain('Good progress on quizzes.');

  // Period two (Mar-Apr) is due 14 May: a reminder a week before, once however often the sweep runs.
  now = new Date('2026-05-08T09:00:00Z');
  expect(await sweepReminders({ months: 2, notify: { emailEnabled: false }, now })).toBe(1);
  expect(await sweepReminders({ months: 2, notify: { emailEnabled: false }, now })).toBe(0);
  expect((await Notification.findOne({ kind: 'cpd_reminder' }).lean())!.text).toContain('March 2026 to April 2026');
  now = new Date('2026-05-20T09:00:00Z');
  expect(textOf((await kim.get('/cpd/periods')).html)).toContain('One period is overdue.');
  const matrixPage = (await coordinator.get('/cpd/course')).html;
  const matrix = textOf(matrixPage);
  expect(matrix).toContain('Kim Tutor');
  expect(matrix).toContain('Overdue'); // the period
  expect(safeguardingCell(matrixPage)).toBe('Current');

  // Evaluating a target: every linked activity needs a rating and a sentence.
  const partial = await kim.post(`/cpd/targets/${t2}/evaluation`, { outcome: 'Turnaround down to 10 days.' });
  expect(partial.status).toBe(422);
  const linked = [ids[0], ids[2], ids[4]];
  const ratings = Object.fromEntries(linked.flatMap((id) => [[`rating_${id}`, 'effective'], [`sentence_${id}`, 'It helped.']]));
  const evaluated = await kim.post(`/cpd/targets/${t2}/evaluation`, { outcome: 'Turnaround down to 10 days.', ...ratings });
  expect(evaluated.status).toBe(200);
  expect((await CpdTarget.findById(t2).lean())!.evaluation!.ratings).toHaveLength(3);

  // Mandatory training turns overdue as the clock moves (safeguarding renews after 12 months).
  expect(textOf((await kim.get('/cpd/training')).html)).toMatch(/Safeguarding and Prevent Current/);
  now = new Date('2026-12-20T09:00:00Z');
  expect(textOf((await kim.get('/cpd/training')).html)).toMatch(/Safeguarding and Prevent Due soon/);
  now = new Date('2027-01-11T09:00:00Z');
  expect(textOf((await kim.get('/cpd/training')).html)).toMatch(/Safeguarding and Prevent Overdue/);
  expect(safeguardingCell((await coordinator.get('/cpd/course')).html)).toBe('Overdue'); // the matrix turns as the clock moves

  // The CMALT review: certification entered, entries since it chosen, sections written, PDF built.
  await kim.post('/cpd/review/certification', { certifiedOn: '2026-02-01' });
  const reviewPage = (await kim.get('/cpd/review')).html;
  expect(textOf(reviewPage)).toContain('1 February 2029');
  expect(reviewPage).not.toContain(`value="${ids[0]}"`); // before certification
  const review = await kim.post('/cpd/review', { entryIds: ids[3], development: 'Two years of quizzes.', plans: 'Lead the team.' });
  expect(review.status).toBe(200);
  const foreign = await kim.post('/cpd/review', { entryIds: ids[0] });
  expect(foreign.status).toBe(422);
  const pdf = await download(kim, '/cpd/review.pdf');
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

  // Exports for a period: CSV rows and a PDF; hours by kind and by target.
  const csv = await download(kim, '/cpd/export.csv?from=2026-03-01&to=2026-04-30');
  const rows = csv.html.trim().split('\r\n');
  expect(rows).toHaveLength(4); // header + three activities in period two
  expect(rows[1]).toContain('"Activity 4"');
  const periodPdf = await download(kim, '/cpd/export.pdf?from=2026-01-01&to=2026-02-28');
  expect(periodPdf.headers.get('content-type')).toBe('application/pdf');
  const periodText = (await readPdf(periodPdf.body)).text;
  expect(periodText).toContain('Activity 1');
  expect(periodText).toContain('Activity 3');
  expect(periodText).not.toContain('Activity 4'); // March: outside the period asked for
  const hours = textOf((await kim.get('/cpd/hours', { from: '2026-01-01', to: '2026-12-31' })).html);
  expect(hours).toContain('18 hours in 6 activities');
  expect(hours).toContain('Use formative quizzes');
});

test('bad input is refused with a message and changes nothing', async () => {
  const before = await CpdEntry.countDocuments();
  const cases: Array<[Record<string, string>, string]> = [
    [activity({ startOn: '2026-02-10', endOn: '2026-02-01' }) as Record<string, string>, 'The end date must be on or after the start date.'],
    [activity({ hours: '-2' }) as Record<string, string>, 'Enter the hours as a number'],
    [activity({ hours: '30' }) as Record<string, string>, 'more hours than the days'],
    [activity({ kind: 'holiday' }) as Record<string, string>, 'Choose what kind of activity'],
  ];
  for (const [form, message] of cases) {
    const page = await kim.post('/cpd/entries', form);
    expect(page.status).toBe(422);
    expect(textOf(page.html)).toContain(message);
  }
  // Someone else's target: another person, launched from another course.
  const other = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Omar Other' }), course: suite.platform.course() });
  const theirs = idIn((await other.post('/cpd/targets', { title: 'Their target', source: 'own_need', dueOn: '2027-01-01' })).url, '/cpd/targets');
  const linked = await kim.post('/cpd/entries', activity({ targetIds: theirs }) as Record<string, string>);
  expect(linked.status).toBe(422);
  expect(textOf(linked.html)).toContain('not in your CPD record');
  expect(await CpdEntry.countDocuments()).toBe(before);
});

test('privacy by URL guessing: another person, another course, a coordinator', async () => {
  const entry = (await CpdEntry.findOne({ title: 'Activity 5' }).lean())!;
  const target = (await CpdTarget.findOne({ title: 'Use formative quizzes' }).lean())!;
  const otherCourse = suite.platform.course({ title: 'Another course' });
  const stranger = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Sam Stranger' }), course: otherCourse });
  for (const s of [stranger, coordinator]) {
    expect((await s.get(`/cpd/entries/${entry._id}`)).status).toBe(404);
    expect((await s.post(`/cpd/entries/${entry._id}`, activity() as Record<string, string>)).status).toBe(404);
    expect((await s.get(`/cpd/targets/${target._id}`)).status).toBe(404);
  }
  // The coordinator's matrix shows states, never the text of unsubmitted entries.
  const matrix = (await coordinator.get('/cpd/course')).html;
  expect(matrix).not.toContain('Activity 5');
  expect(matrix).not.toContain('Reporting routes changed');
  // A line-manager submission is not readable by the coordinator; a coordinator of another course sees no matrix of this one.
  const sub = (await CpdSubmission.findOne().lean())!;
  expect((await coordinator.get(`/cpd/course/submissions/${sub._id}`)).status).toBe(404);
  const otherCoordinator = await launchAs(suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Olu Elsewhere' }), course: otherCourse });
  expect(textOf((await otherCoordinator.get('/cpd/course')).html)).not.toContain('Kim Tutor');
  expect((await kim.get('/cpd/course')).status).toBe(403);
  // The same person from another course and role sees their own record.
  const kimAsMentor = await launchAs(suite.tool, suite.platform, { role: 'TeachingAssistant', user: kim.launch.user, course: otherCourse });
  expect(textOf((await kimAsMentor.get('/cpd')).html)).toContain('Activities (6)');
});

test('a coordinator acknowledges a period submitted to them in the VLE', async () => {
  now = new Date('2027-03-02T09:00:00Z');
  await kim.post('/cpd/entries', activity({ title: 'Winter webinar', startOn: '2027-01-15', endOn: '2027-01-15' }) as Record<string, string>);
  const done = await kim.post('/cpd/periods/2027-01/submit', { reviewer: 'coordinator', progress: 'Webinar.' });
  expect(done.status).toBe(200);
  const sub = (await CpdSubmission.findOne({ reviewer: 'coordinator' }).lean())!;
  const page = textOf((await coordinator.get(`/cpd/course/submissions/${sub._id}`)).html);
  expect(page).toContain('Winter webinar');
  expect((await coordinator.post(`/cpd/course/submissions/${sub._id}`, { comment: '' })).status).toBe(422);
  expect((await coordinator.post(`/cpd/course/submissions/${sub._id}`, { comment: 'Noted, thank you.' })).status).toBe(200);
  expect((await CpdSubmission.findById(sub._id).lean())!.acknowledgedBy).toBe('Cora Coordinator');
});

test('a line manager’s link that has expired is refused, and acknowledges nothing', async () => {
  now = new Date('2027-05-03T09:00:00Z');
  await kim.post('/cpd/entries', activity({ title: 'Spring conference', startOn: '2027-03-15', endOn: '2027-03-15' }) as Record<string, string>);
  const done = await kim.post('/cpd/periods/2027-03/submit', { reviewer: 'line_manager', reviewerName: 'Lee Manager', reviewerEmail: 'lee@college.ac.uk', progress: 'Conference.' });
  expect(done.status).toBe(200);
  const path = new URL(/(http:\/\/[^"<\s]+\/cpd-review\/[A-Za-z0-9_.-]+)/.exec(done.html)![1]).pathname;
  expect((await fetch(`${suite.tool.baseUrl}${path}`)).status).toBe(200);
  now = new Date('2027-06-03T09:00:00Z'); // 31 days on: the link's 30 days are over
  const late = await fetch(`${suite.tool.baseUrl}${path}`);
  expect(late.status).toBe(410);
  expect(textOf(await late.text())).toContain('This link has expired.');
  const lateAck = await fetch(`${suite.tool.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams({ comment: 'Too late?' }) });
  expect(lateAck.status).toBe(410);
  expect((await CpdSubmission.findOne({ periodStart: new Date('2027-03-01T00:00:00Z') }).lean())!.acknowledgedAt).toBeNull();
});

test('the CV kept in the CPD profile is the one planning shows, until planning is given its own', async () => {
  const tooLong = await kim.post('/cpd/profile', { cvText: 'x'.repeat(50_001), skills: '' });
  expect(tooLong.status).toBe(422);
  expect(textOf(tooLong.html)).toContain('Keep your CV to 50,000 characters or fewer.');
  const saved = await kim.post('/cpd/profile', { cvText: 'Learning technologist since 2019.\nLed the Moodle migration.', skills: 'Accessibility, video' });
  expect(textOf(saved.html)).toContain('Your profile and CV are saved.');
  const planning = textOf((await kim.get('/portfolio/planning')).html);
  expect(planning).toContain('Led the Moodle migration.');
  expect(planning).toContain('From your CPD record’s profile');
});
