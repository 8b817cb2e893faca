import { toolSuite } from '../support/suite';
import { MentorAssignment, FinalReviewDecision } from '../../src/mentoring/models';
import { Portfolio, Section } from '../../src/portfolio/models';
import mongoose from 'mongoose';
import { loadCandidates } from '../../src/gradebook/candidates';
import { scoreValues } from '../../src/gradebook/score';
import { aCandidate, launched, text } from '../mentoring/people';

const suite = toolSuite();

describe('the coordinator’s cohort page', () => {
  test('lists launched candidates with progress and roster members who have not launched as "not started"; they can be assigned', async () => {
    const course = suite.platform.course({ title: 'Roster course' });
    const coraUser = suite.platform.user({ name: 'Cora Roster' });
    const cat = await aCandidate(suite.tool, suite.platform, course, 'Cat Launched');
    const nia = suite.platform.user({ name: 'Nia Notyet' });
    const tam = suite.platform.user({ name: 'Tam Assistant' });
    suite.platform.setMembers(course.id, [
      { user: coraUser, roles: ['Instructor'] },
      { user: cat.user, roles: ['Learner'] },
      { user: nia, roles: ['Learner'] },
      { user: tam, roles: ['TeachingAssistant'] },
    ]);
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', coraUser);
    const sync = await cora.post('/gradebook/roster/sync');
    expect(sync.status).toBeLessThan(400);

    const page = await cora.get('/cohort');
    expect(page.status).toBe(200);
    const t = text(page.html);
    expect(t).toContain('Cat Launched');
    expect(t).toContain('Nia Notyet Not started: has not opened CMALT Portfolio');
    expect(t).toContain('0 of 9 meet the criterion');
    expect(page.html).toContain('Tam Assistant (not launched yet)');
    // Nobody is chosen for the coordinator: the first option asks for a choice, and sending it unchosen assigns no one.
    expect(page.html).toMatch(/<select id="mentor-for-\d+" name="mentorSub" required>\s*<option value="" selected>Choose a mentor<\/option>/);
    const unchosen = await cora.post('/cohort/assignments', { candidateSub: nia.id, mentorSub: '', action: 'assign' });
    expect(unchosen.status).toBe(422);
    expect(text(unchosen.html)).toContain('Please choose a person from the list.');
    expect(await MentorAssignment.countDocuments({ candidateSub: nia.id })).toBe(0);

    // A mentor who has not launched can be assigned to a candidate who has not launched; a candidate may have several mentors.
    expect((await cora.post('/cohort/assignments', { candidateSub: nia.id, mentorSub: tam.id, action: 'assign' })).status).toBe(200);
    expect((await cora.post('/cohort/assignments', { candidateSub: nia.id, mentorSub: coraUser.id, action: 'assign' })).status).toBe(200);
    expect(await MentorAssignment.countDocuments({ candidateSub: nia.id })).toBe(2);
    const twice = await cora.post('/cohort/assignments', { candidateSub: nia.id, mentorSub: tam.id, action: 'assign' });
    expect(twice.status).toBe(409);
    expect(text(twice.html)).toContain('That mentor is already assigned to this candidate.');
    const stranger = await cora.post('/cohort/assignments', { candidateSub: 'nobody-here', mentorSub: tam.id, action: 'assign' });
    expect(stranger.status).toBe(422);
    expect(text(stranger.html)).toContain('Please choose a candidate from this course.');
    const self = await cora.post('/cohort/assignments', { candidateSub: nia.id, mentorSub: nia.id, action: 'assign' });
    expect(self.status).toBe(422);
    const missing = await cora.post('/cohort/assignments', { candidateSub: nia.id, action: 'assign' });
    expect(missing.status).toBe(422);
    expect(await MentorAssignment.countDocuments({ candidateSub: nia.id })).toBe(2);

    // When Tam launches, Nia is on Tam's dashboard as not started.
    const tamSession = await launched(suite.tool, suite.platform, course, 'TeachingAssistant', tam);
    expect(text((await tamSession.get('/mentoring')).html)).toContain('Nia Notyet Not started: has not opened CMALT Portfolio yet');
    expect((await cora.post('/cohort/assignments', { candidateSub: nia.id, mentorSub: tam.id, action: 'unassign' })).status).toBe(200);
    expect(await MentorAssignment.countDocuments({ candidateSub: nia.id })).toBe(1);
  });

  test('final review: asked for only when every assessed section meets the criterion; sent back needs a reason; signed off once', async () => {
    const course = suite.platform.course({ title: 'Final course' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Final' }));
    const cat = await aCandidate(suite.tool, suite.platform, course, 'Cat Final');
    const early = await cat.session.post('/mentoring/final-review');
    expect(early.status).toBe(422);
    expect(text(early.html)).toContain('Every assessed section must meet the criterion');

    // Arrange: every section already reviewed (the review round itself is covered in test/mentoring).
    await Section.updateMany({ portfolio: cat.portfolio._id }, { $set: { state: 'meets_criterion' } });
    expect(text((await cat.session.get('/mentoring/peer')).html)).toContain('Ask for final review');
    expect((await cat.session.post('/mentoring/final-review')).status).toBe(200);
    expect((await Portfolio.findById(cat.portfolio._id).lean())!.submittedAt).not.toBeNull();
    const gradebookSees = async () => scoreValues((await loadCandidates(mongoose.connection, { portfolioIds: [String(cat.portfolio._id)] }))[0].standing, 100).activityProgress;
    expect(await gradebookSees()).toBe('Submitted');
    expect((await cat.session.post('/mentoring/final-review')).status).toBe(409);

    const queue = text((await cora.get('/cohort')).html);
    expect(queue).toContain('Waiting for final review');
    expect(queue).toContain('Cat Final Asked on');
    const id = String(cat.portfolio._id);
    const noReason = await cora.post(`/cohort/final-review/${id}`, { decision: 'sent_back', reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(text(noReason.html)).toContain('Please give the candidate a reason');
    expect((await Portfolio.findById(id).lean())!.submittedAt).not.toBeNull();
    expect((await cat.session.post(`/cohort/final-review/${id}`, { decision: 'signed_off' })).status).toBe(403);

    expect((await cora.post(`/cohort/final-review/${id}`, { decision: 'sent_back', reason: 'Please add your declaration.' })).status).toBe(200);
    expect((await Portfolio.findById(id).lean())!.submittedAt).toBeNull();
    expect(text((await cat.session.get('/mentoring/peer')).html)).toContain('Sent back');
    expect((await cora.post(`/cohort/final-review/${id}`, { decision: 'signed_off' })).status).toBe(409);

    expect((await cat.session.post('/mentoring/final-review')).status).toBe(200);
    expect((await cora.post(`/cohort/final-review/${id}`, { decision: 'signed_off' })).status).toBe(200);
    expect((await Portfolio.findById(id).lean())!.signedOffAt).not.toBeNull();
    expect(await gradebookSees()).toBe('Completed');
    expect(await FinalReviewDecision.countDocuments({ portfolio: id })).toBe(2);
    expect(text((await cat.session.get('/mentoring/peer')).html)).toContain('Your portfolio was signed off');
    expect((await cora.post(`/cohort/final-review/0123456789abcdef01234567`, { decision: 'signed_off' })).status).toBe(404);
  });
});
