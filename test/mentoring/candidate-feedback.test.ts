import { toolSuite } from '../support/suite';
import { aMentoredCandidate, sectionNow, text } from '../support/factories';

const suite = toolSuite();

describe("the candidate's section page shows what their mentor said", () => {
  test('after "needs more work" the feedback, the reviewer and the open threads are on the page the candidate edits', async () => {
    const { mo, cat, id } = await aMentoredCandidate(suite, 'Place');

    const before = text((await cat.session.get(`/portfolio/sections/${id}`)).html);
    expect(before).not.toContain('From your mentor');

    expect((await mo.post(`/mentoring/sections/${id}/comments`, { body: 'Which year do you mean?' })).status).toBe(200);
    const v = (await sectionNow(id)).version;
    expect((await mo.post(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: 'Say when <b>each</b> plan starts.', expectedVersion: String(v) })).status).toBe(200);

    const page = await cat.session.get(`/portfolio/sections/${id}`);
    expect(page.status).toBe(200);
    const shown = text(page.html.slice(page.html.indexOf('id="mentor-feedback"'), page.html.indexOf('Guidance for this area')));
    expect(shown).toContain('From your mentor');
    expect(shown).toContain('Needs more work Mo Place');
    expect(shown).toContain('Say when &lt;b&gt;each&lt;/b&gt; plan starts.'); // shown as typed, not bold
    expect(page.html).not.toContain('<b>each</b>');
    expect(shown).toContain('1 comment thread is open on this section.');
    expect(page.html).toContain(`/mentoring/sections/${id}?ltik=`);

    // a mentor opening the candidate's page reads it without the candidate's panel
    const asMentor = await mo.get(`/portfolio/sections/${id}`);
    expect(text(asMentor.html)).not.toContain('From your mentor');
  });
});
