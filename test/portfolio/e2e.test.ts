import { toolSuite } from '../support/suite';
import { launchAs } from '../support/launch';
import { Section, SectionRevision } from '../../src/portfolio/models';
import { aCandidate, sectionNow } from '../support/factories';

const suite = toolSuite();

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a candidate builds their portfolio through the VLE launch', () => {
  test('first visit asks for the pathway and specialist area, then shows every area', async () => {
    const course = suite.platform.course({ title: 'First visit course' });
    const s = await launchAs(suite.tool, suite.platform, { role: 'Learner', user: suite.platform.user({ name: 'Fern First' }), course });
    expect(s.status).toBe(200);
    expect(s.html).toContain('Start your CMALT portfolio');
    const missing = await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: '' });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('Please name your specialist area.');
    const ok = await s.post('/portfolio/start', { pathway: 'cmalt', name_specialist_1: 'Open education' });
    expect(ok.status).toBe(200);
    const page = text(ok.html);
    expect(page).toContain('My portfolio');
    expect(page).toContain('5 Specialist area: Open education');
    expect(page).toContain('0 of 9 assessed sections meet the criterion');
    expect(page).toContain('Next step: Start Contextual statement');
  });

  test('writes three areas with examples, marks one ready for review and withdraws it', async () => {
    const course = suite.platform.course({ title: 'Journey course' });
    const { session: s, id } = await aCandidate(suite, { course, user: suite.platform.user({ name: 'Jo Journey' }) });

    const ctx = await s.post(`/portfolio/sections/${id('contextual')}`, { baseVersion: '0', format: 'text', body: 'I support staff at a college.\n\n- Moodle\n- Teams' });
    expect(ctx.status).toBe(200);
    expect(ctx.html).toContain('Saved.');
    expect(await sectionNow(id('contextual'))).toMatchObject({ state: 'draft', version: 1, body: '<p>I support staff at a college.</p><ul><li>Moodle</li><li>Teams</li></ul>' });

    for (const [i, title] of ['Choosing a quiz tool', 'Replacing the lecture capture system'].entries()) {
      const r = await s.post(`/portfolio/sections/${id('1a')}/examples`, {
        baseVersion: String(i), title, role: 'Learning technologist', project: `Project ${i}`, year: '2025', format: 'text',
        description: 'I compared three tools against accessibility and cost.', reflection: 'Next time I would involve students earlier.',
      });
      expect(r.status).toBe(200);
    }
    const section1a = await sectionNow(id('1a'));
    expect(section1a.examples.map((e) => e.title)).toEqual(['Choosing a quiz tool', 'Replacing the lecture capture system']);

    const put = await s.put(`/portfolio/sections/${id('future-plans')}`, { baseVersion: 0, body: '<p>Next year I will <strong>lead</strong> a pilot.</p><script>x</script>' });
    expect(put.status).toBe(200);
    expect(JSON.parse(put.html)).toMatchObject({ version: 1, state: 'draft' });
    expect((await sectionNow(id('future-plans'))).body).toBe('<p>Next year I will <strong>lead</strong> a pilot.</p>');

    const overview = text((await s.get('/portfolio')).html);
    expect(overview).toContain('1a An understanding of the constraints and benefits of different technologies');
    expect(overview).toMatch(/0 of 9 assessed sections meet the criterion; 0 ready for review; 1 in draft/);

    const ready = await s.post(`/portfolio/sections/${id('1a')}/ready`, { baseVersion: '2' });
    expect(ready.status).toBe(200);
    expect(ready.html).toContain('Marked ready for review');
    expect((await sectionNow(id('1a'))).state).toBe('ready_for_review');
    const withdrawn = await s.post(`/portfolio/sections/${id('1a')}/withdraw`, { baseVersion: '3' });
    expect(withdrawn.status).toBe(200);
    expect((await sectionNow(id('1a'))).state).toBe('draft');
  });

  test('another candidate cannot read or write the section, even by guessing its address', async () => {
    const course = suite.platform.course({ title: 'Privacy course' });
    const owner = await aCandidate(suite, { course, user: suite.platform.user({ name: 'Olive Owner' }) });
    await owner.session.post(`/portfolio/sections/${owner.id('contextual')}`, { baseVersion: '0', format: 'text', body: 'Private words' });
    const other = await aCandidate(suite, { course, user: suite.platform.user({ name: 'Oscar Other' }) });
    const target = owner.id('contextual');
    const before = await sectionNow(target);

    const reads = [
      await other.session.get(`/portfolio/sections/${target}`),
      await other.session.get(`/portfolio/sections/${target}/revisions`),
    ];
    for (const r of reads) {
      expect(r.status).toBe(404);
      expect(r.html).not.toContain('Private words');
    }
    const [rev] = await SectionRevision.find({ section: target }).lean();
    expect((await other.session.get(`/portfolio/sections/${target}/revisions/${rev._id}`)).status).toBe(404);
    const writes = [
      await other.session.post(`/portfolio/sections/${target}`, { baseVersion: '1', format: 'text', body: 'Overwritten' }),
      await other.session.put(`/portfolio/sections/${target}`, { baseVersion: 1, body: '<p>Overwritten</p>' }),
      await other.session.post(`/portfolio/sections/${target}/examples`, { baseVersion: '1', title: 'x', description: 'x', reflection: 'x', format: 'text' }),
      await other.session.post(`/portfolio/sections/${target}/ready`, { baseVersion: '1' }),
      await other.session.post(`/portfolio/sections/${target}/revisions/${rev._id}/restore`, { baseVersion: '1' }),
    ];
    for (const w of writes) expect(w.status).toBe(404);
    expect(await sectionNow(target)).toMatchObject({ version: before.version, body: before.body, state: before.state });
  });

  test('a mentor has no portfolio of their own to open', async () => {
    const s = await launchAs(suite.tool, suite.platform, { roles: ['Instructor#TeachingAssistant'], user: suite.platform.user({ name: 'Mo Mentor' }) });
    const r = await s.get('/portfolio');
    expect(r.status).toBe(403);
    expect(r.html).toContain('Portfolios belong to candidates');
  });

  test('bad input gets a readable 4xx and changes nothing', async () => {
    const course = suite.platform.course({ title: 'Bad input course' });
    const { session: s, id } = await aCandidate(suite, { course, user: suite.platform.user({ name: 'Bea Bad' }) });
    const target = id('contextual');
    const cases = [
      [await s.post(`/portfolio/sections/${target}`, { format: 'text', body: 'No version' }), 422, 'did not say which version'],
      [await s.post(`/portfolio/sections/${target}`, { baseVersion: '0', format: 'text' }), 422, 'The text was missing'],
      [await s.post(`/portfolio/sections/${target}`, { baseVersion: '0', format: 'text', body: 'x'.repeat(500_001) }), 422, 'too long to save'],
      [await s.post(`/portfolio/sections/${id('1b')}/examples`, { baseVersion: '0', title: 't'.repeat(201), description: 'd', reflection: 'r' }), 422, '200 characters or fewer'],
      [await s.post(`/portfolio/sections/not-an-id`, { baseVersion: '0', body: 'x' }), 404, 'could not find that section'],
      [await s.post(`/portfolio/sections/${target}/ready`, { baseVersion: '0' }), 422, 'Only a section with some writing'],
      [await s.post(`/portfolio/sections/${target}`, { baseVersion: '0', format: 'text', body: 'x', _csrf: 'forged' }, { headers: { 'X-CSRF-Token': 'forged' } }), 403, 'nothing was changed'],
    ] as const;
    for (const [r, status, message] of cases) {
      expect({ status: r.status, has: text(r.html).includes(message) }).toEqual({ status, has: true });
    }
    const json = await s.put(`/portfolio/sections/${target}`, { baseVersion: 'x', body: '<p>x</p>' });
    expect(json.status).toBe(422);
    expect(JSON.parse(json.html).error.message).toContain('did not say which version');
    expect(await sectionNow(target)).toMatchObject({ version: 0, body: '', state: 'not_started' });
    expect(await sectionNow(id('1b'))).toMatchObject({ version: 0 });
  });

  test('a save from an old version shows both versions, and keeping mine saves it on top', async () => {
    const course = suite.platform.course({ title: 'Conflict course' });
    const { session: s, id } = await aCandidate(suite, { course, user: suite.platform.user({ name: 'Cal Conflict' }) });
    const target = id('contextual');
    await s.post(`/portfolio/sections/${target}`, { baseVersion: '0', format: 'text', body: 'Written in tab one' });
    const late = await s.post(`/portfolio/sections/${target}`, { baseVersion: '0', format: 'text', body: 'Written in tab two' });
    expect(late.status).toBe(409);
    expect(late.html).toContain('Written in tab one');
    expect(late.html).toContain('Written in tab two');
    expect((await sectionNow(target)).body).toBe('<p>Written in tab one</p>');
    const json = await s.put(`/portfolio/sections/${target}`, { baseVersion: 0, body: '<p>From a script</p>' });
    expect(json.status).toBe(409);
    expect(JSON.parse(json.html)).toMatchObject({ theirs: { version: 1, body: '<p>Written in tab one</p>' }, yours: { baseVersion: 0, body: '<p>From a script</p>' } });
    const mine = await s.post(`/portfolio/sections/${target}`, { baseVersion: '1', format: 'html', body: '<p>Written in tab two</p>' });
    expect(mine.status).toBe(200);
    expect(await sectionNow(target)).toMatchObject({ version: 2, body: '<p>Written in tab two</p>' });
  });

  test('revision history lists, shows and restores an earlier version as a new revision', async () => {
    const course = suite.platform.course({ title: 'History course' });
    const { session: s, id } = await aCandidate(suite, { course, user: suite.platform.user({ name: 'Hal History' }) });
    const target = id('future-plans');
    await s.post(`/portfolio/sections/${target}`, { baseVersion: '0', format: 'text', body: 'Plan A' });
    // As if the coalescing window had passed: the next save starts a new revision.
    await Section.updateOne({ _id: target }, { $set: { 'openRevision.startedAt': new Date(Date.now() - 3600_000) } });
    await s.post(`/portfolio/sections/${target}`, { baseVersion: '1', format: 'text', body: 'Plan B' });
    const list = await s.get(`/portfolio/sections/${target}/revisions`);
    expect(list.status).toBe(200);
    expect(text(list.html)).toMatch(/Current/);
    expect(text(list.html)).not.toMatch(/Version \d/);
    const revs = await SectionRevision.find({ section: target }).sort({ version: 1 }).lean();
    expect(revs.map((r) => r.version)).toEqual([1, 2]);
    const view = await s.get(`/portfolio/sections/${target}/revisions/${revs[0]._id}`);
    expect(view.html).toContain('Plan A');
    const restored = await s.post(`/portfolio/sections/${target}/revisions/${revs[0]._id}/restore`, { baseVersion: '2' });
    expect(restored.status).toBe(200);
    expect(restored.html).toContain('restored as a new revision');
    expect(await sectionNow(target)).toMatchObject({ version: 3, body: '<p>Plan A</p>' });
    expect(await SectionRevision.countDocuments({ section: target })).toBe(3);
  });

  test('adding an example to a section changed elsewhere adds it on top; a stale removal changes nothing', async () => {
    const course = suite.platform.course({ title: 'Stale examples course' });
    const { session: s, id } = await aCandidate(suite, { course, user: suite.platform.user({ name: 'Sam Stale' }) });
    const target = id('2a');
    const add = (title: string, base: string) =>
      s.post(`/portfolio/sections/${target}/examples`, { baseVersion: base, title, description: 'd', reflection: 'r', format: 'text' });
    expect((await add('From tab one', '0')).status).toBe(200);
    expect((await add('From tab two', '0')).status).toBe(200);
    const after = await sectionNow(target);
    expect(after.examples.map((e) => e.title)).toEqual(['From tab one', 'From tab two']);
    const stale = await s.post(`/portfolio/sections/${target}/examples/${after.examples[0]._id}/remove`, { baseVersion: '1' });
    expect(stale.status).toBe(409);
    expect(text(stale.html)).toContain('changed somewhere else since you opened it, so nothing was changed');
    expect((await sectionNow(target)).examples).toHaveLength(2);
    const removed = await s.post(`/portfolio/sections/${target}/examples/${after.examples[0]._id}/remove`, { baseVersion: String(after.version) });
    expect(removed.status).toBe(200);
    expect((await sectionNow(target)).examples.map((e) => e.title)).toEqual(['From tab two']);
  });
});
