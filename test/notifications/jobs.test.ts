import mongoose from 'mongoose';
import { freshDatabaseUri } from '../support/db';
import { Course } from '../../src/people/course.model';
import { User } from '../../src/people/user.model';
import { drainEmailJobs, notify } from '../../src/notifications';
import { claimEmailJob, LEASE_MS } from '../../src/notifications/email.job';
import { EmailJob } from '../../src/notifications/models';
import { startEmailWorker } from '../../src/notifications/worker';
import { quietLogger } from '../../src/log';
import { startSmtpServer } from './smtp';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  await mongoose.connect(freshDatabaseUri('emailjobs'));
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await mongoose.disconnect();
  await smtp.close();
});

async function aPerson(email: string) {
  const course = await Course.create({ issuer: 'https://vle.example', deploymentId: 'd', contextId: email, title: 'Jobs course' });
  const user = await User.create({ issuer: 'https://vle.example', sub: email, name: 'Pat', email });
  return { courseId: String(course._id), userId: String(user._id) };
}

describe('the email queue', () => {
  test('two workers draining at once send each email exactly once', async () => {
    const p = await aPerson('pat@example.ac.uk');
    for (let i = 0; i < 5; i += 1) {
      await notify({ ...p, kind: 'comment', text: `Comment ${i}`, path: '/mentoring', key: `k${i}` }, { emailEnabled: true });
    }
    const ctx = { smtpUrl: smtp.url, mailFrom: 'cmalt@example.ac.uk' };
    await Promise.all([drainEmailJobs(ctx), drainEmailJobs(ctx)]);
    const mine = smtp.received.filter((m) => m.to.includes('pat@example.ac.uk'));
    expect(mine).toHaveLength(5);
    expect(new Set(mine.map((m) => m.subject)).size).toBe(5);
    expect(await EmailJob.countDocuments({ userId: p.userId, status: 'sent' })).toBe(5);
  });

  test('the same event reported twice makes one notification and one email', async () => {
    const p = await aPerson('sam@example.ac.uk');
    const first = await notify({ ...p, kind: 'review', text: 'Reviewed', path: '/x', key: 'same-event' }, { emailEnabled: true });
    const second = await notify({ ...p, kind: 'review', text: 'Reviewed', path: '/x', key: 'same-event' }, { emailEnabled: true });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect(await EmailJob.countDocuments({ userId: p.userId })).toBe(1);
  });

  test('a job claimed by a worker that died is picked up again once its lease runs out', async () => {
    const p = await aPerson('lee@example.ac.uk');
    await EmailJob.updateMany({ status: 'pending' }, { $set: { status: 'skipped' } }); // only this test's job is due
    await notify({ ...p, kind: 'comment', text: 'Lost worker', path: '/x', key: 'lease' }, { emailEnabled: true });
    const now = new Date();
    const claimed = await claimEmailJob(now);
    expect(claimed).not.toBeNull();
    expect(await claimEmailJob(now)).toBeNull(); // leased: nobody else takes it
    const later = new Date(now.getTime() + LEASE_MS + 1000);
    const again = await claimEmailJob(later);
    expect(String(again!._id)).toBe(String(claimed!._id));
    expect(again!.attempts).toBe(2);
  });

  test('without SMTP the in-app notification is kept and no email is queued', async () => {
    const p = await aPerson('kim@example.ac.uk');
    expect(await notify({ ...p, kind: 'comment', text: 'Quiet', path: '/x', key: 'quiet' }, { emailEnabled: false })).not.toBeNull();
    expect(await EmailJob.countDocuments({ userId: p.userId })).toBe(0);
  });

  test('a stopped worker finishes the drain it started and sends nothing after', async () => {
    await EmailJob.updateMany({ status: 'pending' }, { $set: { status: 'skipped' } });
    const p = await aPerson('stopping@example.ac.uk');
    await notify({ ...p, kind: 'comment', text: 'Before the stop', path: '/x', key: 'stop-1' }, { emailEnabled: true });
    const worker = startEmailWorker({ smtpUrl: smtp.url, mailFrom: 'cmalt@example.ac.uk' }, quietLogger(), 60_000);
    worker.kick();
    await new Promise((r) => setImmediate(r)); // the kick has started a drain
    await worker.stop();
    const mine = () => smtp.received.filter((m) => m.to.includes('stopping@example.ac.uk'));
    expect(mine()).toHaveLength(1); // stop waited for it
    await notify({ ...p, kind: 'comment', text: 'After the stop', path: '/x', key: 'stop-2' }, { emailEnabled: true });
    worker.kick();
    await new Promise((r) => setImmediate(r)); // where a kick would start a drain
    await worker.stop(); // and waits for any drain it had started
    expect(mine()).toHaveLength(1);
    expect(await EmailJob.countDocuments({ userId: p.userId, status: 'pending' })).toBe(1);
  });
});

