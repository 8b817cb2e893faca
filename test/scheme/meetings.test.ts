import ical, { type VEvent } from 'node-ical';
import { DateTime } from 'luxon';
import { toolSuite } from '../support/suite';
import { launched, text } from '../mentoring/people';
import { Meeting } from '../../src/scheme/meetings.model';
import { SchemeEmail } from '../../src/scheme/scheme.model';
import { meetingsForCalendar } from '../../src/scheme';
import { queueMeetingReminders } from '../../src/scheme/meetings.service';
import { aCandidateWithAPlace, londonLocal, schemeSettings } from './helpers';

// Two VLEs registered with one tool, so URL guessing is also tried from another institution's course.
const suite = toolSuite({ secondVle: true });

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const meeting = (overrides: Record<string, string> = {}) => ({
  title: 'Core area 1', startsAt: londonLocal(3 * DAY), endsAt: londonLocal(3 * DAY + HOUR), place: 'Library room 2, City campus',
  onlineUrl: 'https://meet.example.ac.uk/set', agenda: 'Read each other’s drafts.', ...overrides,
});
const idIn = (url: string) => /\/scheme\/manage\/meetings\/([0-9a-f]{24})/.exec(url)![1];
const events = (body: string) => Object.values(ical.sync.parseICS(body)).filter((c): c is VEvent => c?.type === 'VEVENT');

async function anonymous(path: string) {
  const res = await fetch(new URL(path, suite.tool.baseUrl), { redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('learning-set meetings: scheduling, calendars, attendance, reminders', () => {
  test('the coordinator schedules a meeting; the set sees it, downloads it and subscribes; changes and cancellations reach the feed', async () => {
    const course = suite.platform.course({ title: 'Meetings course' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Meet', email: 'cora.meet@example.ac.uk' }));
    expect((await cora.post('/scheme/manage/settings', schemeSettings())).status).toBe(200);
    const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Meet');
    const ben = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Meet', { accept: false });
    const mo = await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Mo Meet', email: 'mo.meet@example.ac.uk' }));

    // Bad input: each refused with its reason, nothing saved.
    const cases: Array<[Record<string, string>, string]> = [
      [meeting({ endsAt: londonLocal(3 * DAY - HOUR) }), 'The meeting must end after it starts.'],
      [meeting({ startsAt: londonLocal(-DAY), endsAt: londonLocal(-DAY + HOUR) }), 'The meeting must start in the future.'],
      [meeting({ place: '', onlineUrl: '' }), 'Give a place, an online link, or both.'],
      [meeting({ onlineUrl: 'javascript:alert(1)' }), 'Enter the online link as a full web address'],
      [meeting({ startsAt: 'next Tuesday' }), 'Enter when the meeting starts'],
      [meeting({ title: ' ' }), 'Enter a title for the meeting'],
    ];
    for (const [form, message] of cases) {
      const r = await cora.post('/scheme/manage/meetings', form);
      expect(r.status).toBe(422);
      expect(text(r.html)).toContain(message);
    }
    expect(await Meeting.countDocuments({})).toBe(0);
    expect((await mo.post('/scheme/manage/meetings', meeting())).status).toBe(403);
    expect((await ann.s.post('/scheme/manage/meetings', meeting())).status).toBe(403);

    // Scheduled in UK time: 14:00 London on a summer date is 13:00Z.
    const summer = DateTime.fromObject({ year: DateTime.now().year + 1, month: 7, day: 7, hour: 14 }, { zone: 'Europe/London' });
    const created = await cora.post('/scheme/manage/meetings', meeting({ startsAt: summer.toFormat("yyyy-MM-dd'T'HH:mm"), endsAt: summer.plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm") }));
    expect(created.status).toBe(200);
    const id = idIn(created.url);
    const stored = (await Meeting.findById(id).lean())!;
    expect(stored.startsAt.toISOString()).toBe(summer.toUTC().toISO({ suppressMilliseconds: true })!.replace('Z', '.000Z'));
    expect(text(created.html)).toContain('14:00 to 15:00 (Europe/London time)');

    // Who sees it: the candidate with a place and the mentor; not the applicant without one.
    expect(text((await ann.s.get('/scheme/meetings')).html)).toContain('Core area 1');
    expect(text((await mo.get('/scheme/meetings')).html)).toContain('Core area 1');
    expect(new URL((await mo.get('/scheme')).url).pathname).toBe('/scheme/meetings');
    for (const path of ['/scheme/meetings', `/scheme/meetings/${id}`, `/scheme/meetings/${id}.ics`]) expect((await ben.s.get(path)).status).toBe(403);

    // The .ics download parses as iCalendar with the right instant, place and link.
    const one = await ann.s.get(`/scheme/meetings/${id}.ics`);
    expect(one.status).toBe(200);
    const [ev] = events(one.html);
    expect(ev.summary).toBe('Core area 1');
    expect(ev.start.toISOString()).toBe(stored.startsAt.toISOString());
    expect(ev.location).toBe('Library room 2, City campus');
    expect(String(ev.description)).toContain('https://meet.example.ac.uk/set');

    // The feed: made on request, parses, carries the meeting; a change raises SEQUENCE and moves it.
    expect((await ann.s.post('/scheme/meetings/feed')).status).toBe(200);
    const feedPath = new URL(/value="(https?:\/\/[^"]+\/scheme-calendar\/[^"]+)"/.exec((await ann.s.get('/scheme/meetings')).html)![1]).pathname;
    const feed = await anonymous(feedPath);
    expect(feed.status).toBe(200);
    expect(feed.type).toContain('text/calendar');
    expect(events(feed.body).map((e) => e.summary)).toEqual(['Core area 1']);
    const later = summer.plus({ days: 1 });
    const moved = await cora.post(`/scheme/manage/meetings/${id}`, meeting({ title: 'Core area 1 (moved)', startsAt: later.toFormat("yyyy-MM-dd'T'HH:mm"), endsAt: later.plus({ hours: 2 }).toFormat("yyyy-MM-dd'T'HH:mm") }));
    expect(moved.status).toBe(200);
    const [changed] = events((await anonymous(feedPath)).body);
    expect(changed.summary).toBe('Core area 1 (moved)');
    expect(changed.start.toISOString()).toBe(later.toUTC().toJSDate().toISOString());
    expect(Number(changed.sequence)).toBe(1);
    expect((await SchemeEmail.find({ subject: /Meeting moved/ }).lean()).map((e) => e.to).sort()).toEqual(['ann.meet@example.ac.uk', 'cora.meet@example.ac.uk', 'mo.meet@example.ac.uk']); // the coordinator teaches, so is told too

    // Another course's coordinator, and one from another VLE, find nothing by guessing the id.
    const otherCourse = suite.platform.course({ title: 'Other meetings' });
    const olly = await launched(suite.tool, suite.platform, otherCourse, 'Instructor', suite.platform.user({ name: 'Olly Meet' }));
    const vera = await launched(suite.tool, suite.otherVle, suite.otherVle.course({ title: 'Other VLE' }), 'Instructor', suite.otherVle.user({ name: 'Vera Vle' }));
    for (const who of [olly, vera]) {
      for (const path of [`/scheme/meetings/${id}`, `/scheme/meetings/${id}.ics`, `/scheme/manage/meetings/${id}`]) {
        const r = await who.get(path);
        expect(r.status).toBe(404);
        expect(r.html).not.toContain('Core area 1');
      }
      expect((await who.post(`/scheme/manage/meetings/${id}/cancel`)).status).toBe(404);
      expect((await who.post(`/scheme/manage/meetings/${id}`, meeting({ title: 'Hijacked' }))).status).toBe(404);
    }
    expect((await Meeting.findById(id).lean())!.cancelled).toBe(false);

    // Cancelled: in the feed as CANCELLED; cancelling twice or changing it afterwards is refused.
    expect((await cora.post(`/scheme/manage/meetings/${id}/cancel`)).status).toBe(200);
    const [gone] = events((await anonymous(feedPath)).body);
    expect(gone.status).toBe('CANCELLED');
    expect(Number(gone.sequence)).toBe(2);
    const twice = await cora.post(`/scheme/manage/meetings/${id}/cancel`);
    expect(twice.status).toBe(409);
    expect(text(twice.html)).toContain('already cancelled');
    expect((await cora.post(`/scheme/manage/meetings/${id}`, meeting())).status).toBe(409);

    // Wrong, revoked and no-longer-allowed addresses.
    expect((await anonymous(feedPath.replace(/\.([A-Za-z0-9_-]{4})/, '.AAAA'))).status).toBe(404);
    expect((await anonymous('/scheme-calendar/nonsense.ics')).status).toBe(404);
    expect((await ann.s.post('/scheme/meetings/feed/revoke')).status).toBe(200);
    const revoked = await anonymous(feedPath);
    expect(revoked.status).toBe(410);
    expect(text(revoked.body)).toContain('replaced by a newer one');
    const newPath = new URL(/value="(https?:\/\/[^"]+\/scheme-calendar\/[^"]+)"/.exec((await ann.s.get('/scheme/meetings')).html)![1]).pathname;
    expect(newPath).not.toBe(feedPath);
    expect((await anonymous(newPath)).status).toBe(200);
    expect((await ann.s.post('/scheme/place/withdraw', { reason: 'Moving on.' })).status).toBe(200);
    const left = await anonymous(newPath);
    expect(left.status).toBe(410);
    expect(text(left.body)).toContain('no longer in the learning set');
  });

  test('attendance once a meeting has started, shared notes, reminders once a day ahead, and the peer space’s calendar seam', async () => {
    const course = suite.platform.course({ title: 'Attendance course' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Attend', email: 'cora.attend@example.ac.uk' }));
    expect((await cora.post('/scheme/manage/settings', schemeSettings())).status).toBe(200);
    const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Attend');
    const ben = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Attend');
    const outsider = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Out Sider', { accept: false });

    const soon = await cora.post('/scheme/manage/meetings', meeting({ title: 'Kick-off', startsAt: londonLocal(2 * HOUR), endsAt: londonLocal(3 * HOUR) }));
    const soonId = idIn(soon.url);
    const notYet = await cora.postJson(`/scheme/manage/meetings/${soonId}/attendance`, { attended: [ann.userId] });
    expect(notYet.status).toBe(409);

    // A meeting that has happened (moved into the past the way time would).
    await Meeting.updateOne({ _id: soonId }, { $set: { startsAt: new Date(Date.now() - 2 * HOUR), endsAt: new Date(Date.now() - HOUR) } });
    const stranger = await cora.postJson(`/scheme/manage/meetings/${soonId}/attendance`, { attended: [ann.userId, outsider.userId] });
    expect(stranger.status).toBe(422);
    expect((await Meeting.findById(soonId).lean())!.attended).toEqual([]);
    expect((await cora.postJson(`/scheme/manage/meetings/${soonId}/attendance`, { attended: [ann.userId] })).status).toBe(200);
    expect((await Meeting.findById(soonId).lean())!.attended).toEqual([ann.userId]);
    expect((await ann.s.postJson(`/scheme/manage/meetings/${soonId}/attendance`, { attended: [ann.userId, ben.userId] })).status).toBe(403);
    const page = await cora.get(`/scheme/manage/meetings/${soonId}`);
    expect(text(page.html)).toContain('Who came (1 of 2 recorded)');

    expect((await cora.post(`/scheme/manage/meetings/${soonId}/notes`, { notes: 'Action: everyone drafts area 1 by the next meeting.' })).status).toBe(200);
    expect(text((await ben.s.get(`/scheme/meetings/${soonId}`)).html)).toContain('Action: everyone drafts area 1');
    expect(text((await ben.s.get('/scheme/meetings', { when: 'past' })).html)).toContain('Kick-off');

    // Reminders: the meeting within a day is reminded once; one further ahead is not yet.
    const tomorrow = idIn((await cora.post('/scheme/manage/meetings', meeting({ title: 'Writing retreat', startsAt: londonLocal(20 * HOUR), endsAt: londonLocal(23 * HOUR) }))).url);
    await cora.post('/scheme/manage/meetings', meeting({ title: 'Showcase', startsAt: londonLocal(30 * DAY), endsAt: londonLocal(30 * DAY + HOUR) }));
    await SchemeEmail.deleteMany({});
    expect(await queueMeetingReminders()).toBe(1);
    expect(await queueMeetingReminders()).toBe(0);
    const reminders = await SchemeEmail.find({ subject: 'Reminder: Writing retreat' }).lean();
    expect(reminders.map((r) => r.to).sort()).toEqual(['ann.attend@example.ac.uk', 'ben.attend@example.ac.uk', 'cora.attend@example.ac.uk']);
    expect(reminders[0].text).toContain('Library room 2, City campus');
    expect(await SchemeEmail.countDocuments({ subject: /Showcase/ })).toBe(0);

    // The peer space reads the set's meetings in a window, through the scheme's index only.
    const seen = await meetingsForCalendar(ann.courseId, new Date(Date.now() - DAY), new Date(Date.now() + 7 * DAY));
    expect(seen.map((m) => m.title)).toEqual(['Kick-off', 'Writing retreat']);
    expect(seen[1]).toMatchObject({ id: tomorrow, icsPath: `/scheme/meetings/${tomorrow}.ics`, cancelled: false });
  });

  test('the list of meetings is paginated', async () => {
    const course = suite.platform.course({ title: 'Many meetings' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Many' }));
    expect((await cora.post('/scheme/manage/settings', schemeSettings())).status).toBe(200);
    const first = await cora.post('/scheme/manage/meetings', meeting({ title: 'Meeting 00' }));
    const courseId = (await Meeting.findById(idIn(first.url)).lean())!.courseId;
    const start = Date.now() + 2 * DAY;
    await Meeting.insertMany(Array.from({ length: 22 }, (_, i) => ({ courseId, title: `Meeting ${String(i + 1).padStart(2, '0')}`, place: 'Room', startsAt: new Date(start + (i + 2) * DAY), endsAt: new Date(start + (i + 2) * DAY + HOUR) })));
    const p1 = text((await cora.get('/scheme/manage/meetings')).html);
    expect(p1).toContain('23 meetings, page 1 of 2');
    expect(p1).toContain('Meeting 00');
    expect(p1).not.toContain('Meeting 22');
    const p2 = text((await cora.get('/scheme/manage/meetings', { page: '2' })).html);
    expect(p2).toContain('Meeting 22');
    expect(p2).not.toContain('Meeting 00');
  });
});
