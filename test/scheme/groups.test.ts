import ical, { type VEvent } from 'node-ical';
import { toolSuite } from '../support/suite';
import { launched, text } from '../mentoring/people';
import { User } from '../../src/people/user.model';
import { Meeting } from '../../src/scheme/meetings.model';
import { MentorGroup } from '../../src/scheme/groups.model';
import { SchemeEmail } from '../../src/scheme/scheme.model';
import { meetingsForCalendar } from '../../src/scheme';
import { queueMeetingReminders } from '../../src/scheme/meetings.service';
import { aCandidateWithAPlace, londonLocal, schemeSettings } from './helpers';

const suite = toolSuite();
const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const meeting = (overrides: Record<string, string> = {}) => ({
  title: 'Whole set', startsAt: londonLocal(3 * DAY), endsAt: londonLocal(3 * DAY + HOUR), place: 'Library room 2', onlineUrl: '', agenda: '', ...overrides,
});
const meetingIdIn = (url: string) => /\/scheme\/manage\/meetings\/([0-9a-f]{24})/.exec(url)![1];
const titles = (body: string) => Object.values(ical.sync.parseICS(body)).filter((c): c is VEvent => c?.type === 'VEVENT').map((e) => String(e.summary)).sort();
const userIdOf = async (name: string) => String((await User.findOne({ name }).lean())!._id);

async function anonymous(path: string) {
  const res = await fetch(new URL(path, suite.tool.baseUrl), { redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

describe('mentor groups within the set, with their own meetings', () => {
  test('groups are made with checks; a group’s meeting reaches only that group (pages, emails, feeds, attendance); guessed URLs find nothing', async () => {
    const course = suite.platform.course({ title: 'Groups course' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Group', email: 'cora.group@example.ac.uk' }));
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ places: '5' }))).status).toBe(200);
    const mo = await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Mo Group', email: 'mo.group@example.ac.uk' }));
    const mia = await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Mia Group', email: 'mia.group@example.ac.uk' }));
    const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Group');
    const ben = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Group');
    const cat = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Cat Group');
    const waiting = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Wyn Group', { accept: false });
    const [moId, miaId] = await Promise.all([userIdOf('Mo Group'), userIdOf('Mia Group')]);

    // Making groups: each bad input refused with its reason, nothing saved.
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [{ name: ' ', mentorId: moId, memberIds: [ann.userId] }, 'Enter a name for the group'],
      [{ name: 'Tuesday', mentorId: ann.userId, memberIds: [ann.userId] }, 'Choose the group’s mentor from the course’s mentors.'],
      [{ name: 'Tuesday', mentorId: moId }, 'Choose at least one person with a place in the learning set.'],
      [{ name: 'Tuesday', mentorId: moId, memberIds: [ann.userId, waiting.userId] }, 'Only people with a place in the learning set can be in a group.'],
    ];
    for (const [form, message] of cases) {
      const r = await cora.postJson('/scheme/manage/groups', form);
      expect(r.status).toBe(422);
      expect(text(r.html)).toContain(message);
    }
    expect(await MentorGroup.countDocuments({})).toBe(0);
    expect((await mo.post('/scheme/manage/groups', { name: 'Mine', mentorId: moId, memberIds: ann.userId })).status).toBe(403);
    expect((await ann.s.get('/scheme/manage/groups')).status).toBe(403);
    const made = await cora.postJson('/scheme/manage/groups', { name: 'Tuesday group', mentorId: moId, memberIds: [ann.userId, ben.userId] });
    expect(made.status).toBe(200);
    expect(text(made.html)).toContain('The group is made.');
    expect((await cora.post('/scheme/manage/groups', { name: 'Thursday group', mentorId: miaId, memberIds: cat.userId })).status).toBe(200);
    const tuesday = (await MentorGroup.findOne({ name: 'Tuesday group' }).lean())!;
    const thursday = (await MentorGroup.findOne({ name: 'Thursday group' }).lean())!;
    const list = text((await cora.get('/scheme/manage/groups')).html);
    expect(list).toContain('Tuesday group');
    expect(list).toContain('Mentor: Mo Group');
    expect(list).toContain('2 members: Ann Group, Ben Group');

    // A group's meeting; a group from elsewhere (or made up) is refused.
    expect((await cora.post('/scheme/manage/meetings', meeting({ title: 'Bad group', groupId: 'ffffffffffffffffffffffff' }))).status).toBe(422);
    expect((await cora.post('/scheme/manage/meetings', meeting({ title: 'Bad group', groupId: 'tuesday' }))).status).toBe(422);
    expect(await Meeting.countDocuments({ title: 'Bad group' })).toBe(0);
    await SchemeEmail.deleteMany({});
    const whole = meetingIdIn((await cora.post('/scheme/manage/meetings', meeting())).url);
    const tue = meetingIdIn((await cora.post('/scheme/manage/meetings', meeting({ title: 'Tuesday group meeting', groupId: String(tuesday._id), startsAt: londonLocal(20 * HOUR), endsAt: londonLocal(21 * HOUR) }))).url);
    const thu = meetingIdIn((await cora.post('/scheme/manage/meetings', meeting({ title: 'Thursday group meeting', groupId: String(thursday._id) }))).url);

    // Shown: members and the group's mentor see their group's meeting; others do not, even by its URL (404).
    const sees = async (s: { get: (p: string) => Promise<{ html: string }> }) => text((await s.get('/scheme/meetings')).html);
    expect(await sees(ann.s)).toContain('Tuesday group meeting');
    expect(await sees(ann.s)).toContain('Whole set');
    expect(await sees(ann.s)).not.toContain('Thursday group meeting');
    expect(await sees(mo)).toContain('Tuesday group meeting');
    expect(await sees(mo)).not.toContain('Thursday group meeting');
    expect(await sees(cat.s)).toContain('Thursday group meeting');
    expect(await sees(cat.s)).not.toContain('Tuesday group meeting');
    expect(text((await cora.get('/scheme/manage/meetings')).html)).toContain('Tuesday group (mentor group)');
    for (const path of [`/scheme/meetings/${thu}`, `/scheme/meetings/${thu}.ics`]) expect((await ann.s.get(path)).status).toBe(404);
    expect((await mia.get(`/scheme/meetings/${tue}`)).status).toBe(404);
    expect((await ann.s.get(`/scheme/meetings/${tue}`)).status).toBe(200);
    expect((await ann.s.get(`/scheme/meetings/${tue}.ics`)).status).toBe(200);

    // Feeds: each person's carries the whole set's and their own group's meetings only.
    for (const s of [ann.s, cat.s]) expect((await s.post('/scheme/meetings/feed')).status).toBe(200);
    const feedOf = async (s: { get: (p: string) => Promise<{ html: string }> }) => new URL(/value="(https?:\/\/[^"]+\/scheme-calendar\/[^"]+)"/.exec((await s.get('/scheme/meetings')).html)![1]).pathname;
    expect(titles((await anonymous(await feedOf(ann.s))).body)).toEqual(['Tuesday group meeting', 'Whole set']);
    expect(titles((await anonymous(await feedOf(cat.s))).body)).toEqual(['Thursday group meeting', 'Whole set']);
    // The set's shared calendar (the peer space) carries the whole set's meetings only.
    expect((await meetingsForCalendar(String(tuesday.courseId), new Date(), new Date(Date.now() + 10 * DAY))).map((m) => m.title)).toEqual(['Whole set']);

    // Emails: a group meeting's reminder and cancellation go to its members, its mentor and the coordinator only.
    expect(await queueMeetingReminders()).toBe(1);
    expect((await SchemeEmail.find({ subject: 'Reminder: Tuesday group meeting' }).lean()).map((e) => e.to).sort()).toEqual(['ann.group@example.ac.uk', 'ben.group@example.ac.uk', 'cora.group@example.ac.uk', 'mo.group@example.ac.uk']);
    expect((await cora.post(`/scheme/manage/meetings/${thu}/cancel`)).status).toBe(200);
    expect((await SchemeEmail.find({ subject: 'Meeting cancelled: Thursday group meeting' }).lean()).map((e) => e.to).sort()).toEqual(['cat.group@example.ac.uk', 'cora.group@example.ac.uk', 'mia.group@example.ac.uk']);

    // Attendance lists only the group's members, and refuses anyone else.
    await Meeting.updateOne({ _id: tue }, { $set: { startsAt: new Date(Date.now() - 2 * HOUR), endsAt: new Date(Date.now() - HOUR) } });
    const page = await cora.get(`/scheme/manage/meetings/${tue}`);
    expect(text(page.html)).toContain('Who came (0 of 2 recorded)');
    expect(text(page.html)).not.toContain('Cat Group');
    expect((await cora.postJson(`/scheme/manage/meetings/${tue}/attendance`, { attended: [ann.userId, cat.userId] })).status).toBe(422);
    expect((await cora.postJson(`/scheme/manage/meetings/${tue}/attendance`, { attended: [ann.userId] })).status).toBe(200);
    expect((await Meeting.findById(tue).lean())!.attended).toEqual([ann.userId]);
    expect((await Meeting.findById(whole).lean())!.groupId ?? null).toBeNull();

    // The coordinator's attendance report counts a group's meeting for its members only (Cat is in another group).
    const rows = async (table: string) => (await cora.get(`/scheme/manage/reports/${table}.csv`)).html.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    const byPerson = await rows('attendance-people');
    expect(byPerson.find((l) => l.startsWith('"Ann Group"'))).toMatch(/,1,1,"100%"$/);
    expect(byPerson.find((l) => l.startsWith('"Ben Group"'))).toMatch(/,0,1,"0%"$/);
    expect(byPerson.find((l) => l.startsWith('"Cat Group"'))).toMatch(/,0,0,"–"$/);
    expect((await rows('attendance-meetings')).find((l) => l.startsWith('"Tuesday group meeting"'))).toMatch(/,1,2$/);

    // Changing a group's members moves its meetings with it: Cat joins Tuesday, sees its meeting.
    const edited = await cora.postJson(`/scheme/manage/groups/${String(tuesday._id)}`, { name: 'Tuesday group', mentorId: moId, memberIds: [ann.userId, ben.userId, cat.userId] });
    expect(edited.status).toBe(200);
    expect(text(edited.html)).toContain('The group is saved.');
    expect((await cat.s.get(`/scheme/meetings/${tue}`)).status).toBe(200);
  });

  test('another course’s coordinator finds neither the groups nor their meetings by guessing; the list is paginated', async () => {
    const course = suite.platform.course({ title: 'Groups guessed' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Guess' }));
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ places: '3' }))).status).toBe(200);
    await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Mo Guess' }));
    const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Guess');
    const moId = await userIdOf('Mo Guess');
    for (let i = 1; i <= 21; i += 1) expect((await cora.post('/scheme/manage/groups', { name: `Group ${String(i).padStart(2, '0')}`, mentorId: moId, memberIds: ann.userId })).status).toBe(200);
    const first = text((await cora.get('/scheme/manage/groups')).html);
    expect(first).toContain('21 groups, page 1 of 2');
    expect(first).toContain('Group 20');
    expect(first).not.toContain('Group 21');
    expect(text((await cora.get('/scheme/manage/groups', { page: '2' })).html)).toContain('Group 21');
    const group = (await MentorGroup.findOne({ name: 'Group 01' }).lean())!;
    const other = await launched(suite.tool, suite.platform, suite.platform.course({ title: 'Elsewhere' }), 'Instructor', suite.platform.user({ name: 'Olly Guess' }));
    expect((await other.get(`/scheme/manage/groups/${String(group._id)}`)).status).toBe(404);
    const guessed = await other.post(`/scheme/manage/groups/${String(group._id)}`, { name: 'Taken over', mentorId: moId, memberIds: ann.userId });
    expect(guessed.status).toBe(404);
    expect((await MentorGroup.findById(group._id).lean())!.name).toBe('Group 01');
    expect((await other.post('/scheme/manage/meetings', meeting({ groupId: String(group._id) }))).status).toBe(422);
  });

  test('deleting a group (after a confirm page) cancels its meetings to come, telling the group, and keeps its past ones; another course cannot', async () => {
    const course = suite.platform.course({ title: 'Deleting groups course' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Delete', email: 'cora.delete@example.ac.uk' }));
    expect((await cora.post('/scheme/manage/settings', schemeSettings({ places: '5' }))).status).toBe(200);
    await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Mo Delete', email: 'mo.delete@example.ac.uk' }));
    const ann = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ann Delete');
    const ben = await aCandidateWithAPlace(suite.tool, suite.platform, course, cora, 'Ben Delete');
    const moId = await userIdOf('Mo Delete');
    expect((await cora.post('/scheme/manage/groups', { name: 'Friday group', mentorId: moId, memberIds: ann.userId })).status).toBe(200);
    expect((await cora.post('/scheme/manage/groups', { name: 'Monday group', mentorId: moId, memberIds: ben.userId })).status).toBe(200);
    const friday = String((await MentorGroup.findOne({ name: 'Friday group' }).lean())!._id);
    const monday = String((await MentorGroup.findOne({ name: 'Monday group' }).lean())!._id);
    const soon = meetingIdIn((await cora.post('/scheme/manage/meetings', meeting({ title: 'Friday soon', groupId: friday }))).url);
    const later = meetingIdIn((await cora.post('/scheme/manage/meetings', meeting({ title: 'Friday later', groupId: friday, startsAt: londonLocal(10 * DAY), endsAt: londonLocal(10 * DAY + HOUR) }))).url);
    const held = meetingIdIn((await cora.post('/scheme/manage/meetings', meeting({ title: 'Friday held', groupId: friday }))).url);
    await Meeting.updateOne({ _id: held }, { $set: { startsAt: new Date(Date.now() - 2 * HOUR), endsAt: new Date(Date.now() - HOUR) } });
    expect((await cora.postJson(`/scheme/manage/meetings/${held}/attendance`, { attended: [ann.userId] })).status).toBe(200);
    const mondayMeeting = meetingIdIn((await cora.post('/scheme/manage/meetings', meeting({ title: 'Monday meeting', groupId: monday }))).url);

    // The group's page links to a confirm page that says what will happen; nothing changes by looking.
    expect((await cora.get(`/scheme/manage/groups/${friday}`)).html).toContain(`/scheme/manage/groups/${friday}/delete`);
    const confirm = await cora.get(`/scheme/manage/groups/${friday}/delete`);
    expect(confirm.status).toBe(200);
    expect(text(confirm.html)).toContain('Delete Friday group?');
    expect(text(confirm.html)).toContain('2 meetings still to come will be cancelled');
    expect(text(confirm.html)).toContain('1 past meeting, with attendance and notes, will be kept');
    expect(await MentorGroup.countDocuments({ _id: friday })).toBe(1);

    // Nobody else can: a candidate 403, another course's coordinator 404, a made-up id 404; nothing changed.
    const other = await launched(suite.tool, suite.platform, suite.platform.course({ title: 'Elsewhere delete' }), 'Instructor', suite.platform.user({ name: 'Olly Delete' }));
    expect((await ann.s.post(`/scheme/manage/groups/${friday}/delete`)).status).toBe(403);
    expect((await other.get(`/scheme/manage/groups/${friday}/delete`)).status).toBe(404);
    expect((await other.post(`/scheme/manage/groups/${friday}/delete`)).status).toBe(404);
    expect((await cora.post('/scheme/manage/groups/ffffffffffffffffffffffff/delete')).status).toBe(404);
    expect((await cora.post('/scheme/manage/groups/not-an-id/delete')).status).toBe(404);
    expect(await MentorGroup.countDocuments({ _id: friday })).toBe(1);
    expect(await Meeting.countDocuments({ groupId: friday, cancelled: true })).toBe(0);

    await SchemeEmail.deleteMany({});
    const deleted = await cora.post(`/scheme/manage/groups/${friday}/delete`);
    expect(deleted.status).toBe(200);
    expect(text(deleted.html)).toContain('The group is deleted.');
    expect(text(deleted.html)).not.toContain('Friday group');
    expect(await MentorGroup.countDocuments({ _id: friday })).toBe(0);
    // Its meetings to come are cancelled (the feed's sequence moves on), and the group its mentor and the coordinator were told.
    for (const id of [soon, later]) expect((await Meeting.findById(id).lean())!).toMatchObject({ cancelled: true, sequence: 1 });
    const told = (await SchemeEmail.find({ subject: /^Meeting cancelled: Friday/ }).lean()).map((e) => e.to).sort();
    expect(told).toEqual(['ann.delete@example.ac.uk', 'ann.delete@example.ac.uk', 'cora.delete@example.ac.uk', 'cora.delete@example.ac.uk', 'mo.delete@example.ac.uk', 'mo.delete@example.ac.uk']); // never Ben, of the other group
    // The past one is kept with its attendance, and still counted in the reports; the other group is untouched.
    expect((await Meeting.findById(held).lean())!).toMatchObject({ cancelled: false, attended: [ann.userId] });
    expect(text((await cora.get('/scheme/manage/reports')).html)).toContain('Friday held');
    expect((await Meeting.findById(mondayMeeting).lean())!.cancelled).toBe(false);
    expect(await MentorGroup.countDocuments({ _id: monday })).toBe(1);
    // Ann no longer sees the cancelled meetings; deleting again is not found.
    expect(text((await ann.s.get('/scheme/meetings')).html)).not.toContain('Friday soon');
    expect((await cora.post(`/scheme/manage/groups/${friday}/delete`)).status).toBe(404);
    expect((await cora.get(`/scheme/manage/groups/${friday}/delete`)).status).toBe(404);
  });
});
