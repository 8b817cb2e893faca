import { Post, Reply } from '../../src/community/models';
import { aCoordinator, aMentor, launched, text } from '../support/factories';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

const postIdIn = (url: string) => /\/community\/posts\/([a-f0-9]{24})/.exec(url)?.[1] ?? '';
const linksToPosts = (html: string) => [...html.matchAll(/href="[^"]*\/community\/posts\/([a-f0-9]{24})/g)].map((m) => m[1]);

async function aSet(title: string) {
  const { platform, tool } = suite;
  const course = platform.course({ title });
  const { session: cora } = await aCoordinator({ tool, platform }, { course, name: `Cora ${title}` });
  const { session: mo } = await aMentor({ tool, platform }, { course, name: `Mo ${title}` });
  const cat = await launched({ tool, platform }, course, 'Learner', platform.user({ name: `Cat ${title}` }));
  const cal = await launched({ tool, platform }, course, 'Learner', platform.user({ name: `Cal ${title}` }));
  return { course, cora, mo, cat, cal };
}

describe('the learning set space', () => {
  test('members post practice and questions with sanitised text, reply and report; the coordinator pins, hides and removes', async () => {
    const { cora, mo, cat, cal } = await aSet('Space');

    const practice = await cat.post('/community/posts', {
      kind: 'practice', format: 'html', title: 'Captions in lecture capture', tags: 'Accessibility, video',
      tried: '<p>Auto captions <script>alert(1)</script><img src=x onerror=alert(2)></p>', happened: '<p onclick="x()">Students <b>used</b> them</p>', learned: '<a href="javascript:alert(3)">check</a> them first',
    });
    expect(practice.status).toBe(200);
    const id = postIdIn(practice.url);
    expect(text(practice.html)).toContain('Your post is in the space.');
    expect(practice.html).toContain('<strong>used</strong>');
    expect(practice.html).not.toMatch(/<script>alert|onerror|onclick|javascript:/);

    const question = await cal.post('/community/posts', { kind: 'question', title: 'Who uses <Padlet>?', body: '<i>Anyone</i> using it for CMALT?' });
    expect(question.status).toBe(200);
    expect(question.html).toContain('&lt;i&gt;Anyone&lt;/i&gt;'); // plain text stays text
    const qid = postIdIn(question.url);

    const empty = await cal.post('/community/posts', { kind: 'practice', format: 'html', title: 'Nothing', tried: '<script>alert(1)</script><p> </p>' });
    expect(empty.status).toBe(422);
    expect(text(empty.html)).toContain('Write at least one of what you tried, what happened or what you learned.');
    expect(await Post.countDocuments({ title: 'Nothing' })).toBe(0);

    const replied = await mo.post(`/community/posts/${id}/replies`, { body: 'Good idea.\n\n- check names\n- check terms' });
    expect(replied.status).toBe(200);
    expect(replied.html).toContain('<ul><li>check names</li><li>check terms</li></ul>');
    expect((await Post.findById(id).lean())!.replyCount).toBe(1);
    expect((await cal.post(`/community/posts/${id}/replies`, { body: '   ' })).status).toBe(422);
    expect(await Reply.countDocuments({ postId: id })).toBe(1);

    // search by a word (any form of it) and by a tag, served by the text index
    const byWord = await cal.get('/community/search', { q: 'caption' });
    expect(byWord.status).toBe(200);
    expect(linksToPosts(byWord.html)).toEqual([id]);
    expect(linksToPosts((await cal.get('/community/search', { q: 'padlet' })).html)).toEqual([qid]);
    expect(linksToPosts((await cal.get('/community/search', { tag: 'accessibility' })).html)).toEqual([id]);
    expect(linksToPosts((await cal.get('/community/search', { q: 'students', tag: 'video' })).html)).toEqual([id]);
    expect(text((await cal.get('/community/search', { q: 'blockchain' })).html)).toContain('No posts match.');

    const space = await cal.get('/community');
    expect(space.status).toBe(200);
    expect(linksToPosts(space.html)).toEqual(expect.arrayContaining([id, qid]));

    expect((await cal.post(`/community/posts/${qid}/report`, { reason: 'Off topic' })).status).toBe(200);
    expect((await cal.post(`/community/posts/${qid}/report`, { reason: 'Again' })).status).toBe(200); // once per person
    expect((await Post.findById(qid).lean())!.reports).toHaveLength(1);
    expect(text((await cora.get(`/community/posts/${qid}`)).html)).toContain('Reported once.');
    expect(text((await cal.get(`/community/posts/${qid}`)).html)).not.toContain('Reported');

    // only the coordinator moderates
    expect((await mo.post(`/community/posts/${id}/moderate`, { action: 'hide' })).status).toBe(403);
    expect((await cat.post(`/community/posts/${id}/moderate`, { action: 'pin' })).status).toBe(403);
    expect((await Post.findById(id).lean())!.hidden).toBe(false);

    expect((await cora.post(`/community/posts/${qid}/moderate`, { action: 'pin' })).status).toBe(200);
    expect((await cat.get('/community')).html).toMatch(/<h2>Pinned<\/h2>\s*<ul class="card-list">\s*<li class="card">\s*<h3><a href="[^"]*\/community\/posts\/[a-f0-9]+/);

    const hid = await cora.post(`/community/posts/${id}/moderate`, { action: 'hide' });
    expect(text(hid.html)).toContain('The post is hidden.');
    expect((await cal.get(`/community/posts/${id}`)).status).toBe(404);
    expect((await mo.get(`/community/posts/${id}`)).status).toBe(404);
    expect((await mo.post(`/community/posts/${id}/replies`, { body: 'still here?' })).status).toBe(404);
    expect(linksToPosts((await cal.get('/community')).html)).not.toContain(id);
    expect(linksToPosts((await cal.get('/community/search', { q: 'captions' })).html)).toEqual([]);
    expect(linksToPosts((await cat.get('/community/search', { q: 'captions' })).html)).toEqual([id]);
    expect((await cat.get(`/community/posts/${id}`)).status).toBe(200); // its author
    expect((await cora.get(`/community/posts/${id}`)).status).toBe(200);
    expect(await Reply.countDocuments({ postId: id })).toBe(1);

    expect((await cora.post(`/community/posts/${id}/moderate`, { action: 'remove' })).status).toBe(200);
    expect((await cat.get(`/community/posts/${id}`)).status).toBe(404);
    expect((await cora.get(`/community/posts/${id}`)).status).toBe(404);
  });

  test('outsiders and other courses are refused every read and write by URL guessing, and nothing is stored', async () => {
    const { cat } = await aSet('Guarded');
    const own = await cat.post('/community/posts', { kind: 'question', title: 'Guarded question', body: 'Only for us.' });
    const id = postIdIn(own.url);
    const other = await aSet('Elsewhere');
    const before = { posts: await Post.countDocuments(), replies: await Reply.countDocuments(), post: await Post.findById(id).lean() };

    for (const s of [other.cat, other.cora]) {
      expect((await s.get(`/community/posts/${id}`)).status).toBe(404);
      expect((await s.post(`/community/posts/${id}/replies`, { body: 'hello' })).status).toBe(404);
      expect((await s.post(`/community/posts/${id}/report`, { reason: 'x' })).status).toBe(404);
      expect(linksToPosts((await s.get('/community')).html)).not.toContain(id);
      expect(linksToPosts((await s.get('/community/search', { q: 'guarded' })).html)).toEqual([]);
    }
    expect((await other.cora.post(`/community/posts/${id}/moderate`, { action: 'remove' })).status).toBe(404);
    expect((await other.cat.post(`/community/posts/${id}/moderate`, { action: 'remove' })).status).toBe(403);
    expect((await other.cat.get('/community/posts/not-an-id')).status).toBe(404);

    // a request without a launch reaches nothing
    const anonymous = await fetch(new URL(`/community/posts/${id}`, suite.tool.baseUrl));
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
    expect(await anonymous.text()).not.toContain('Guarded question');

    expect(await Post.countDocuments()).toBe(before.posts);
    expect(await Reply.countDocuments()).toBe(before.replies);
    expect(await Post.findById(id).lean()).toEqual(before.post);
  });

  test('the space pages with a cursor: every post once, newest first, and posting is rate limited', async () => {
    const { cat, cora } = await aSet('Paging');
    // the course's id as the tool knows it: from a first real post
    const first = await cat.post('/community/posts', { kind: 'question', title: 'First', body: 'One.' });
    const seeded = (await Post.findById(postIdIn(first.url)).lean())!;
    const base = seeded.createdAt.getTime() - 1_000_000;
    // same createdAt for pairs, so the _id tie-break is exercised
    await Post.insertMany(Array.from({ length: 44 }, (_, i) => ({ courseId: seeded.courseId, authorId: seeded.authorId, authorName: 'Cat', kind: 'question', title: `Seeded ${i}`, body: '<p>x</p>', createdAt: new Date(base + Math.floor(i / 2) * 1000) })));

    const seen: string[] = [];
    let page = await cora.get('/community');
    for (let n = 0; n < 5; n += 1) {
      const ids = linksToPosts(page.html.slice(page.html.indexOf(page.html.includes('Newest posts') ? 'Newest posts' : 'Older posts')));
      seen.push(...ids.filter((x, i) => ids.indexOf(x) === i));
      const next = /href="([^"]*\/community\?after=[^"]+)"/.exec(page.html)?.[1];
      if (!next) break;
      page = await cora.get(new URL(next.replace(/&amp;/g, '&'), suite.tool.baseUrl).pathname + new URL(next.replace(/&amp;/g, '&'), suite.tool.baseUrl).search);
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    const stored = await Post.find({ courseId: seeded.courseId }).sort({ createdAt: -1, _id: -1 }).lean();
    expect(seen).toEqual(stored.map((p) => String(p._id)));
    expect((await cora.get('/community', { after: 'garbage' })).status).toBe(200); // a bad cursor is the first page

    // 20 posts or replies in ten minutes; the next is refused and stored nothing
    for (let i = 1; i < 20; i += 1) expect((await cat.post(`/community/posts/${seeded._id}/replies`, { body: `Reply ${i}` })).status).toBe(200);
    const refused = await cat.post('/community/posts', { kind: 'question', title: 'One too many', body: 'Hello?' });
    expect(refused.status).toBe(429);
    expect(text(refused.html)).toContain('You have posted a lot in a short time.');
    expect(await Post.countDocuments({ title: 'One too many' })).toBe(0);
  });
});
