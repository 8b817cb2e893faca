import { toolSuite } from '../support/suite';
import { Comment, CoMentorShare, MentorAssignment, MentorReview } from '../../src/mentoring/models';
import { aCandidate, aCoordinator, aMentor, launched, sectionNow, text, writeAndAskForReview } from '../support/factories';

const suite = toolSuite();

async function aCourse(title: string) {
  const course = suite.platform.course({ title });
  const { session: coordinator } = await aCoordinator(suite, { course, name: `Cora ${title}` });
  const moUser = suite.platform.user({ name: `Mo ${title}` });
  const { session: mo } = await aMentor(suite, { course, user: moUser });
  const otherMentor = await launched(suite, course, 'Mentor', suite.platform.user({ name: `Nia ${title}` }));
  const cat = await aCandidate(suite, { course, name: `Cat ${title}` });
  const dan = await aCandidate(suite, { course, name: `Dan ${title}` });
  await coordinator.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: moUser.id, action: 'assign' });
  await writeAndAskForReview(cat.session, cat.id('future-plans'), 'My plans.');
  return { course, coordinator, mo, moUser, otherMentor, cat, dan };
}

describe('who can open what, by URL guessing too', () => {
  test('a mentor cannot open, comment on or review a candidate they do not mentor; nothing changes', async () => {
    const { otherMentor, cat } = await aCourse('Guess');
    const id = cat.id('future-plans');
    const before = await sectionNow(id);
    const page = await otherMentor.get(`/mentoring/sections/${id}`);
    expect(page.status).toBe(404);
    expect(text(page.html)).toContain('We could not find that page, or it is not shared with you.');
    expect(page.html).not.toContain('My plans.');
    expect((await otherMentor.post(`/mentoring/sections/${id}/comments`, { body: 'Sneaky' })).status).toBe(404);
    expect((await otherMentor.post(`/mentoring/sections/${id}/review`, { decision: 'meets_criterion', feedback: '', expectedVersion: String(before.version) })).status).toBe(404);
    expect((await otherMentor.get(`/mentoring/candidates/${String(cat.portfolio._id)}`)).status).toBe(404);
    expect((await otherMentor.get(`/portfolio/sections/${id}`)).status).toBe(404);
    expect(await Comment.countDocuments({ section: id })).toBe(0);
    expect(await MentorReview.countDocuments({ section: id })).toBe(0);
    expect(await sectionNow(id)).toMatchObject({ state: 'ready_for_review', version: before.version });
    expect((await otherMentor.get('/mentoring/sections/not-an-id')).status).toBe(404);
    expect((await otherMentor.get('/mentoring/sections/0123456789abcdef01234567')).status).toBe(404);
  });

  test('the assigned mentor can read the portfolio through the portfolio pages, read only', async () => {
    const { mo, cat } = await aCourse('Read only');
    const id = cat.id('future-plans');
    const page = await mo.get(`/portfolio/sections/${id}`);
    expect(page.status).toBe(200);
    const before = await sectionNow(id);
    const write = await mo.post(`/portfolio/sections/${id}`, { baseVersion: String(before.version), format: 'text', body: 'Overwritten' });
    expect(write.status).toBe(404);
    expect((await sectionNow(id)).body).toBe(before.body);
  });

  test('the candidate page says, per section, what is new since the mentor last read it', async () => {
    const { mo, cat } = await aCourse('Visits');
    const row = (html: string, area: string) => text(new RegExp(`<tr>\\s*<th scope="row"><a[^>]*>${area}[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '');
    const portfolioPage = () => mo.get(`/mentoring/candidates/${String(cat.portfolio._id)}`);
    const first = (await portfolioPage()).html;
    expect(row(first, 'Future plans')).toContain('Not read yet');
    expect(row(first, 'Declaration')).toContain('Nothing written yet'); // empty: nothing to read
    const sectionPage = await mo.get(`/mentoring/sections/${cat.id('future-plans')}`);
    expect(sectionPage.status).toBe(200);
    expect(text(sectionPage.html)).not.toMatch(/version \d/); // no internal numbers on a person's page
    expect(row((await portfolioPage()).html, 'Future plans')).toContain('No changes');
    const v = (await sectionNow(cat.id('future-plans'))).version;
    await cat.session.post(`/portfolio/sections/${cat.id('future-plans')}/withdraw`, { baseVersion: String(v) });
    const saved = await cat.session.post(`/portfolio/sections/${cat.id('future-plans')}`, { baseVersion: String(v + 1), format: 'text', body: 'My plans, longer now.' });
    expect(saved.status).toBe(200);
    expect(row((await portfolioPage()).html, 'Future plans')).toContain('Changed');
  });

  test('a mentor limited by role_scope_mentor cannot open an assigned candidate outside the scope', async () => {
    const course = suite.platform.course({ title: 'Scoped' });
    const { session: coordinator } = await aCoordinator(suite, { course, name: 'Cora Scoped' });
    const cat = await aCandidate(suite, { course, name: 'Cat Scoped' });
    const scopedUser = suite.platform.user({ name: 'Sam Scoped' });
    const scoped = await launched(suite, course, 'Mentor', scopedUser, { roleScopeMentor: ['somebody-else'] });
    await coordinator.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: scopedUser.id, action: 'assign' });
    await writeAndAskForReview(cat.session, cat.id('future-plans'), 'Scoped plans.');
    expect((await scoped.get(`/mentoring/sections/${cat.id('future-plans')}`)).status).toBe(404);
    expect(text((await scoped.get('/mentoring')).html)).not.toContain('Cat Scoped');
    const inScope = await launched(suite, course, 'Mentor', scopedUser, { roleScopeMentor: [cat.user.id] });
    expect((await inScope.get(`/mentoring/sections/${cat.id('future-plans')}`)).status).toBe(200);
  });

  test('a candidate cannot open another candidate’s portfolio; a co-mentor sees only what was shared, until it is withdrawn', async () => {
    const { cat, dan } = await aCourse('Peers');
    const shared = cat.id('future-plans');
    const unshared = cat.id('contextual');
    expect((await dan.session.get(`/mentoring/sections/${shared}`)).status).toBe(404);
    expect((await dan.session.get(`/portfolio/sections/${shared}`)).status).toBe(404);
    expect((await dan.session.get(`/mentoring/candidates/${String(cat.portfolio._id)}`)).status).toBe(404);

    // Dan cannot share Cat's section with himself.
    expect((await dan.session.post(`/mentoring/sections/${shared}/shares`, { peerId: dan.userId })).status).toBe(404);
    const invited = await cat.session.post(`/mentoring/sections/${shared}/shares`, { peerId: dan.userId });
    expect(invited.status).toBe(200);
    expect(text(invited.html)).toContain(`Shared with Dan Peers`);

    const page = await dan.session.get(`/mentoring/sections/${shared}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('My plans.');
    expect(page.html).not.toContain('Your review');
    expect((await dan.session.get(`/mentoring/sections/${unshared}`)).status).toBe(404);
    expect((await dan.session.get(`/portfolio/sections/${shared}`)).status).toBe(404); // the whole-portfolio pages stay closed
    expect((await dan.session.post(`/mentoring/sections/${shared}/comments`, { body: 'Looks good to me.' })).status).toBe(200);
    const version = (await sectionNow(shared)).version;
    expect((await dan.session.post(`/mentoring/sections/${shared}/review`, { decision: 'meets_criterion', feedback: '', expectedVersion: String(version) })).status).toBe(404);
    expect((await sectionNow(shared)).state).toBe('ready_for_review');
    expect(text((await dan.session.get('/mentoring/peer')).html)).toContain('from Cat Peers');

    const share = (await CoMentorShare.findOne({ section: shared }).lean())!;
    expect((await dan.session.post(`/mentoring/sections/${shared}/shares/${String(share._id)}/withdraw`)).status).toBe(404);
    expect((await cat.session.post(`/mentoring/sections/${shared}/shares/${String(share._id)}/withdraw`)).status).toBe(200);
    expect((await dan.session.get(`/mentoring/sections/${shared}`)).status).toBe(404);
    expect((await dan.session.post(`/mentoring/sections/${shared}/comments`, { body: 'Still here?' })).status).toBe(404);
  });

  test('only the coordinator opens the cohort page or changes assignments', async () => {
    const { coordinator, mo, cat, dan, moUser } = await aCourse('Cohort gate');
    const assignments = async () => JSON.stringify(await MentorAssignment.find({}).sort({ _id: 1 }).lean());
    const before = await assignments();
    // The one assignment aCourse made (Cat to Mo) is there to be removed, and Dan has none to be given.
    expect(await MentorAssignment.find({ candidateSub: { $in: [cat.user.id, dan.user.id] } }, { _id: 0, candidateSub: 1, mentorSub: 1 }).lean())
      .toEqual([{ candidateSub: cat.user.id, mentorSub: moUser.id }]);
    for (const s of [mo, cat.session]) {
      const page = await s.get('/cohort');
      expect(page.status).toBe(403);
      const r = await s.post('/cohort/assignments', { candidateSub: dan.user.id, mentorSub: moUser.id, action: 'assign' });
      expect(r.status).toBe(403);
      const removal = await s.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: moUser.id, action: 'unassign' });
      expect(removal.status).toBe(403);
      expect(await assignments()).toBe(before);
    }
    expect(text((await mo.get('/mentoring')).html)).not.toContain('Dan Cohort gate');
    expect((await cat.session.get('/mentoring')).url).toContain('/mentoring/peer');
    // The same request from the coordinator does change it: the refusals above were the gate, not the form.
    expect((await coordinator.post('/cohort/assignments', { candidateSub: dan.user.id, mentorSub: moUser.id, action: 'assign' })).status).toBe(200);
    expect(await MentorAssignment.countDocuments({ candidateSub: dan.user.id, mentorSub: moUser.id })).toBe(1);
  });
  test('evidence opens for the assigned mentor only; other mentors and peers get "not found"', async () => {
    const { mo, otherMentor, cat, dan } = await aCourse('Evidence');
    const added = await cat.session.post('/portfolio/evidence/links', { title: 'Pilot report', url: 'https://example.ac.uk/report', date: '', description: '', tags: '' }, { follow: false });
    expect(added.status).toBe(303);
    const evidenceId = /\/portfolio\/evidence\/([0-9a-f]{24})/.exec(added.location ?? '')![1];
    expect((await mo.get(`/portfolio/evidence/${evidenceId}`)).status).toBe(200);
    expect((await otherMentor.get(`/portfolio/evidence/${evidenceId}`)).status).toBe(404);
    expect((await dan.session.get(`/portfolio/evidence/${evidenceId}`)).status).toBe(404);
  });
});

describe('comments: threads, editing window, deleting, resolving', () => {
  test('authors edit within 15 minutes and delete their own; either side resolves and reopens; bad input changes nothing', async () => {
    const { mo, cat } = await aCourse('Threads');
    const id = cat.id('future-plans');
    const empty = await mo.post(`/mentoring/sections/${id}/comments`, { body: '   ' });
    expect(empty.status).toBe(422);
    expect(text(empty.html)).toContain('Please write your comment before sending it.');
    expect(await Comment.countDocuments({ section: id })).toBe(0);
    const badExample = await mo.post(`/mentoring/sections/${id}/comments`, { body: 'x', exampleId: '0123456789abcdef01234567' });
    expect(badExample.status).toBe(404);

    await mo.post(`/mentoring/sections/${id}/comments`, { body: 'First <script>alert(1)</script> thought' });
    const root = (await Comment.findOne({ section: id }).lean())!;
    expect(root.body).toBe('<p>First &lt;script&gt;alert(1)&lt;/script&gt; thought</p>');
    expect((await cat.session.post(`/mentoring/sections/${id}/comments/${String(root._id)}/edit`, { body: 'Not mine' })).status).toBe(403);
    expect((await mo.post(`/mentoring/sections/${id}/comments/${String(root._id)}/edit`, { body: 'First thought, edited' })).status).toBe(200);
    expect((await Comment.findById(root._id).lean())!.editedAt).not.toBeNull();
    await Comment.collection.updateOne({ _id: root._id }, { $set: { createdAt: new Date(Date.now() - 16 * 60_000) } }); // mongoose keeps createdAt immutable
    const late = await mo.post(`/mentoring/sections/${id}/comments/${String(root._id)}/edit`, { body: 'Too late' });
    expect(late.status).toBe(403);
    expect(text(late.html)).toContain('first 15 minutes');
    expect((await Comment.findById(root._id).lean())!.body).toBe('<p>First thought, edited</p>');

    expect((await cat.session.post(`/mentoring/sections/${id}/comments/${String(root._id)}/resolve`)).status).toBe(200);
    expect((await Comment.findById(root._id).lean())!.resolved).toBe(true);
    expect((await mo.post(`/mentoring/sections/${id}/comments/${String(root._id)}/reopen`)).status).toBe(200);
    expect((await Comment.findById(root._id).lean())!.resolved).toBe(false);
    await mo.post(`/mentoring/sections/${id}/comments/${String(root._id)}/resolve`);
    expect((await cat.session.post(`/mentoring/sections/${id}/comments`, { body: 'One more thing', parentId: String(root._id) })).status).toBe(200);
    expect((await Comment.findById(root._id).lean())!.resolved).toBe(false); // a new reply reopens the thread
    const replyToReply = await mo.post(`/mentoring/sections/${id}/comments`, { body: 'Nested', parentId: String((await Comment.findOne({ parent: root._id }).lean())!._id) });
    expect(replyToReply.status).toBe(404); // threads are one level deep: replies go to the thread

    expect((await cat.session.post(`/mentoring/sections/${id}/comments/${String(root._id)}/delete`)).status).toBe(403);
    expect((await mo.post(`/mentoring/sections/${id}/comments/${String(root._id)}/delete`)).status).toBe(200);
    const deleted = (await Comment.findById(root._id).lean())!;
    expect(deleted.deletedAt).not.toBeNull();
    expect(deleted.body).toBe('');
    expect(text((await cat.session.get(`/mentoring/sections/${id}`)).html)).toContain('This comment was deleted.');
  });

  test('a comment on one example sits beside that example, for both sides', async () => {
    const { mo, cat } = await aCourse('Examples');
    const id = cat.id('1a');
    const added = await cat.session.post(`/portfolio/sections/${id}/examples`, {
      baseVersion: String((await sectionNow(id)).version), title: 'Choosing a quiz tool', role: 'Learning technologist', project: 'Quiz', year: '2025',
      format: 'text', description: 'I compared three tools.', reflection: 'Next time I would ask students.',
    });
    expect(added.status).toBe(200);
    const exampleId = String((await sectionNow(id)).examples[0]._id);
    expect((await mo.post(`/mentoring/sections/${id}/comments`, { body: 'Which three?', exampleId })).status).toBe(200);
    expect((await Comment.findOne({ section: id }).lean())!.exampleId).toBe(exampleId);
    const page = await cat.session.get(`/mentoring/sections/${id}`);
    const exampleBlock = page.html.slice(page.html.indexOf(`ex-${exampleId}-heading`));
    expect(text(exampleBlock.slice(0, exampleBlock.indexOf('</section>')))).toContain('Which three?');
  });

  test('a mentor must give feedback for "needs more work"; a stale form is refused; the candidate can ask again', async () => {
    const { mo, cat } = await aCourse('Decisions');
    const id = cat.id('future-plans');
    const v = (await sectionNow(id)).version;
    const noFeedback = await mo.post(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: '', expectedVersion: String(v) });
    expect(noFeedback.status).toBe(422);
    expect(text(noFeedback.html)).toContain('Please say what needs more work');
    const stale = await mo.post(`/mentoring/sections/${id}/review`, { decision: 'meets_criterion', feedback: '', expectedVersion: String(v - 1) });
    expect(stale.status).toBe(409);
    const noDecision = await mo.post(`/mentoring/sections/${id}/review`, { decision: 'maybe', feedback: '', expectedVersion: String(v) });
    expect(noDecision.status).toBe(422);
    expect(await sectionNow(id)).toMatchObject({ state: 'ready_for_review', version: v });
    expect((await mo.post(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: 'Add a date.', expectedVersion: String(v) })).status).toBe(200);
    expect(await sectionNow(id)).toMatchObject({ state: 'needs_more_work' });
    const again = await cat.session.post(`/portfolio/sections/${id}/ready`, { baseVersion: String(v + 1) });
    expect(again.status).toBe(200);
    const history = text((await mo.get(`/mentoring/sections/${id}`)).html);
    expect(history).toContain('Needs more work by Mo Decisions');
    expect(history).toContain('Add a date.');
  });
});
