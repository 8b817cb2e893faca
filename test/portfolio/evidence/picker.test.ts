import ejs from 'ejs';
import mongoose from 'mongoose';
import path from 'node:path';
import { evidencePickers } from '../../../src/portfolio/evidence';
import { addNoteEvidence, attachEvidence } from '../../../src/portfolio/evidence/evidence.service';
import { frameworks } from '../../../src/portfolio/framework';
import { Section } from '../../../src/portfolio/models';
import { loadPortfolio, openOrCreatePortfolio } from '../../../src/portfolio/portfolio.service';
import { addExample, contentOf } from '../../../src/portfolio/section.service';
import { freshDatabaseUri } from '../../support/db';

const owner = { courseId: 'course-pick', userId: 'picker-1' };
const base = { date: '', description: '', tags: [] as string[] };

beforeAll(async () => {
  await mongoose.connect(freshDatabaseUri('picker'));
});
afterAll(async () => {
  await mongoose.disconnect();
});

test('the picker lists what is linked and what could be, and renders forms that post back to the section', async () => {
  const portfolio = await openOrCreatePortfolio(frameworks(), owner, { pathway: 'cmalt', specialistAreas: ['Accessibility'] });
  const section = (await loadPortfolio(frameworks(), portfolio)).sections.find((s) => s.areaId === '2b')!;
  const added = await addExample(
    { portfolioId: portfolio._id, sectionId: String(section._id), byUser: owner.userId },
    { baseVersion: section.version, example: { title: 'Induction for <new> tutors', tags: { role: '', project: '', year: '' }, description: 'd', reflection: 'r' }, format: 'text' },
  );
  if (!added.ok) throw new Error('no example');
  const exampleId = contentOf(added.section).examples[0]._id;
  const linked = await addNoteEvidence(owner, { ...base, title: 'Feedback survey', text: 'x' });
  const other = await addNoteEvidence(owner, { ...base, title: 'Slides & handouts', text: 'y' });
  await attachEvidence(owner, linked, { sectionId: String(section._id), exampleId });
  await addNoteEvidence({ courseId: 'course-pick', userId: 'someone-else' }, { ...base, title: 'Not mine', text: 'z' });

  const fresh = await Section.findById(section._id).lean();
  const returnTo = `/portfolio/sections/${section._id}`;
  const pickers = await evidencePickers(owner, { _id: fresh!._id, examples: contentOf(fresh as never).examples }, returnTo);
  const picker = pickers[exampleId];
  expect(picker.attached.map((e) => e.title)).toEqual(['Feedback survey']);
  expect(picker.available.map((e) => e.title)).toEqual(['Slides & handouts']);

  const html = await ejs.renderFile(path.resolve(__dirname, '../../../views/portfolio/evidence/picker.ejs'), {
    picker,
    who: { ltik: 'LTIK', csrfToken: 'CSRF' },
    url: (p: string) => `${p}${p.includes('?') ? '&' : '?'}ltik=LTIK`,
  });
  expect(html).toContain('Evidence for “Induction for &lt;new&gt; tutors”');
  expect(html).toContain(`<option value="${other._id}">Slides &amp; handouts (Note)</option>`);
  expect(html).toContain('action="/portfolio/evidence/detach?ltik=LTIK"');
  expect(html).toContain(`name="returnTo" value="${returnTo}"`);
  expect(html).toContain(`<label for="evidence-picker-${exampleId}-choice">`);
  expect(html).not.toContain('Not mine');
});
