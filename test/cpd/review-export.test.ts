import { sweepReminders } from '../../src/cpd';
import { CpdRecord } from '../../src/cpd/models';
import { Notification } from '../../src/notifications';
import { launchAs, type ToolSession } from '../support/launch';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { toolSuite } from '../support/suite';
import { registerPlatform } from '../support/tool';
import { download, textOf } from '../portfolio/evidence/http';
import { readPdf } from '../export/pdf-read';

/** The CMALT review rendered by the export capability (a registered document source), and only for its owner. */
const now = new Date('2026-05-10T09:00:00Z');
let otherVle: TestPlatform;
const allowOrigins: string[] = [];
// A second VLE, started before the tool so its origin is allow-listed: the same `sub` there is another person.
beforeAll(async () => {
  otherVle = await startTestPlatform();
  allowOrigins.push(otherVle.baseUrl);
});
afterAll(async () => {
  await otherVle?.close();
});
const suite = toolSuite({ tool: { clock: () => new Date(now), allowOrigins } });
let kim: ToolSession;

beforeAll(async () => {
  const course = suite.platform.course({ title: 'Staff development 2026' });
  kim = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Kim Tutor', id: 'kim-sub' }), course });
  expect(kim.ok).toBe(true);
});

test('the review is exported as PDF and website through export, and nobody else can fetch it by its address', async () => {
  const entry = async (title: string, day: string, reflection: string) => {
    const page = await kim.post('/cpd/entries', { title, kind: 'course', startOn: day, endOn: day, hours: '2', provider: 'ALT', reflection, use: 'In my modules.' });
    expect(page.status).toBe(200);
    return /\/cpd\/entries\/([a-f0-9]{24})/.exec(page.url)![1];
  };
  const before = await entry('Accessibility audit workshop', '2026-01-10', 'Alt text is a habit now.');
  const one = await entry('Learning analytics webinar', '2026-03-05', 'Dashboards mislead without context.');
  const two = await entry('Mentoring a new CMALT candidate', '2026-04-02', 'Explaining the principles sharpened mine.');

  // Nothing to export before a review is saved.
  expect((await kim.get('/cpd/review')).html).not.toContain('/export/documents/cmalt-review/');
  expect((await kim.post('/cpd/review/certification', { certifiedOn: '2026-02-01' })).status).toBe(200);
  // Two chosen activities: the form sends entryIds twice, as the script's JSON call does with a list.
  const posted = await kim.postJson('/cpd/review', { entryIds: [one, two], development: 'Analytics and mentoring since 2026.', plans: 'Lead the team’s accessibility work.' });
  expect(posted.status).toBe(200);
  const saved = await kim.get('/cpd/review');
  const href = /\/export\/documents\/cmalt-review\/([a-f0-9]{24})\/pdf/.exec(saved.html);
  expect(href).not.toBeNull();
  const recordId = href![1];
  expect(String((await CpdRecord.findOne().lean())!._id)).toBe(recordId);

  const pdf = await download(kim, `/export/documents/cmalt-review/${recordId}/pdf`);
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const read = await readPdf(pdf.body);
  const text = read.text.replace(/\s+/g, ' ');
  expect(text).toContain('CMALT review of Kim Tutor');
  expect(text).toContain('Learning analytics webinar');
  expect(text).toContain('Mentoring a new CMALT candidate');
  expect(text).toContain('Dashboards mislead without context.');
  expect(text).toContain('Analytics and mentoring since 2026.');
  expect(text).not.toContain('Accessibility audit workshop'); // before certification, not chosen
  expect(before).toBeTruthy();

  const zip = await download(kim, `/export/documents/cmalt-review/${recordId}/website`);
  expect(zip.status).toBe(200);
  expect(zip.headers.get('content-type')).toBe('application/zip');
  expect(zip.body.subarray(0, 2).toString()).toBe('PK');

  // URL guessing: another person in the course, a person in another course, the same sub from another VLE.
  const colleague = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Pat Peer' }), course: suite.platform.course({ title: 'Staff development 2026' }) });
  const elsewhere = await launchAs(suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cora Coordinator' }), course: suite.platform.course({ title: 'Another course' }) });
  await registerPlatform(suite.tool, otherVle);
  const sameSub = await launchAs(suite.tool, otherVle, { role: 'Learner', user: otherVle.user({ name: 'Kim Tutor', id: 'kim-sub' }), course: otherVle.course({ title: 'Staff development 2026' }) });
  for (const stranger of [colleague, elsewhere, sameSub]) {
    expect(stranger.ok).toBe(true);
    for (const format of ['pdf', 'website']) {
      const answer = await stranger.get(`/export/documents/cmalt-review/${recordId}/${format}`);
      expect(answer.status).toBe(404);
      expect(textOf(answer.html)).toContain('We could not find that document, or it is not yours to export.');
    }
  }
  // An unknown kind of document, and a malformed id, are not found either.
  expect((await kim.get(`/export/documents/portfolio-of-someone/${recordId}/pdf`)).status).toBe(404);
  expect((await kim.get('/export/documents/cmalt-review/not-an-id/pdf')).status).toBe(404);
});

test('reminders come 90 and 30 days before the three-year review date, once each, and stop once it has passed', async () => {
  await kim.get('/cpd'); // the record notes the course reminders link back to
  const reviewReminders = () => Notification.find({ kind: 'cpd_reminder', text: /CMALT review/ }).lean();
  const sweep = (at: string) => sweepReminders({ months: 2, notify: { emailEnabled: false }, now: new Date(at) });
  await sweep('2028-10-01T09:00:00Z'); // four months before 1 February 2029
  expect(await reviewReminders()).toHaveLength(0);
  await sweep('2028-11-05T09:00:00Z');
  await sweep('2028-11-06T09:00:00Z'); // the same reminder is not repeated
  expect((await reviewReminders()).map((n) => n.text)).toEqual(['Your CMALT review is due by 2029-02-01.']);
  await sweep('2029-01-10T09:00:00Z');
  await sweep('2029-03-01T09:00:00Z'); // past the date: nothing more
  const sent = await reviewReminders();
  expect(sent).toHaveLength(2);
  expect(sent.every((n) => n.path === '/cpd/review')).toBe(true);
});
