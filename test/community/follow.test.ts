import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestTool, type TestTool } from '../support/tool';
import { drainEmailJobs } from '../../src/notifications';
import { Notification } from '../../src/notifications/models';
import { aCoordinator, aMentor, launched, text } from '../support/factories';
import { startSmtpServer } from '../notifications/smtp';

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

const postIdIn = (url: string) => /\/community\/posts\/([a-f0-9]{24})/.exec(url)?.[1] ?? '';

test('people follow the space or a post; new posts and replies reach their notifications and the morning digest, never about their own or a hidden post', async () => {
  const course = platform.course({ title: 'Following' });
  const { session: cora } = await aCoordinator({ tool, platform }, { course, name: 'Cora Follow' });
  const calUser = platform.user({ name: 'Cal Follow', email: 'cal.follow@example.ac.uk' });
  const cal = await launched({ tool, platform }, course, 'Learner', calUser);
  const cat = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cat Follow', email: 'cat.follow@example.ac.uk' }));
  const { session: mo } = await aMentor({ tool, platform }, { course, name: 'Mo Follow' });

  expect((await cal.post('/mentoring/notifications/preferences', { email: 'digest' })).status).toBe(200);
  const followed = await cal.post('/community/follow', { follow: 'yes' });
  expect(text(followed.html)).toContain('You are following this');
  expect(text(followed.html)).toContain('Stop following new posts');

  const posted = await cat.post('/community/posts', { kind: 'question', title: 'Feedback turnaround', body: 'How fast?' });
  const id = postIdIn(posted.url);
  expect(text(posted.html)).toContain('Stop following this post'); // the author follows their own post
  await mo.post(`/community/posts/${id}/replies`, { body: 'A week.' });
  await cat.post(`/community/posts/${id}/replies`, { body: 'Thanks.' }); // her own reply tells nobody but followers

  const calHeard = await Notification.find({ courseId: { $exists: true }, text: /learning set/, path: `/community/posts/${id}` }).lean();
  const forCal = calHeard.filter((n) => n.text.startsWith('Cat Follow posted'));
  expect(forCal).toHaveLength(1);
  const catNotes = (await cat.get('/mentoring/notifications')).html;
  expect(text(catNotes)).toContain('Mo Follow replied to “Feedback turnaround” in the learning set');
  expect(text(catNotes)).not.toContain('Cat Follow replied');

  // Cal follows the post too, then Cora hides it: nothing more is told
  await cal.post(`/community/posts/${id}/follow`, { follow: 'yes' });
  await cora.post(`/community/posts/${id}/moderate`, { action: 'hide' });
  const before = await Notification.countDocuments({ path: `/community/posts/${id}` });
  await cat.post(`/community/posts/${id}/replies`, { body: 'Hidden now?' });
  expect(await Notification.countDocuments({ path: `/community/posts/${id}` })).toBe(before);

  // unfollowing the space: the next post tells Cal nothing
  await cal.post('/community/follow', { follow: 'no' });
  const second = await cat.post('/community/posts', { kind: 'question', title: 'Second', body: 'Another.' });
  expect(await Notification.countDocuments({ path: `/community/posts/${postIdIn(second.url)}` })).toBe(0);

  await drainEmailJobs({ smtpUrl: smtp.url, mailFrom: 'CMALT Portfolio <cmalt@example.ac.uk>' }, new Date(Date.now() + 26 * 3600_000));
  const digest = smtp.received.filter((m) => m.to.includes(calUser.email));
  expect(digest).toHaveLength(1);
  expect(digest[0].text).toMatch(/Cat Follow posted .{1,3}Feedback turnaround.{1,3} in the learning set/); // the test server reads the curly quotes as Latin-1
  expect(digest[0].raw).not.toMatch(/ltik/i);
});
