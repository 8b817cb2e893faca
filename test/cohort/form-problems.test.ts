import { MentorAssignment } from '../../src/mentoring/models';
import { Portfolio, Section } from '../../src/portfolio/models';
import { aCandidate, launched, text } from '../mentoring/people';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

const textareaValue = (html: string, id: string) => new RegExp(`<textarea id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];

describe('a refused cohort form comes back as the cohort page, with what was chosen or typed kept', () => {
  test('sending a portfolio back with too long a reason: the page again (422), decision and reason kept, nothing decided', async () => {
    const course = suite.platform.course({ title: 'Cohort problems' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Problems' }));
    const cat = await aCandidate(suite.tool, suite.platform, course, 'Cat Problems');
    await Section.updateMany({ portfolio: cat.portfolio._id }, { $set: { state: 'meets_criterion' } });
    expect((await cat.session.post('/mentoring/final-review')).status).toBe(200);
    const id = String(cat.portfolio._id);

    const reason = `Please add your declaration. ${'More detail. '.repeat(450)}`;
    const refused = await cora.post(`/cohort/final-review/${id}`, { decision: 'sent_back', reason });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('class="error-summary"');
    expect(text(refused.html)).toContain('There is a problem Please keep the reason under 5,000 characters.');
    expect(refused.html).toMatch(new RegExp(`id="sendback-${id}" name="decision" value="sent_back" checked`));
    expect(refused.html).toContain(`id="reason-${id}-error"`);
    expect(textareaValue(refused.html, `reason-${id}`)).toBe(reason);
    expect(text(refused.html)).toContain('Cat Problems'); // the queue is still there to act on
    expect((await Portfolio.findById(id).lean())!.submittedAt).not.toBeNull();
  });

  test('assigning with no mentor chosen: the page again (422) with the problem at that candidate, nothing assigned', async () => {
    const course = suite.platform.course({ title: 'Assign problems' });
    const cora = await launched(suite.tool, suite.platform, course, 'Instructor', suite.platform.user({ name: 'Cora Assign' }));
    await launched(suite.tool, suite.platform, course, 'TeachingAssistant', suite.platform.user({ name: 'Tam Assign' }));
    const cat = await aCandidate(suite.tool, suite.platform, course, 'Cat Assign');
    const refused = await cora.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: '', action: 'assign' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('class="error-summary"');
    expect(refused.html).toContain('<p class="field-error" id="assign-mentor-error">');
    expect(refused.html).toMatch(/<option value="[^"]+" selected>Cat Assign<\/option>/); // the candidate chosen is kept
    expect(await MentorAssignment.countDocuments({ candidateSub: cat.user.id })).toBe(0);
  });
});
