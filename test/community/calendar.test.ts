import * as ical from 'node-ical';
import { setSchemeMeetingSource } from '../../src/community';
import { Session } from '../../src/community/calendar/models';
import { aCoordinator, launched, text } from '../support/factories';
import { toolSuite } from '../support/suite';

const suite = toolSuite();
const sessionIn = (url: string) => /\/community\/calendar\/sessions\/([a-f0-9]{24})/.exec(url)?.[1] ?? '';
const eventsOf = (body: string) => Object.values(ical.sync.parseICS(body)).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];

describe('the learning set calendar', () => {
  afterAll(() => setSchemeMeetingSource(async () => []));

  test('members propose sessions in UK time; the month shows them with the scheme meetings; .ics files carry both; cancelling is the proposer’s or the coordinator’s', async () => {
    const { platform, tool } = suite;
    const course = platform.course({ title: 'Calendar' });
    const { session: cora } = await aCoordinator({ tool, platform }, { course, name: 'Cora Cal' });
    const cat = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cat Cal' }));
    const cal = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cal Cal' }));
    const year = new Date().getUTCFullYear() + 1;
    const asked: string[] = [];
    setSchemeMeetingSource(async (courseId, from, to) => {
      asked.push(courseId);
      return [{ id: 'm1', title: 'Scheme meeting: portfolios', startsAt: new Date(`${year}-01-20T10:00:00Z`), endsAt: new Date(`${year}-01-20T11:00:00Z`), location: 'Room 2' }].filter((m) => m.startsAt >= from && m.startsAt < to);
    });

    const refusals: Array<[Record<string, string>, string]> = [
      [{ kind: 'skill-share', title: '', date: `${year}-01-14`, start: '14:00', end: '15:00' }, 'Enter a title for the session.'],
      [{ kind: 'party', title: 'x', date: `${year}-01-14`, start: '14:00', end: '15:00' }, 'Choose what kind of session this is.'],
      [{ kind: 'skill-share', title: 'x', date: `${year}-02-30`, start: '14:00', end: '15:00' }, 'That date and time does not exist'],
      [{ kind: 'skill-share', title: 'x', date: `${year}-01-14`, start: '25:00', end: '15:00' }, 'Enter the start and end as hours and minutes'],
      [{ kind: 'skill-share', title: 'x', date: `${year - 2}-01-14`, start: '14:00', end: '15:00' }, 'Choose a time from now on.'],
    ];
    for (const [form, message] of refusals) {
      const r = await cat.post('/community/calendar/sessions', form);
      expect(r.status).toBe(422);
      expect(text(r.html)).toContain(message);
    }
    expect(await Session.countDocuments({ proposedByName: 'Cat Cal' })).toBe(0);

    // January is GMT: 14:00 in London is 14:00 UTC
    const made = await cat.post('/community/calendar/sessions', { kind: 'skill-share', title: 'Captioning in ten minutes', date: `${year}-01-14`, start: '14:00', end: '15:00', location: 'Online', description: 'Bring a video.' });
    expect(made.status).toBe(200);
    const id = sessionIn(made.url);
    expect(text(made.html)).toContain('Your session is on the set’s calendar.');
    expect((await Session.findById(id).lean())!.startsAt.toISOString()).toBe(`${year}-01-14T14:00:00.000Z`);
    // July is British Summer Time: 10:00 in London is 09:00 UTC
    const summer = sessionIn((await cal.post('/community/calendar/sessions', { kind: 'writing-retreat', title: 'Writing morning', date: `${year}-07-01`, start: '10:00', end: '12:30' })).url);
    expect((await Session.findById(summer).lean())!.startsAt.toISOString()).toBe(`${year}-07-01T09:00:00.000Z`);

    const month = await cal.get('/community/calendar', { month: `${year}-01` });
    expect(month.status).toBe(200);
    const words = text(month.html);
    expect(words).toContain('Captioning in ten minutes');
    expect(words).toContain('Scheme meeting: portfolios');
    expect(words.indexOf('Captioning in ten minutes')).toBeLessThan(words.indexOf('Scheme meeting: portfolios')); // soonest first
    expect(words).not.toContain('Writing morning');

    const file = await cal.get('/community/calendar/ics', { month: `${year}-01` });
    expect(file.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(file.headers.get('content-disposition')).toMatch(/attachment/);
    const events = eventsOf(file.html);
    expect(events.map((e) => String(e.summary)).sort()).toEqual(['Scheme meeting: portfolios', 'Skill-share: Captioning in ten minutes']);
    expect(events.find((e) => String(e.summary).startsWith('Skill'))!.start.toISOString()).toBe(`${year}-01-14T14:00:00.000Z`);
    const one = eventsOf((await cora.get(`/community/calendar/sessions/${summer}/ics`)).html);
    expect(one).toHaveLength(1);
    expect(one[0].end!.toISOString()).toBe(`${year}-07-01T11:30:00.000Z`);
    expect(asked.length).toBeGreaterThan(0);

    // Cal cannot cancel Cat's session; the coordinator can; a cancelled session leaves the month and its file
    expect((await cal.post(`/community/calendar/sessions/${id}/cancel`)).status).toBe(403);
    expect((await Session.findById(id).lean())!.cancelledAt).toBeNull();
    expect(text((await cora.post(`/community/calendar/sessions/${id}/cancel`)).html)).toContain('The session is cancelled.');
    expect((await cat.post(`/community/calendar/sessions/${id}/cancel`)).status).toBe(409);
    expect(text((await cal.get('/community/calendar', { month: `${year}-01` })).html)).not.toContain('Captioning in ten minutes');
    expect((await cal.get(`/community/calendar/sessions/${id}/ics`)).status).toBe(404);
    expect((await cal.get('/community/calendar', { month: 'garbage' })).status).toBe(200); // this month

    // another course sees none of it and can change none of it
    const { session: bea } = await aCoordinator({ tool, platform }, { course: platform.course({ title: 'Elsewhere cal' }), name: 'Bea Cal' });
    expect((await bea.get(`/community/calendar/sessions/${summer}`)).status).toBe(404);
    expect((await bea.get(`/community/calendar/sessions/${summer}/ics`)).status).toBe(404);
    expect((await bea.post(`/community/calendar/sessions/${summer}/cancel`)).status).toBe(404);
    expect(text((await bea.get('/community/calendar', { month: `${year}-07` })).html)).not.toContain('Writing morning');
    expect((await Session.findById(summer).lean())!.cancelledAt).toBeNull();
  });
});
