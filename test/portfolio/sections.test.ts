import { Types } from 'mongoose';
import { Section, SectionRevision } from '../../src/portfolio/models';
import { frameworks } from '../../src/portfolio/framework';
import { openOrCreatePortfolio } from '../../src/portfolio/portfolio.service';
import {
  addExample,
  removeExample,
  requestReview,
  saveBody,
  updateExample,
  withdrawReview,
} from '../../src/portfolio/section.service';
import { applyTransition, onSectionStateChanged, SectionStateChange } from '../../src/portfolio/section-states';
import { aPortfolio, anExample, connectFreshDatabase, disconnect } from '../support/factories';
import { until } from '../support/until';

beforeAll(() => connectFreshDatabase('sections'));
afterAll(disconnect);

describe('opening a portfolio', () => {
  test('first launch creates the portfolio with one empty section per area of the pathway', async () => {
    const p = await aPortfolio({ pathway: 'senior' });
    expect(p.sections.map((s) => s.areaId)).toEqual(p.areas.map((a) => a.id));
    expect(p.sections.every((s) => s.state === 'not_started' && s.version === 0)).toBe(true);
    expect(p.portfolio.frameworkVersion).toBe(frameworks().latest('cmalt')!.version);
  });

  test('two first launches at once end with one portfolio', async () => {
    const candidate = { userId: 'twice', courseId: 'course-1' };
    const choice = { pathway: 'cmalt', specialistAreas: ['Accessibility'] };
    const [a, b] = await Promise.all([
      openOrCreatePortfolio(frameworks(), candidate, choice),
      openOrCreatePortfolio(frameworks(), candidate, choice),
    ]);
    expect(String(a._id)).toBe(String(b._id));
  });

  test('a pathway choice without a specialist area is refused with a readable message', async () => {
    await expect(
      openOrCreatePortfolio(frameworks(), { userId: 'nospec', courseId: 'c' }, { pathway: 'cmalt', specialistAreas: [''] }),
    ).rejects.toMatchObject({ status: 422, message: 'Please name your specialist area.' });
  });
});

describe('saving with the version it was based on', () => {
  test('the first save with content moves the section to draft and records a revision', async () => {
    const p = await aPortfolio();
    const r = await saveBody(p.target('contextual'), { baseVersion: 0, body: '<p>I work at a college.</p>' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.section).toMatchObject({ version: 1, state: 'draft', body: '<p>I work at a college.</p>' });
    expect(await SectionRevision.countDocuments({ section: r.section._id })).toBe(1);
  });

  test('two saves from the same base version: one wins, the other gets both versions and nothing is overwritten', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    const [a, b] = await Promise.all([
      saveBody(t, { baseVersion: 0, body: '<p>From tab A</p>' }),
      saveBody(t, { baseVersion: 0, body: '<p>From tab B</p>' }),
    ]);
    const winner = [a, b].find((r) => r.ok)!;
    const loser = [a, b].find((r) => !r.ok)!;
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    if (loser.ok || !winner.ok) throw new Error('expected one conflict');
    expect(loser.conflict.theirs.body).toBe(winner.section.body);
    expect(loser.conflict.theirs.version).toBe(1);
    expect(loser.conflict.yours.baseVersion).toBe(0);
    expect([loser.conflict.yours.body, winner.section.body].sort()).toEqual(['<p>From tab A</p>', '<p>From tab B</p>']);
    const stored = await Section.findById(t.sectionId).lean();
    expect(stored!.body).toBe(winner.section.body);
    expect(stored!.version).toBe(1);
  });

  test('50 concurrent saves from one base: exactly one lands, 49 conflicts each carry their own text', async () => {
    const p = await aPortfolio();
    const t = p.target('future-plans');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => saveBody(t, { baseVersion: 0, body: `<p>Writer ${i}</p>` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const yours = results.flatMap((r) => (r.ok ? [r.section.body] : [r.conflict.yours.body]));
    expect(new Set(yours).size).toBe(50);
    expect((await Section.findById(t.sectionId).lean())!.version).toBe(1);
  });

  test('50 concurrent writers who merge and retry on conflict never lose a contribution', async () => {
    const p = await aPortfolio();
    const t = p.target('contextual');
    async function writer(i: number) {
      let base = 0;
      let body = '';
      for (;;) {
        const r = await saveBody(t, { baseVersion: base, body: `${body}<p>w${i}</p>` });
        if (r.ok) return;
        base = r.conflict.theirs.version;
        body = r.conflict.theirs.body; // the candidate merges: theirs plus mine
      }
    }
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer(i)));
    const stored = (await Section.findById(t.sectionId).lean())!;
    expect(stored.version).toBe(50);
    for (let i = 0; i < 50; i++) expect(stored.body).toContain(`<p>w${i}</p>`);
  });

  test('a section of another portfolio cannot be written through this portfolio', async () => {
    const mine = await aPortfolio();
    const theirs = await aPortfolio();
    const target = { ...mine.target('contextual'), sectionId: String(theirs.sectionFor('contextual')._id) };
    await expect(saveBody(target, { baseVersion: 0, body: '<p>x</p>' })).rejects.toMatchObject({ status: 404 });
    expect((await Section.findById(theirs.sectionFor('contextual')._id).lean())!.version).toBe(0);
  });

  test('rich text is sanitised on the way in', async () => {
    const p = await aPortfolio();
    const r = await saveBody(p.target('contextual'), { baseVersion: 0, body: '<p>ok<script>x()</script><img onerror=x src=y></p>' });
    expect(r.ok && r.section.body).toBe('<p>ok</p>');
  });

  test('plain text from the textarea becomes paragraphs', async () => {
    const p = await aPortfolio();
    const r = await saveBody(p.target('contextual'), { baseVersion: 0, body: 'One\n\nTwo <b>', format: 'text' });
    expect(r.ok && r.section.body).toBe('<p>One</p><p>Two &lt;b&gt;</p>');
  });
});

describe('examples', () => {
  test('add, edit and remove examples, each save bumping the version', async () => {
    const p = await aPortfolio();
    const t = p.target('1a');
    const added = await addExample(t, { baseVersion: 0, example: anExample() });
    if (!added.ok) throw new Error('add failed');
    expect(added.section.state).toBe('draft');
    const id = String(added.section.examples[0]._id);
    const edited = await updateExample(t, { baseVersion: 1, exampleId: id, example: anExample({ title: 'Renamed' }) });
    if (!edited.ok) throw new Error('edit failed');
    expect(edited.section.examples[0].title).toBe('Renamed');
    expect(String(edited.section.examples[0]._id)).toBe(id);
    const removed = await removeExample(t, { baseVersion: 2, exampleId: id });
    expect(removed.ok && removed.section.examples).toHaveLength(0);
    expect(removed.ok && removed.section.version).toBe(3);
  });

  test('editing an example from a stale version is a conflict that keeps both', async () => {
    const p = await aPortfolio();
    const t = p.target('1b');
    const added = await addExample(t, { baseVersion: 0, example: anExample() });
    if (!added.ok) throw new Error('add failed');
    const id = String(added.section.examples[0]._id);
    await updateExample(t, { baseVersion: 1, exampleId: id, example: anExample({ title: 'Tab A' }) });
    const late = await updateExample(t, { baseVersion: 1, exampleId: id, example: anExample({ title: 'Tab B' }) });
    if (late.ok) throw new Error('expected conflict');
    expect(late.conflict.theirs.examples[0].title).toBe('Tab A');
    expect(late.conflict.yours.examples[0].title).toBe('Tab B');
    expect((await Section.findById(t.sectionId).lean())!.examples[0].title).toBe('Tab A');
  });
});

describe('states', () => {
  test('the candidate marks a draft ready for review and withdraws it', async () => {
    const p = await aPortfolio();
    const t = p.target('2a');
    await addExample(t, { baseVersion: 0, example: anExample() });
    const ready = await requestReview(t, 1);
    expect(ready.ok && ready.section.state).toBe('ready_for_review');
    const back = await withdrawReview(t, 2);
    expect(back.ok && back.section.state).toBe('draft');
  });

  test('an empty section cannot be marked ready, and a stale version is refused', async () => {
    const p = await aPortfolio();
    expect(await requestReview(p.target('2b'), 0)).toEqual({ ok: false, reason: 'not_allowed' });
    await addExample(p.target('2b'), { baseVersion: 0, example: anExample() });
    expect(await requestReview(p.target('2b'), 0)).toEqual({ ok: false, reason: 'stale' });
  });

  test('only a mentor decides; two decisions on one version cannot both win', async () => {
    const p = await aPortfolio();
    const t = p.target('3a');
    await addExample(t, { baseVersion: 0, example: anExample() });
    await requestReview(t, 1);
    const sectionId = new Types.ObjectId(t.sectionId);
    expect((await applyTransition({ sectionId, to: 'meets_criterion', by: 'candidate', expectedVersion: 2, byUser: 'x' })).ok).toBe(false);
    const [a, b] = await Promise.all([
      applyTransition({ sectionId, to: 'meets_criterion', by: 'mentor', expectedVersion: 2, byUser: 'm1' }),
      applyTransition({ sectionId, to: 'needs_more_work', by: 'mentor', expectedVersion: 2, byUser: 'm2' }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
  });

  test('listeners hear every state change, and a failing listener does not fail the change', async () => {
    const heard: Array<Pick<SectionStateChange, 'from' | 'to' | 'by'>> = [];
    const stop = onSectionStateChanged((c) => void heard.push({ from: c.from, to: c.to, by: c.by }));
    const stopBroken = onSectionStateChanged(() => {
      throw new Error('listener broke');
    });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const p = await aPortfolio();
      const t = p.target('4');
      await addExample(t, { baseVersion: 0, example: anExample() });
      const ready = await requestReview(t, 1);
      expect(ready.ok).toBe(true);
      await until('both changes are heard', () => heard.length >= 2);
      expect(heard).toEqual([
        { from: 'not_started', to: 'draft', by: 'system' },
        { from: 'draft', to: 'ready_for_review', by: 'candidate' },
      ]);
      expect(errors).toHaveBeenCalled();
    } finally {
      stop();
      stopBroken();
      errors.mockRestore();
    }
  });
});
