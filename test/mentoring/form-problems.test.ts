import { toolSuite } from '../support/suite';
import { Comment, MentorReview } from '../../src/mentoring/models';
import { aMentoredCandidate, sectionNow, text } from './people';

const suite = toolSuite();

const aMentoredSection = (who: string) => aMentoredCandidate(suite.tool, suite.platform, who);

const textareaValue = (html: string, id: string) => new RegExp(`<textarea id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];

describe('a refused mentoring form comes back as the page, with what was typed kept', () => {
  test('"needs more work" without feedback: the section page again (422), the choice kept, the problem at the form, nothing saved', async () => {
    const { mo, id } = await aMentoredSection('Refused review');
    const v = (await sectionNow(id)).version;
    const refused = await mo.post(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: '   ', expectedVersion: String(v) });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('class="error-summary"');
    expect(text(refused.html)).toContain('There is a problem Please say what needs more work');
    expect(refused.html).toMatch(/id="decision-more" name="decision" value="needs_more_work" checked/);
    expect(refused.html).toContain('id="review-error"');
    expect(refused.html).toContain('<h2 id="review-form-heading">Your review</h2>'); // the form is there to try again
    expect(refused.html).toContain('My plans.');
    expect(await sectionNow(id)).toMatchObject({ state: 'ready_for_review', version: v });
    expect(await MentorReview.countDocuments({ section: id })).toBe(0);
  });

  test('a review on an out-of-date page: the latest page (409) with the feedback typed kept', async () => {
    const { mo, id } = await aMentoredSection('Stale review');
    const v = (await sectionNow(id)).version;
    const stale = await mo.post(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: 'Add the dates, please.', expectedVersion: String(v - 1) });
    expect(stale.status).toBe(409);
    expect(textareaValue(stale.html, 'feedback')).toBe('Add the dates, please.');
    expect(await MentorReview.countDocuments({ section: id })).toBe(0);
  });

  test('a comment over the limit: the page again (422) with the comment in its box and the problem beside it', async () => {
    const { mo, id } = await aMentoredSection('Long comment');
    const long = `A thought ${'and another '.repeat(500)}`;
    const refused = await mo.post(`/mentoring/sections/${id}/comments`, { body: long });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('id="new-comment-section-error"');
    expect(textareaValue(refused.html, 'new-comment-section')).toBe(long);
    expect(text(refused.html)).toContain('Please keep a comment under 5,000 characters.');
    expect(await Comment.countDocuments({ section: id })).toBe(0);
  });

  test('a script asking for JSON still gets the JSON error', async () => {
    const { mo, id } = await aMentoredSection('Json review');
    const v = (await sectionNow(id)).version;
    const res = await mo.postJson(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: '', expectedVersion: v });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.html)).toMatchObject({ error: { message: expect.stringContaining('Please say what needs more work') } });
  });
});
