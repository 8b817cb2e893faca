import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { drainEmailJobs } from '../../src/notifications';
import { EmailJob, Notification } from '../../src/notifications/models';
import { aCandidate, aCoordinator, aMentor, text, writeAndAskForReview } from '../support/factories';
import { startSmtpServer, waitFor } from './smtp';

let platform: TestPlatform;
let tool: TestTool;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  platform = await startTestPlatform();
  tool = await startTestTool({ platform, env: { SMTP_URL: smtp.url, MAIL_FROM: 'CMALT Portfolio <cmalt@example.ac.uk>' } });
});
afterAll(async () => {
  await tool?.close();
  await platform?.close();
  await smtp?.close();
});

const ctx = () => ({ smtpUrl: smtp.url, mailFrom: 'CMALT Portfolio <cmalt@example.ac.uk>' });

async function aCourseWithMentor(title: string) {
  const course = platform.course({ title });
  const { session: coordinator } = await aCoordinator({ tool, platform }, { course, name: `Coordinator ${title}` });
  const mentorUser = platform.user({ name: `Mentor ${title}`, email: `mentor.${course.id}@example.ac.uk` });
  const { session: mentor } = await aMentor({ tool, platform }, { course, user: mentorUser });
  const cand = await aCandidate({ tool, platform }, { course, name: `Candidate ${title}` });
  await coordinator.post('/cohort/assignments', { candidateSub: cand.user.id, mentorSub: mentorUser.id, action: 'assign' });
  return { course, coordinator, mentor, mentorUser, cand };
}

describe('email notifications through a real SMTP server', () => {
  test('the mentor is emailed when a section is ready for review, with a link back through the VLE and no session token', async () => {
    const { mentorUser, cand } = await aCourseWithMentor('Ready');
    await writeAndAskForReview(cand.session, cand.id('future-plans'), 'My plans.');
    const mail = await waitFor(() => smtp.received.find((m) => m.to.includes(mentorUser.email)));
    expect(mail.from).toBe('cmalt@example.ac.uk');
    expect(mail.subject).toContain('Candidate Ready marked Future plans ready for review');
    expect(mail.text).toContain(`${platform.baseUrl}/course/`); // the course's return URL in the VLE
    expect(mail.text).toContain('Open CMALT Portfolio from your course "Ready" in the VLE');
    expect(mail.raw).not.toMatch(/ltik/i);
    expect(mail.text).not.toContain(tool.baseUrl);
  });

  test('the candidate is emailed when a comment and a review arrive', async () => {
    const { mentor, cand } = await aCourseWithMentor('Comments');
    const id = cand.id('future-plans');
    await writeAndAskForReview(cand.session, id, 'My plans for next year.');
    await mentor.post(`/mentoring/sections/${id}/comments`, { body: 'Which year?' });
    const comment = await waitFor(() => smtp.received.find((m) => m.to.includes(cand.user.email) && m.subject.includes('commented on Future plans')));
    expect(comment.subject).toContain('Mentor Comments commented on Future plans');
    const section = (await import('../../src/portfolio/models')).Section;
    const version = (await section.findById(id).lean())!.version;
    await mentor.post(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: 'Say which year.', expectedVersion: String(version) });
    const review = await waitFor(() => smtp.received.find((m) => m.to.includes(cand.user.email) && m.subject.includes('needs more work')));
    expect(review.text).toContain('reviewed Future plans: needs more work');
  });

  test('someone who chose a daily digest gets one email next morning listing everything, not one per event', async () => {
    const { mentor, cand } = await aCourseWithMentor('Digest');
    const saved = await cand.session.post('/mentoring/notifications/preferences', { email: 'digest' });
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('Your email setting was saved.');
    const id = cand.id('future-plans');
    await writeAndAskForReview(cand.session, id, 'Plans.');
    await mentor.post(`/mentoring/sections/${id}/comments`, { body: 'First thought.' });
    await mentor.post(`/mentoring/sections/${id}/comments`, { body: 'Second thought.' });
    await drainEmailJobs(ctx(), new Date()); // what the worker does now: a digest is not due yet
    expect(smtp.received.filter((m) => m.to.includes(cand.user.email))).toHaveLength(0);
    const tomorrow = new Date(Date.now() + 25 * 3600_000);
    await drainEmailJobs(ctx(), tomorrow);
    const digests = smtp.received.filter((m) => m.to.includes(cand.user.email));
    expect(digests).toHaveLength(1);
    expect(digests[0].subject).toBe('CMALT Portfolio: 2 things need your attention');
    expect(digests[0].text.match(/Mentor Digest commented on Future plans/g)).toHaveLength(2);
    await drainEmailJobs(ctx(), new Date(Date.now() + 50 * 3600_000));
    expect(smtp.received.filter((m) => m.to.includes(cand.user.email))).toHaveLength(1);
  });

  test('a refused email stays queued and is retried later; it is sent once', async () => {
    const { mentor, mentorUser, cand } = await aCourseWithMentor('Retry');
    const id = cand.id('future-plans');
    await writeAndAskForReview(cand.session, id, 'Plans.');
    await waitFor(() => smtp.received.find((m) => m.to.includes(mentorUser.email)));
    smtp.refuseNext(1);
    await mentor.post(`/mentoring/sections/${id}/comments`, { body: 'Hello.' });
    const job = await waitFor(async () => EmailJob.findOne({ userId: cand.userId, lastError: { $ne: null } }).lean());
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job!.runAt.getTime()).toBeGreaterThan(Date.now());
    await drainEmailJobs(ctx(), new Date(Date.now() + 10 * 60_000));
    expect((await EmailJob.findById(job!._id).lean())!.status).toBe('sent');
    expect(smtp.received.filter((m) => m.to.includes(cand.user.email))).toHaveLength(1);
  });

  test('the in-app list shows what needs attention, only to its owner, and marks it read', async () => {
    const { mentor, cand } = await aCourseWithMentor('List');
    const id = cand.id('future-plans');
    await writeAndAskForReview(cand.session, id, 'Plans.');
    await mentor.post(`/mentoring/sections/${id}/comments`, { body: 'Nice start. <script>alert(1)</script>' });
    await mentor.post(`/mentoring/sections/${id}/comments`, { body: `Long ${'word '.repeat(100)}` });
    const page = await cand.session.get('/mentoring/notifications');
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Mentor List commented on Future plans.');
    // The comment's words are shown (escaped, cut short), and one "Mark all as read" serves the whole list.
    expect(text(page.html)).toContain('Nice start.');
    expect(page.html).not.toContain('<script>alert');
    expect(text(page.html)).toMatch(/Long (word ){20,}.*…/);
    expect(page.html.match(/<button[^>]*>[^<]*Mark/g)).toHaveLength(1);
    expect(text(page.html)).toContain('Mark all as read');
    expect(text(page.html)).toContain('Notifications (2 unread)');
    const n = (await Notification.findOne({ userId: cand.userId }).lean())!;
    const others = await mentor.post('/mentoring/notifications/read', { id: String(n._id) });
    expect(others.status).toBe(200);
    expect((await Notification.findById(n._id).lean())!.readAt).toBeNull(); // not the mentor's to mark
    const bad = await cand.session.post('/mentoring/notifications/read', { id: 'not-an-id' });
    expect(bad.status).toBe(422);
    await cand.session.post('/mentoring/notifications/read', { id: String(n._id) });
    expect((await Notification.findById(n._id).lean())!.readAt).not.toBeNull();
  });
});
