import { toolSuite } from '../support/suite';
import { SectionVisit } from '../../src/mentoring/models';
import { User } from '../../src/people/user.model';
import { aCandidate, aCoordinator, aMentor, sectionNow, text } from '../support/factories';

/** The change view through real launches: who sees which base, and who gets a link to newly linked evidence. */
const suite = toolSuite();

const changesOf = (html: string) => text(/<section class="card mentoring-card changes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '');

describe('the change view, server side', () => {
  test('a peer sees a linked item by title only, a mentor with a link; "since your review" without a review is the visit view; old visits still compare', async () => {
    const course = suite.platform.course({ title: 'Change view' });
    const { session: cora } = await aCoordinator(suite, { course, name: 'Cora CV' });
    const moUser = suite.platform.user({ name: 'Mo CV' });
    const { session: mo } = await aMentor(suite, { course, user: moUser });
    const cat = await aCandidate(suite, { course, name: 'Cat CV' });
    const dan = await aCandidate(suite, { course, name: 'Dan CV' });
    await cora.post('/cohort/assignments', { candidateSub: cat.user.id, mentorSub: moUser.id, action: 'assign' });
    const id = cat.id('1a');
    expect((await cat.session.post(`/mentoring/sections/${id}/shares`, { peerId: dan.userId })).status).toBe(200);
    const added = await cat.session.post(`/portfolio/sections/${id}/examples`, {
      baseVersion: String((await sectionNow(id)).version), title: 'Quiz tool', role: '', project: '', year: '', description: '<p>One.</p><p>Two.</p><p>Three.</p><p>Four.</p>', reflection: '', format: 'html',
    });
    expect(added.status).toBe(200);
    const exampleId = String((await sectionNow(id)).examples[0]._id);

    for (const reader of [mo, dan.session]) expect(changesOf((await reader.get(`/mentoring/sections/${id}`)).html)).toContain('This is your first visit');

    const note = await cat.session.post('/portfolio/evidence/notes', { title: 'Survey notes', date: '2026-03-01', description: '', tags: '', text: 'Most wanted captions.' });
    const evidenceId = new URL(note.url).pathname.split('/').pop()!;
    expect((await cat.session.post('/portfolio/evidence/attach', { evidenceId, sectionId: id, exampleId })).status).toBe(200);

    const byMentor = await mo.get(`/mentoring/sections/${id}`, { changes: 'review' }); // never reviewed: the visit view
    expect(changesOf(byMentor.html)).toContain('What changed since your last visit');
    expect(changesOf(byMentor.html)).toContain('Linked to Example 1: Quiz tool: Survey notes');
    expect(changesOf(byMentor.html)).toContain('0 paragraphs changed, 1 piece of evidence linked.');
    expect(byMentor.html).toMatch(new RegExp(`<a href="/portfolio/evidence/${evidenceId}\\?ltik=[^"]+">Survey notes</a></li>`));
    const byPeer = await dan.session.get(`/mentoring/sections/${id}`, { changes: '<script>' }); // any other value: the visit view
    expect(byPeer.status).toBe(200);
    expect(changesOf(byPeer.html)).toContain('Linked to Example 1: Quiz tool: Survey notes');
    expect(byPeer.html).not.toContain(`/portfolio/evidence/${evidenceId}`);

    // A visit kept before paragraphs were (one block of text): it still compares paragraph by paragraph, evidence unknown.
    const moId = String((await User.findOne({ sub: moUser.id }).lean())!._id);
    await SectionVisit.updateOne(
      { readerId: moId, section: id },
      { $set: { version: 0, snapshotText: 'Example 1: Quiz tool\n\nDescription: One.\n\nDescription: Two, before.\n\nDescription: Three.\n\nDescription: Four.' }, $unset: { paragraphs: '', evidence: '' } },
    );
    const old = changesOf((await mo.get(`/mentoring/sections/${id}`)).html);
    expect(old).toContain('1 paragraph changed.');
    expect(old).toContain('Two [removed: , before ] .');
    expect(old).not.toContain('Survey notes');
    expect(old).not.toContain('Four.');
  });
});
