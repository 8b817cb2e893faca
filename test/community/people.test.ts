import * as ical from 'node-ical';
import { Invitation, Profile } from '../../src/community/people/models';
import { Notification } from '../../src/notifications/models';
import { User } from '../../src/people/user.model';
import { aCoordinator, launched, text } from '../support/factories';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { toolSuite } from '../support/suite';
import { registerPlatform } from '../support/tool';
import { setOutboundPolicy } from '../../src/vle/guarded-fetch';

const suite = toolSuite();
const userIdOf = async (name: string) => String((await User.findOne({ name }).lean())!._id);
const peopleLinked = (html: string) => [...html.matchAll(/href="[^"]*\/community\/people\/([a-f0-9]{24})[?"]/g)].map((m) => m[1]);
const invitationIn = (url: string) => /\/community\/people\/invitations\/([a-f0-9]{24})/.exec(url)?.[1] ?? '';

describe('people of the learning set', () => {
  let otherVle: TestPlatform | undefined;
  afterAll(async () => otherVle?.close());

  test('members write profiles, find each other by an interest or a site, invite with a message or a suggested meeting, and answer', async () => {
    const { platform, tool } = suite;
    const course = platform.course({ title: 'People' });
    const { session: cora } = await aCoordinator({ tool, platform }, { course, name: 'Cora People' });
    const cat = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cat People' }));
    const cal = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cal People' }));
    const [catId, calId] = [await userIdOf('Cat People'), await userIdOf('Cal People')];

    // everyone who has opened the space is in the directory, with their role
    const everyone = await cora.get('/community/people');
    expect(everyone.status).toBe(200);
    expect(text(everyone.html)).toContain('Cat People');
    expect(text(everyone.html)).toContain('No profile written yet.');

    const bad = await cat.post('/community/people/me', { site: 'x'.repeat(101), interests: 'video' });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Keep your site to 100 characters or fewer.');
    expect((await Profile.findOne({ userId: catId }).lean())!.written).toBe(false);
    const saved = await cat.post('/community/people/me', { site: 'North Campus', interests: 'Accessibility, Video captions', helpWith: 'Moodle quizzes', about: 'Learning technologist, <b>five</b> years.' });
    expect(saved.status).toBe(200);
    expect(text(saved.html)).toContain('Your profile is saved.');
    expect(saved.html).toContain('&lt;b&gt;five&lt;/b&gt;'); // typed text stays text
    await cal.post('/community/people/me', { site: 'south campus', interests: 'feedback', helpWith: 'accessibility' });

    // who knows about accessibility: an interest of Cat's, something Cal can help with; who is at North Campus
    expect(new Set(peopleLinked((await cora.get('/community/people', { about: 'Accessibility' })).html))).toEqual(new Set([catId, calId]));
    expect(peopleLinked((await cora.get('/community/people', { about: 'moodle quizzes' })).html)).toEqual([catId]);
    expect(peopleLinked((await cora.get('/community/people', { site: 'north campus' })).html)).toEqual([catId]);
    expect(text((await cora.get('/community/people', { about: 'blockchain' })).html)).toContain('Nobody found for “blockchain”');

    // a message, and a suggested meeting in summer (British Summer Time: 14:00 in London is 13:00 UTC)
    const year = new Date().getUTCFullYear() + 1;
    expect((await cal.post(`/community/people/${calId}/invite`, { kind: 'message', message: 'Me?' })).status).toBe(422);
    const noMessage = await cal.post(`/community/people/${catId}/invite`, { kind: 'message', message: '  ' });
    expect(text(noMessage.html)).toContain('Write a short message to go with the invitation.');
    const backwards = await cal.post(`/community/people/${catId}/invite`, { kind: 'meeting', message: 'Coffee?', date: `${year}-07-14`, start: '15:00', end: '14:00' });
    expect(backwards.status).toBe(422);
    expect(text(backwards.html)).toContain('The end must be after the start, on the same day.');
    expect(backwards.html).toContain(">Coffee?</textarea>"); // what was typed is kept
    const gap = await cal.post(`/community/people/${catId}/invite`, { kind: 'meeting', message: 'Coffee?', date: `${year}-03-${lastSunday(year, 2)}`, start: '01:30', end: '02:30' });
    expect(text(gap.html)).toContain('That date and time does not exist');
    expect(await Invitation.countDocuments({ fromId: calId })).toBe(0);

    const sent = await cal.post(`/community/people/${catId}/invite`, { kind: 'meeting', message: 'Shall we compare caption workflows?', date: `${year}-07-14`, start: '14:00', end: '15:00', place: 'Library café' });
    expect(sent.status).toBe(200);
    const invId = invitationIn(sent.url);
    expect(text(sent.html)).toContain('Your invitation is sent.');
    const stored = (await Invitation.findById(invId).lean())!;
    expect(stored.meetingStartsAt!.toISOString()).toBe(`${year}-07-14T13:00:00.000Z`);
    expect(await Notification.countDocuments({ userId: catId, path: `/community/people/invitations/${invId}` })).toBe(1);

    const ics = await cat.get(`/community/people/invitations/${invId}/ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const events = Object.values(ical.sync.parseICS(ics.html)).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];
    expect(events).toHaveLength(1);
    expect(events[0].start.toISOString()).toBe(`${year}-07-14T13:00:00.000Z`);
    expect(events[0].end!.toISOString()).toBe(`${year}-07-14T14:00:00.000Z`);
    expect(events[0].location).toBe('Library café');

    // only the person invited answers; the sender may only withdraw; an answered invitation stays answered
    expect((await cal.post(`/community/people/invitations/${invId}/answer`, { answer: 'accept' })).status).toBe(403);
    expect((await cat.post(`/community/people/invitations/${invId}/answer`, { answer: 'maybe' })).status).toBe(422);
    const accepted = await cat.post(`/community/people/invitations/${invId}/answer`, { answer: 'accept' });
    expect(text(accepted.html)).toContain('You accepted the invitation.');
    expect((await cat.post(`/community/people/invitations/${invId}/answer`, { answer: 'decline' })).status).toBe(409);
    expect((await Invitation.findById(invId).lean())!.state).toBe('accepted');
    expect(text((await cal.get('/community/people/invitations')).html)).toContain('To Cat People: a suggested meeting');
    expect(await Notification.countDocuments({ userId: calId, path: `/community/people/invitations/${invId}` })).toBe(1);

    // Cora reads nobody's invitations but her own
    expect((await cora.get(`/community/people/invitations/${invId}`)).status).toBe(404);
    expect((await cora.get(`/community/people/invitations/${invId}/ics`)).status).toBe(404);
  });

  test('another course, or the same course title in another VLE, cannot read a profile, invite, or read an invitation by URL', async () => {
    const { platform, tool } = suite;
    const course = platform.course({ title: 'Guarded people' });
    const cat = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cat Guarded' }));
    await cat.post('/community/people/me', { site: 'Hidden Campus', interests: 'secrets' });
    const catId = await userIdOf('Cat Guarded');
    const cal = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cal Guarded' }));
    const inv = invitationIn((await cal.post(`/community/people/${catId}/invite`, { kind: 'message', message: 'Hello' })).url);

    otherVle = await startTestPlatform();
    // what OUTBOUND_ALLOWED_ORIGINS would say had this second VLE been known at start-up
    setOutboundPolicy({ allowedOrigins: [platform.baseUrl, otherVle.baseUrl], loopback: false });
    const home = { clientId: tool.clientId, deploymentId: tool.deploymentId };
    const away = await registerPlatform(tool, otherVle);
    Object.assign(tool, home); // the suite's own VLE stays the default for launches
    const strangers = [
      (await aCoordinator(suite, { course: platform.course({ title: 'Other people' }), name: 'Cora Elsewhere' })).session,
      await launched({ tool, platform: otherVle }, otherVle.course({ title: 'Guarded people' }), 'Learner', otherVle.user({ name: 'Bea OtherVle' }), away),
    ];
    const before = { invitations: await Invitation.countDocuments(), profile: await Profile.findOne({ userId: catId }).lean() };
    for (const s of strangers) {
      expect((await s.get(`/community/people/${catId}`)).status).toBe(404);
      expect((await s.post(`/community/people/${catId}/invite`, { kind: 'message', message: 'Hi' })).status).toBe(404);
      expect((await s.get(`/community/people/invitations/${inv}`)).status).toBe(404);
      expect((await s.post(`/community/people/invitations/${inv}/answer`, { answer: 'accept' })).status).toBe(404);
      const dir = await s.get('/community/people', { about: 'secrets' });
      expect(dir.status).toBe(200);
      expect(text(dir.html)).not.toContain('Cat Guarded');
    }
    expect(await Invitation.countDocuments()).toBe(before.invitations);
    expect((await Invitation.findById(inv).lean())!.state).toBe('sent');
    expect((await Profile.findOne({ userId: catId }).lean())!.site).toBe(before.profile!.site);
  });

  test('the directory pages through a large set, everyone once', async () => {
    const { platform, tool } = suite;
    const course = platform.course({ title: 'Big set' });
    const { session: cora } = await aCoordinator({ tool, platform }, { course, name: 'Cora Big' });
    await cora.get('/community/people'); // her first visit enters her
    const courseId = (await Profile.findOne({ name: 'Cora Big' }).lean())!.courseId;
    await Profile.insertMany(Array.from({ length: 44 }, (_, i) => ({ courseId, userId: `seed-${i}`, name: `Seeded ${String(i).padStart(2, '0')}`, nameKey: `seeded ${String(i).padStart(2, '0')}`, role: 'candidate' })));
    const seen: string[] = [];
    for (let page = 1; page <= 4; page += 1) {
      const whole = (await cora.get('/community/people', { page: String(page) })).html;
      const html = whole.slice(whole.indexOf('<h2>Everyone'));
      seen.push(...[...html.matchAll(/>(Seeded \d\d|Cora Big)</g)].map((m) => m[1]));
      if (!html.includes('Next page')) break;
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect((await cora.get('/community/people', { page: 'nonsense' })).status).toBe(200);
  });
});

/** The day of the month of the last Sunday of March (month index 2): the night the UK's clocks go forward. */
function lastSunday(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month + 1, 0));
  return String(d.getUTCDate() - d.getUTCDay()).padStart(2, '0');
}
