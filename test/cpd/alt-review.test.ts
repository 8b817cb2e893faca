import { sweepReminders } from '../../src/cpd';
import { CpdEntry, CpdRecord } from '../../src/cpd/models';
import { Notification } from '../../src/notifications';
import { User } from '../../src/people/user.model';
import { Portfolio } from '../../src/portfolio/models';
import { aPdf, aPng } from '../export/people';
import { readPdf } from '../export/pdf-read';
import { unzip } from '../export/unzip';
import { candidateWithPortfolio, download, postFile, textOf } from '../portfolio/evidence/http';
import { launchAs, type ToolSession } from '../support/launch';
import { toolSuite } from '../support/suite';

/**
 * The CMALT review and the ALT submission record (export's), through the real routes: the certification date
 * comes from ALT's recorded pass, the review is recorded with ALT from the review page, and its export carries
 * the evidence files of the chosen activities, the owner's only.
 */
let now = new Date('2026-03-01T09:00:00Z');
const suite = toolSuite({ tool: { clock: () => new Date(now) } });
let course: ReturnType<typeof suite.platform.course>;
let kim: ToolSession;
let cora: ToolSession;
let pat: ToolSession;
let portfolioId = '';
let kimId = '';

const unescape = (href: string) => href.replace(/&amp;/g, '&');
const withoutLtik = (href: string) => {
  const url = new URL(unescape(href), 'http://tool');
  url.searchParams.delete('ltik');
  return `${url.pathname}${url.search}`;
};
async function upload(s: ToolSession, title: string, name: string, bytes: Buffer): Promise<string> {
  const page = await postFile(s, '/portfolio/evidence/files', { title, date: '2026-03-01', description: '', tags: '' }, { field: 'file', name, bytes });
  expect(page.status).toBe(200);
  return new URL(page.location!).pathname.split('/').pop()!;
}
const activity = (title: string, day: string, evidenceIds: string) => ({
  title, kind: 'course', startOn: day, endOn: day, hours: '3', provider: 'ALT', reflection: `What ${title} taught me.`, use: 'In my teaching.', mandatoryItem: '', evidenceIds,
});

beforeAll(async () => {
  course = suite.platform.course({ title: 'Learning technology 2026' });
  kim = await candidateWithPortfolio(suite.tool, suite.platform, course, 'Kim Tutor');
  pat = await candidateWithPortfolio(suite.tool, suite.platform, course, 'Pat Peer');
  cora = await launchAs(suite.tool, suite.platform, { role: 'Instructor', user: suite.platform.user({ name: 'Cora Coordinator' }), course });
  expect(cora.ok).toBe(true);
  kimId = String((await User.findOne({ name: 'Kim Tutor' }).lean())!._id);
  portfolioId = String((await Portfolio.findOne({ userId: kimId }).lean())!._id);
});

test('the certification date comes from ALT’s recorded pass; a date entered meanwhile is explained and changes nothing', async () => {
  // No pass recorded: the date is entered.
  expect((await kim.get('/cpd/review')).html).toContain('name="certifiedOn"');
  const entered = await kim.post('/cpd/review/certification', { certifiedOn: '2025-01-10' });
  expect(entered.status).toBe(200);
  expect(textOf(entered.html)).toContain('Certified 10 January 2025. Your review is due by 10 January 2028');

  // The first submission and ALT's pass, recorded on the portfolio's submission page.
  const base = `/export/portfolios/${portfolioId}/submission`;
  expect((await kim.post(base, { kind: 'first', route: 'url', submittedOn: '2025-12-01' })).status).toBe(200);
  expect((await cora.post(`${base}/outcome`, { result: 'pass', decidedOn: '2026-02-01', certifiedOn: '2026-01-20' })).status).toBe(200);

  const page = await kim.get('/cpd/review');
  expect(textOf(page.html)).toContain('Certified 20 January 2026 (from your ALT result). Your review is due by 20 January 2029');
  expect(page.html).not.toContain('name="certifiedOn"');

  // Entering a date now is refused with the reason, and the stored one stays as it was.
  const refused = await kim.post('/cpd/review/certification', { certifiedOn: '2025-06-01' });
  expect(refused.status).toBe(409);
  expect(textOf(refused.html)).toContain('Your certification date, 20 January 2026, comes from your ALT result recorded with your portfolio, so there is no date to enter here.');
  expect((await CpdRecord.findOne({ ownerId: kimId }).lean())!.certifiedOn!.toISOString()).toBe('2025-01-10T00:00:00.000Z');
});

test('the review export carries the chosen activities’ evidence files (PDF pages appended, image drawn, files in the website), never another person’s', async () => {
  now = new Date('2026-06-01T09:00:00Z');
  const slides = await upload(kim, 'Workshop slides', 'slides.pdf', await aPdf('Kim slides', 2));
  const poster = await upload(kim, 'Conference poster', 'poster.png', aPng());
  const oldNotes = await upload(kim, 'Old notes', 'old-notes.pdf', await aPdf('Kim old notes', 1));
  const patsFile = await upload(pat, 'Pat private appraisal', 'private.pdf', await aPdf('Pat private', 1));

  // Pat's file cannot be linked through the form.
  const foreign = await kim.post('/cpd/entries', activity('Borrowed evidence', '2026-03-01', patsFile));
  expect(foreign.status).toBe(422);
  expect(textOf(foreign.html)).toContain('not in your evidence library');

  const chosenPage = await kim.post('/cpd/entries', activity('Accessibility workshop', '2026-03-10', slides));
  const chosen = /\/cpd\/entries\/([a-f0-9]{24})/.exec(chosenPage.url)![1];
  // The autosave script sends several pieces of evidence as a list.
  expect((await kim.postJson(`/cpd/entries/${chosen}`, { ...activity('Accessibility workshop', '2026-03-10', ''), evidenceIds: [slides, poster] })).status).toBe(200);
  const otherPage = await kim.post('/cpd/entries', activity('Reading group', '2026-04-10', oldNotes));
  expect(otherPage.status).toBe(200);
  // An id of Pat's evidence in Kim's entry (as a stale or forged link would be): the export still leaves it out.
  await CpdEntry.updateOne({ _id: chosen }, { $push: { evidenceIds: patsFile } });

  expect((await kim.post('/cpd/review', { entryIds: chosen, development: 'Accessibility since my pass.' })).status).toBe(200);
  const recordId = String((await CpdRecord.findOne({ ownerId: kimId }).lean())!._id);

  const pdf = await download(kim, `/export/documents/cmalt-review/${recordId}/pdf`);
  expect(pdf.status).toBe(200);
  const read = await readPdf(pdf.body);
  expect(read.text).toContain('Accessibility workshop');
  expect(read.text).toContain('Page 2 of the document'); // a review, not a portfolio, and of no course
  expect(read.text).not.toContain('Not named by the VLE');
  expect(read.text).toContain('Kim slides page 1');
  expect(read.text).toContain('Kim slides page 2');
  expect(read.images).toBeGreaterThanOrEqual(1); // the poster, drawn
  expect(read.text).not.toContain('Pat private');
  expect(read.text).not.toContain('Kim old notes'); // its activity was not chosen
  expect(read.bookmarks.flatMap((b) => [b.title, ...b.children.map((c) => c.title)]).join(' | ')).toContain('Workshop slides');

  const zip = await download(kim, `/export/documents/cmalt-review/${recordId}/website`);
  const site = await unzip(zip.body);
  const files = site.names.filter((n) => n.startsWith('evidence/'));
  expect(files.sort()).toEqual(['evidence/E1-slides.pdf', 'evidence/E2-poster.png']);
  expect(site.entries.get('evidence/E1-slides.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
  const evidencePage = site.entries.get('evidence.html')!.toString();
  expect(evidencePage).toContain('href="evidence/E1-slides.pdf"');
  expect(evidencePage).toContain('href="evidence/E2-poster.png"');
  expect(evidencePage).not.toContain('Pat private');
});

test('from the review page to recording the review with ALT, the review offered as what is submitted; a pass moves the next review', async () => {
  const review = await kim.get('/cpd/review');
  const href = /href="([^"]*\/export\/portfolios\/[a-f0-9]{24}\/submission\?kind=review[^"]*)"/.exec(review.html)?.[1];
  expect(href).toBeDefined();
  const recordId = String((await CpdRecord.findOne({ ownerId: kimId }).lean())!._id);
  const path = withoutLtik(href!);
  expect(path).toBe(`/export/portfolios/${portfolioId}/submission?kind=review&document=${encodeURIComponent(`cmalt-review/${recordId}`)}`);

  const [pathname, search] = path.split('?');
  const query = Object.fromEntries(new URLSearchParams(search));
  const offered = await kim.get(pathname, query);
  expect(offered.status).toBe(200);
  expect(offered.html).toMatch(/id="kind-review"[^>]* checked/);
  expect(offered.html).toMatch(/id="route-file"[^>]* checked/);
  expect(textOf(offered.html)).toContain('What you are submitting: CMALT review of Kim Tutor');
  expect(offered.html).toContain(`/export/documents/cmalt-review/${recordId}/pdf`);
  expect(offered.html).toContain('name="document"');

  // The coordinator may record Kim's submission, but the review is Kim's: it is not offered to them. Pat cannot open the page.
  const coraView = await cora.get(pathname, query);
  expect(coraView.status).toBe(200);
  expect(textOf(coraView.html)).not.toContain('What you are submitting');
  expect((await pat.get(pathname, query)).status).toBe(404);

  const recorded = await kim.post(pathname, { kind: 'review', route: 'file', submittedOn: '2026-06-01', document: `cmalt-review/${recordId}` });
  expect(recorded.status).toBe(200);
  expect(textOf(recorded.html)).toContain('The submission to ALT is recorded.');
  expect(textOf(recorded.html)).toContain('Back to your CMALT review');
  expect((await Portfolio.findById(portfolioId).lean())!.altRounds!.at(-1)).toMatchObject({ kind: 'review', outcome: 'pending' });

  const after = textOf((await kim.get('/cpd/review')).html);
  expect(after).toContain('Your review was submitted to ALT on 1 June 2026. ALT has not decided yet.');
  expect(after).toContain('Certified 20 January 2026 (from your ALT result)');
  expect((await kim.get('/cpd/review')).html).not.toContain('submission?kind=review');

  // ALT passes the review: the review clock restarts from the new certification date, reminders follow it.
  now = new Date('2026-09-01T09:00:00Z');
  expect((await cora.post(`/export/portfolios/${portfolioId}/submission/outcome`, { result: 'pass', decidedOn: '2026-08-20', certifiedOn: '2026-08-15' })).status).toBe(200);
  const passed = textOf((await kim.get('/cpd/review')).html);
  expect(passed).toContain('Certified 15 August 2026 (from your ALT result). Your review is due by 15 August 2029');
  expect(passed).toContain('Your review was submitted to ALT on 1 June 2026 and passed on 20 August 2026.');
  await kim.get('/cpd'); // the course reminders link back to
  await sweepReminders({ months: 2, notify: { emailEnabled: false }, now: new Date('2029-06-01T09:00:00Z') });
  const reminders = await Notification.find({ userId: kimId, kind: 'cpd_reminder', text: /CMALT review/ }).lean();
  expect(reminders.map((n) => n.text)).toEqual(['Your CMALT review is due by 2029-08-15.']);
});

test('from a course without their portfolio, the page says where the review is recorded', async () => {
  const elsewhere = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: kim.launch.user, course: suite.platform.course({ title: 'Staff development' }) });
  const page = await elsewhere.get('/cpd/review');
  expect(textOf(page.html)).toContain('Certified 15 August 2026 (from your ALT result)');
  expect(textOf(page.html)).toContain('Open this tool from the course that holds it to record the review.');
  expect(page.html).not.toContain('submission?kind=review');
});
