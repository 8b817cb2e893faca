import { Section, SectionDoc } from '../../src/portfolio/models';
import { frameworks } from '../../src/portfolio/framework';
import { loadOverview, loadPortfolio } from '../../src/portfolio/portfolio.service';
import { overviewPresenter } from '../../src/portfolio/presenter';
import { addExample, removeExample, requestReview, saveBody, updateExample, withdrawReview } from '../../src/portfolio/section.service';
import { computedFigures, storedFigures } from '../../src/portfolio/section-summary';
import { aPortfolio, anExample, connectFreshDatabase, disconnect } from '../support/factories';

beforeAll(() => connectFreshDatabase('section-summary'));
afterAll(disconnect);

/** The overview built from stored figures must equal the one counted from every section's content. */
async function expectOverviewMatchesContent(p: Awaited<ReturnType<typeof aPortfolio>>) {
  const fromContent = overviewPresenter(await loadPortfolio(frameworks(), p.portfolio));
  const fromFigures = overviewPresenter(await loadOverview(frameworks(), p.portfolio));
  expect(fromFigures).toEqual(fromContent);
}

const section = async (id: string) => (await Section.findById(id).lean()) as SectionDoc;

describe("the overview's stored figures (words, examples)", () => {
  test('are kept by every save path and state change, and always equal the counts from the content', async () => {
    const p = await aPortfolio();
    const plain = p.target('contextual');
    const withExamples = p.target('1a');
    expect(storedFigures(await section(plain.sectionId))).toEqual({ words: 0, examples: 0 }); // new, empty sections

    let v = (await saveBody(plain, { baseVersion: 0, body: '<p>I work at a large college.</p>' })) as { ok: true; section: SectionDoc };
    expect(storedFigures(v.section)).toEqual({ words: 6, examples: 0 });
    v = (await saveBody(plain, { baseVersion: 1, body: '<p>I work at a college, in Leeds.</p>' })) as typeof v;
    expect(storedFigures(await section(plain.sectionId))).toEqual(computedFigures(await section(plain.sectionId)));

    const added = (await addExample(withExamples, { baseVersion: 0, example: anExample() })) as typeof v;
    const exampleId = String(added.section.examples[0]._id);
    await addExample(withExamples, { baseVersion: 1, example: anExample({ reflection: '<p>Short.</p>' }) });
    await updateExample(withExamples, { baseVersion: 2, exampleId, example: anExample({ description: '<p>One two three.</p>' }) });
    await saveBody(withExamples, { baseVersion: 3, body: '<p>An introduction to the examples.</p>' });
    expect(storedFigures(await section(withExamples.sectionId))).toEqual(computedFigures(await section(withExamples.sectionId)));
    expect(storedFigures(await section(withExamples.sectionId))!.examples).toBe(2);

    await requestReview(withExamples, 4);
    await withdrawReview(withExamples, 5);
    await removeExample(withExamples, { baseVersion: 6, exampleId });
    const after = await section(withExamples.sectionId);
    expect(after.version).toBe(7);
    expect(storedFigures(after)).toEqual(computedFigures(after));
    await expectOverviewMatchesContent(p);
  });

  test('a write elsewhere that changes the version without the figures makes the overview count from content', async () => {
    const p = await aPortfolio();
    const t = p.target('1b');
    await addExample(t, { baseVersion: 0, example: anExample() });
    await Section.updateOne({ _id: t.sectionId }, { $set: { examples: [] }, $inc: { version: 1 } });
    expect(storedFigures(await section(t.sectionId))).toBeNull();
    await expectOverviewMatchesContent(p);
    expect(overviewPresenter(await loadOverview(frameworks(), p.portfolio)).rows.find((r) => r.areaId === '1b')!.examples).toBe(0);
  });

  test('sections saved before the figures existed are counted from content, and a body save fills them in', async () => {
    const p = await aPortfolio();
    const t = p.target('1c');
    await addExample(t, { baseVersion: 0, example: anExample() });
    await Section.updateMany({ portfolio: p.portfolio._id }, { $unset: { summary: 1 } });
    expect(storedFigures(await section(t.sectionId))).toBeNull();
    await expectOverviewMatchesContent(p);

    await saveBody(t, { baseVersion: 1, body: '<p>Now with an introduction.</p>' });
    const saved = await section(t.sectionId);
    expect(storedFigures(saved)).toEqual(computedFigures(saved));
    expect(storedFigures(saved)!.examples).toBe(1);
    await expectOverviewMatchesContent(p);
  });
});
