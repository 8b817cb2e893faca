import { Resource } from '../../src/community/models';
import { aCoordinator, aMentor, launched, text } from '../support/factories';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

describe('resources shared with the learning set', () => {
  test('links and evidence items are shared, found by words and tags, readable by the set only, and taken down by the sharer or coordinator', async () => {
    const { platform, tool } = suite;
    const course = platform.course({ title: 'Resources' });
    const { session: cora } = await aCoordinator({ tool, platform }, { course, name: 'Cora Res' });
    const { session: mo } = await aMentor({ tool, platform }, { course, name: 'Mo Res' });
    const cat = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cat Res' }));
    const cal = await launched({ tool, platform }, course, 'Learner', platform.user({ name: 'Cal Res' }));
    const bea = await launched({ tool, platform }, platform.course({ title: 'Other' }), 'Learner', platform.user({ name: 'Bea Res' }));

    const note = await cat.post('/portfolio/evidence/notes', { title: 'Rubric template', text: 'Four criteria, three levels.', tags: 'assessment' });
    const evidenceId = /\/portfolio\/evidence\/([a-f0-9]{24})/.exec(note.url)![1];
    expect(text(note.html)).toContain('Share with the learning set');
    expect((await cal.get(`/portfolio/evidence/${evidenceId}`)).status).toBe(404); // not shared yet

    // someone else's library item, or another course's: refused as not found, nothing stored
    expect((await cal.post('/community/resources/evidence', { evidenceId, title: 'Stolen' })).status).toBe(404);
    expect((await bea.post('/community/resources/evidence', { evidenceId, title: 'Stolen' })).status).toBe(404);
    const bad = await cal.post('/community/resources/links', { title: 'Bad', url: 'javascript:alert(1)' });
    expect(bad.status).toBe(422);
    expect(text(bad.html)).toContain('Enter a full web address starting with http:// or https://.');
    expect(await Resource.countDocuments({ title: { $in: ['Stolen', 'Bad'] } })).toBe(0);

    const shared = await cat.post('/community/resources/evidence', { evidenceId, title: 'Rubric template', tags: 'assessment', description: 'For marking' });
    expect(text(shared.html)).toContain('The resource is shared with the set.');
    expect((await mo.post('/community/resources/links', { title: 'Alt text guide', url: 'https://example.org/alt', tags: 'Accessibility' })).status).toBe(200);

    const list = await cal.get('/community/resources');
    expect(text(list.html)).toContain('Rubric template');
    expect(list.html).toContain('href="https://example.org/alt" rel="noopener noreferrer"');
    expect((await cal.get(`/portfolio/evidence/${evidenceId}`)).status).toBe(200); // the set reads the shared item
    expect((await bea.get(`/portfolio/evidence/${evidenceId}`)).status).toBe(404);
    expect(text((await bea.get('/community/resources')).html)).not.toContain('Rubric template');

    const byWord = await cal.get('/community/search', { q: 'rubrics' });
    expect(text(byWord.html)).toContain('Rubric template');
    const byTag = await cal.get('/community/search', { tag: 'accessibility' });
    expect(text(byTag.html)).toContain('Alt text guide');
    expect(text(byTag.html)).not.toContain('Rubric template');
    expect(text((await bea.get('/community/search', { q: 'rubric' })).html)).not.toContain('Rubric template');

    const id = String((await Resource.findOne({ evidenceId }).lean())!._id);
    expect((await mo.post(`/community/resources/${id}/remove`)).status).toBe(403);
    expect((await bea.post(`/community/resources/${id}/remove`)).status).toBe(404);
    expect((await Resource.findById(id).lean())!.removedAt).toBeNull();
    expect((await cat.post(`/community/resources/${id}/remove`)).status).toBe(200);
    expect((await cal.get(`/portfolio/evidence/${evidenceId}`)).status).toBe(404); // no longer shared
    const alt = String((await Resource.findOne({ title: 'Alt text guide' }).lean())!._id);
    expect((await cora.post(`/community/resources/${alt}/remove`)).status).toBe(200);
    expect(text((await cal.get('/community/resources')).html)).toContain('No resources shared yet.');
  });
});
