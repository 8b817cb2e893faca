import { toolSuite } from '../support/suite';
import { Comment, MentorReview, ReviewRequest } from '../../src/mentoring/models';
import { aCandidate, aCoordinator, aMentor, sectionNow, text, writeAndAskForReview } from '../support/factories';
import { until } from '../support/until';

const suite = toolSuite();

const commentIdIn = (location: string) => /#comment-([0-9a-f]{24})/.exec(location)?.[1];

describe('a full mentoring round through the test VLE', () => {
  test('candidate asks for review, the assigned mentor sees it first, they discuss, the mentor sees the diff and passes it; progress moves', async () => {
    const course = suite.platform.course({ title: 'CMALT round' });
    const { session: coordinator } = await aCoordinator(suite, { course, name: 'Cora Coordinator' });
    const mentorUser = suite.platform.user({ name: 'Mo Mentor' });
    const { session: mentor } = await aMentor(suite, { course, user: mentorUser });
    const cand = await aCandidate(suite, { course, name: 'Cat Candidate' });
    const other = await aCandidate(suite, { course, name: 'Olly Other' });

    // The coordinator assigns Mo to Cat (and to Olly, so "oldest first" has two to order).
    for (const c of [other, cand]) {
      const r = await coordinator.post('/cohort/assignments', { candidateSub: c.user.id, mentorSub: mentorUser.id, action: 'assign' });
      expect(r.status).toBe(200);
      expect(r.html).toContain('Mentor assigned.');
    }

    // Olly asks first, then Cat: the dashboard lists Olly's first (oldest waiting first).
    await writeAndAskForReview(other.session, other.id('contextual'), 'I work in a library.');
    // Cat's request must be noted at a later millisecond than Olly's, or the two tie.
    let ollyAsked = Infinity;
    await until("Olly's request is noted and the clock is past it", async () => {
      const request = await ReviewRequest.findOne({ section: other.id('contextual'), open: true }).lean();
      if (request) ollyAsked = new Date(request.since).getTime();
      return Date.now() > ollyAsked;
    });
    await writeAndAskForReview(cand.session, cand.id('4'), 'Next year I will support staff at a college with the VLE.');
    const dash = await mentor.get('/mentoring');
    expect(dash.status).toBe(200);
    const queue = text(dash.html);
    expect(queue).toContain('Waiting for your review');
    expect(queue.indexOf('by Olly Other')).toBeGreaterThan(-1);
    expect(queue.indexOf('by Olly Other')).toBeLessThan(queue.indexOf('by Cat Candidate'));

    // The mentor reads Cat's section (first visit) and comments.
    const sectionId = cand.id('4');
    const read = await mentor.get(`/mentoring/sections/${sectionId}`);
    expect(read.status).toBe(200);
    expect(text(read.html)).toContain('This is your first visit to this section.');
    const commented = await mentor.post(`/mentoring/sections/${sectionId}/comments`, { body: 'Say which college, and what you changed.', exampleId: '' }, { follow: false });
    expect(commented.status).toBe(303);
    const threadId = commentIdIn(commented.location ?? '')!;
    expect(threadId).toBeTruthy();

    // The candidate sees it beside their text, replies, and edits the section.
    const mine = await cand.session.get(`/mentoring/sections/${sectionId}`);
    expect(text(mine.html)).toContain('Say which college, and what you changed.');
    const reply = await cand.session.post(`/mentoring/sections/${sectionId}/comments`, { body: 'Done: it is Northfield College.', parentId: threadId });
    expect(reply.status).toBe(200);
    expect(await Comment.countDocuments({ parent: threadId })).toBe(1);
    const before = await sectionNow(sectionId);
    const edit = await cand.session.post(`/portfolio/sections/${sectionId}`, { baseVersion: String(before.version), format: 'text', body: 'Next year I will support staff at Northfield College with the VLE and lecture capture.' });
    expect(edit.status).toBe(200);

    // The mentor's dashboard shows the unread reply; the section page shows exactly what changed.
    expect(text((await mentor.get('/mentoring')).html)).toContain('Cat Candidate replied to a comment on');
    const again = await mentor.get(`/mentoring/sections/${sectionId}`);
    const diff = /<div class="diff">([\s\S]*?)<\/div>/.exec(again.html)?.[1] ?? '';
    expect(diff).toContain('<del><span class="visually-hidden">[removed: </span>a college<span class="visually-hidden">]</span></del>');
    expect(diff).toContain('<ins><span class="visually-hidden">[added: </span>Northfield College<span class="visually-hidden">]</span></ins>');
    expect(diff).toContain(' with the VLE <ins><span class="visually-hidden">[added: </span>and lecture capture<span class="visually-hidden">]</span></ins>.');

    // The mentor passes it: through applyTransition, with history, and the candidate's progress moves.
    const now = await sectionNow(sectionId);
    expect(now.state).toBe('ready_for_review');
    const overviewBefore = text((await cand.session.get('/portfolio')).html);
    expect(overviewBefore).toContain('0 of 9 assessed sections meet the criterion');
    const decided = await mentor.post(`/mentoring/sections/${sectionId}/review`, { decision: 'meets_criterion', feedback: 'Clear and specific.', expectedVersion: String(now.version) });
    expect(decided.status).toBe(200);
    expect(text(decided.html)).toContain('Your review was saved');
    expect(await sectionNow(sectionId)).toMatchObject({ state: 'meets_criterion', version: now.version + 1 });
    expect(await MentorReview.countDocuments({ section: sectionId })).toBe(1);
    expect(text((await cand.session.get('/portfolio')).html)).toContain('1 of 9 assessed sections meet the criterion');
    const candidatePage = text((await cand.session.get(`/mentoring/sections/${sectionId}`)).html);
    expect(candidatePage).toContain('Meets the criterion by Mo Mentor');
    expect(candidatePage).toContain('Clear and specific.');
  });
});
