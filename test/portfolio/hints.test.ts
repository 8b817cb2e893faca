import { getFramework } from '../../src/portfolio/framework';
import { breadthHint, HintExample, reflectionShare, sectionHints } from '../../src/portfolio/hints';

const f = getFramework('cmalt', 1);
const area1a = f.areas.find((a) => a.id === '1a')!;
const words = (n: number, w = 'word') => `<p>${Array.from({ length: n }, () => w).join(' ')}</p>`;
const example = (over: Partial<HintExample> = {}): HintExample => ({
  _id: Math.random().toString(16).slice(2),
  title: 'An example',
  description: words(100),
  reflection: words(60),
  tags: { project: '' },
  ...over,
});

describe('writing hints', () => {
  test('a short section is told the guidance length, never blocked', () => {
    const short = () => example({ description: words(50), reflection: words(30) });
    const hints = sectionHints(f, area1a, { body: '', examples: [short(), short()] });
    expect(hints.map((h) => h.id)).toContain('words_short');
  });

  test('one example and more than four examples get gentle notes; two or three get none', () => {
    const ids = (n: number) => sectionHints(f, area1a, { body: '', examples: Array.from({ length: n }, () => example()) }).map((h) => h.id);
    expect(ids(1)).toContain('one_example');
    expect(ids(5)).toContain('many_examples');
    expect(ids(2)).not.toEqual(expect.arrayContaining(['one_example']));
    expect(ids(3)).not.toEqual(expect.arrayContaining(['many_examples']));
  });

  test('an example that is nearly all description gets a reflection hint', () => {
    const thin = example({ title: 'Thin', description: words(200), reflection: words(10) });
    const hints = sectionHints(f, area1a, { body: '', examples: [thin, example()] });
    expect(hints.find((h) => h.id === 'reflection_light')?.exampleId).toBe(thin._id);
    expect(reflectionShare(thin)).toBeCloseTo(10 / 210);
  });

  test('most examples from one project gives a breadth hint', () => {
    const same = (p: string) => example({ tags: { project: p } });
    expect(breadthHint([same('VLE migration'), same('vle migration'), same('VLE Migration'), same('Other')])?.message).toContain(
      '3 of your 4 examples come from "VLE migration"',
    );
    expect(breadthHint([same('A'), same('B'), same('A'), same('B')])).toBeNull();
  });
});
