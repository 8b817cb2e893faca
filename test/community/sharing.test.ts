import { SetShare } from '../../src/community/sharing/models';
import { Comment } from '../../src/mentoring/models';
import { aCandidate, aMentor, text } from '../support/factories';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

describe('sharing a section with the whole learning set', () => {
  test('a candidate shares a section; every member reads and comments but cannot edit; the author sees who looked and what they said; stopping closes it at once', async () => {
    const { platform, tool } = suite;
    const course = platform.course({ title: 'Set sharing' });
    const cat = await aCandidate({ tool, platform }, { course, name: 'Cat Share' });
    const cal = await aCandidate({ tool, platform }, { course, name: 'Cal Share' });
    const { session: mo } = await aMentor({ tool, platform }, { course, name: 'Mo Share' });
    const bea = await aCandidate({ tool, platform }, { course: platform.course({ title: 'Other sharing' }), name: 'Bea Share' });
    const id = cat.id('future-plans');
    await cat.session.post(`/portfolio/sections/${id}`, { baseVersion: '0', format: 'text', body: 'My plans for the year.' });

    expect((await cal.session.get(`/mentoring/sections/${id}`)).status).toBe(404); // not shared yet
    // nobody shares what is not theirs: another candidate's section, a mentor, a made-up id
    expect((await cal.session.post('/community/shared', { sectionId: id })).status).toBe(422);
    expect((await bea.session.post('/community/shared', { sectionId: id })).status).toBe(422);
    expect((await mo.post('/community/shared', { sectionId: id })).status).toBe(403);
    expect((await cat.session.post('/community/shared', { sectionId: 'nonsense' })).status).toBe(422);
    expect(await SetShare.countDocuments({ sectionId: id })).toBe(0);

    const shared = await cat.session.post('/community/shared', { sectionId: id });
    expect(shared.status).toBe(200);
    expect(text(shared.html)).toContain('The section is shared with the learning set.');
    expect(text(shared.html)).toContain('Nobody has read it yet.');
    expect((await cat.session.post('/community/shared', { sectionId: id })).status).toBe(409);

    const list = await cal.session.get('/community/shared');
    expect(list.html).toContain(`/mentoring/sections/${id}`);
    const read = await cal.session.get(`/mentoring/sections/${id}`);
    expect(read.status).toBe(200);
    expect(text(read.html)).toContain('My plans for the year.');
    expect((await cal.session.post(`/mentoring/sections/${id}/comments`, { body: 'Clear and specific.' })).status).toBe(200);
    expect((await mo.get(`/mentoring/sections/${id}`)).status).toBe(200); // every member of the set, mentors too
    // read-only: a peer cannot save the section or review it
    expect((await cal.session.post(`/portfolio/sections/${id}`, { baseVersion: '1', format: 'text', body: 'Vandalised' })).status).toBe(404);
    expect((await cal.session.post(`/mentoring/sections/${id}/review`, { decision: 'meets_criterion', feedback: '', expectedVersion: '1' })).status).toBe(404);

    // another course sees nothing, by list or by URL
    expect((await bea.session.get(`/mentoring/sections/${id}`)).status).toBe(404);
    expect((await bea.session.post(`/mentoring/sections/${id}/comments`, { body: 'Hello' })).status).toBe(404);
    expect((await bea.session.get('/community/shared')).html).not.toContain(id);
    const shareId = String((await SetShare.findOne({ sectionId: id }).lean())!._id);
    expect((await bea.session.post(`/community/shared/${shareId}/stop`)).status).toBe(404);
    expect((await cal.session.post(`/community/shared/${shareId}/stop`)).status).toBe(404);

    const mine = text((await cat.session.get('/community/shared')).html);
    expect(mine).toMatch(/Cal Share, last read .+; 1 comment/);
    expect(mine).toMatch(/Mo Share, last read .+; 0 comments/);

    const stopped = await cat.session.post(`/community/shared/${shareId}/stop`);
    expect(text(stopped.html)).toContain('The section is no longer shared with the set.');
    expect((await cal.session.get(`/mentoring/sections/${id}`)).status).toBe(404);
    expect((await cal.session.post(`/mentoring/sections/${id}/comments`, { body: 'Still here?' })).status).toBe(404);
    expect(await Comment.countDocuments({ section: id })).toBe(1);
  });
});
