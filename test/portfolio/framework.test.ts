import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { areasFor, areasOf, FrameworkError, getFramework, loadFrameworks, openSlots, wordAdviceFor } from '../../src/portfolio/framework';
import { checkChoice } from '../../src/portfolio/portfolio.service';
import { computeProgress } from '../../src/portfolio/progress';

const dir = path.resolve(__dirname, '../../config/frameworks');
const cmalt = () => JSON.parse(readFileSync(path.join(dir, 'cmalt-v1.json'), 'utf8'));
const corrected = () => JSON.parse(readFileSync(path.join(dir, 'cmalt.json'), 'utf8'));

function dirWith(files: Record<string, unknown>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'fw-'));
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(path.join(d, name), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return d;
}

describe('framework files', () => {
  test('every file in config/frameworks is valid', () => {
    const registry = loadFrameworks(dir);
    expect(registry.all().length).toBe(readdirSync(dir).filter((f) => f.endsWith('.json')).length);
  });

  test('version 1 (as portfolios begun on it still read it): CMALT lists the contextual statement, the core areas, a specialist area, future plans and the declaration', () => {
    const f = getFramework('cmalt', 1);
    expect(areasFor(f, 'cmalt', ['Accessibility']).map((a) => a.id)).toEqual([
      'contextual', '1a', '1b', '1c', '2a', '2b', '3a', '3b', '4', 'specialist-1', 'future-plans', 'declaration',
    ]);
    const contextual = f.areas.find((a) => a.id === 'contextual')!;
    expect(contextual.assessed).toBe(false);
    expect(contextual.kind).toBe('plain');
  });

  test('Senior CMALT adds a second specialist area and the advanced areas', () => {
    const ids = areasFor(getFramework('cmalt', 1), 'senior', ['A', 'B']).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['specialist-1', 'specialist-2', 'adv-leadership', 'adv-influence']));
  });

  test('a specialist area takes the name the candidate gave it', () => {
    const areas = areasFor(getFramework('cmalt', 1), 'cmalt', ['Digital accessibility']);
    expect(areas.find((a) => a.id === 'specialist-1')!.displayTitle).toBe('5 Specialist area: Digital accessibility');
  });

  test('a second version is just another file, and both stay available', () => {
    const v3 = { ...corrected(), version: 3, title: 'CMALT (revised)', migrations: [] };
    const registry = loadFrameworks(dirWith({ 'cmalt.json': cmalt(), 'cmalt-v3.json': v3 }));
    expect(registry.latest('cmalt')!.version).toBe(3);
    expect(registry.get('cmalt', 1)!.title).toBe(cmalt().title);
  });

  test('a broken file gives a readable error naming the file and the field', () => {
    const broken = cmalt();
    broken.areas[1].prompts = [];
    broken.pathways[0].areas.push('nonexistent');
    const d = dirWith({ 'broken.json': broken, 'bad.json': '{ not json' });
    expect(() => loadFrameworks(d)).toThrow(FrameworkError);
    try {
      loadFrameworks(d);
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('bad.json: is not valid JSON');
      expect(message).toContain('broken.json: areas.1.prompts needs at least one prompt');
      expect(message).toContain('broken.json: pathways.0.areas.12 names unknown area "nonexistent"');
    }
  });

  test('a migration that gives an earlier area nowhere to go, or drops a pathway, stops start-up with a readable list', () => {
    const v2 = corrected();
    v2.migrations[0].areas = v2.migrations[0].areas.filter((a: { from: string }) => a.from !== 'adv-influence');
    v2.pathways = v2.pathways.filter((p: { id: string }) => p.id !== 'associate');
    const lossy = { ...v2, pathways: v2.pathways.filter((p: { id: string }) => p.id !== 'senior') };
    expect(() => loadFrameworks(dirWith({ 'v1.json': cmalt(), 'v2.json': lossy }))).toThrow(
      /has no pathway "senior"[\s\S]*gives area "adv-influence" nowhere to go/,
    );
  });
});

describe('CMALT as corrected (version 2)', () => {
  const f = getFramework('cmalt', 2);
  const assessed = (pathway: string, names: Array<{ areaId: string; name: string }>) =>
    areasOf(f, { pathway, areaNames: names }).filter((a) => a.assessed).map((a) => a.id);

  test('ALT’s titles; contextual statement, future plans and the declaration are not assessed', () => {
    const areas = areasOf(f, { pathway: 'cmalt', areaNames: [{ areaId: 'specialist-1', name: 'Accessibility' }] });
    expect(areas.map((a) => a.id)).toEqual(['contextual', '1a', '1b', '1c', '2a', '2b', '3a', '3b', '4', 'specialist-1', 'future-plans', 'declaration']);
    expect(areas.find((a) => a.id === '1a')!.title).toBe('An understanding of the constraints and benefits of different technologies');
    expect(areas.find((a) => a.id === '2a')!.group).toBe('Core area 2: Teaching, learning and/or assessment processes');
    expect(areas.filter((a) => !a.assessed).map((a) => a.id)).toEqual(['contextual', 'future-plans', 'declaration']);
    expect(f.values.map((v) => v.title)).toHaveLength(4);
    expect(f.sources.length).toBeGreaterThan(0);
    expect(f.ownWording).toMatch(/our own wording/);
  });

  test('a portfolio whose only unmet section is Future plans scores full marks', () => {
    const areas = areasOf(f, { pathway: 'cmalt', areaNames: [{ areaId: 'specialist-1', name: 'Accessibility' }] });
    const sections = areas.filter((a) => a.id !== 'future-plans').map((a) => ({ areaId: a.id, state: 'meets_criterion' as const }));
    const progress = computeProgress(areas, sections);
    expect(progress).toMatchObject({ required: 9, meeting: 9, percentage: 100 });
  });

  test('one or more specialist areas: the candidate may add a second and a third, and no more', () => {
    const one = [{ areaId: 'specialist-1', name: 'Accessibility' }];
    expect(openSlots(f, { pathway: 'cmalt', areaNames: one }).map((s) => s.areaId)).toEqual(['specialist-2']);
    const three = [...one, { areaId: 'specialist-2', name: 'Assessment' }, { areaId: 'specialist-3', name: 'Video' }];
    expect(assessed('cmalt', three)).toEqual(['1a', '1b', '1c', '2a', '2b', '3a', '3b', '4', 'specialist-1', 'specialist-2', 'specialist-3']);
    expect(openSlots(f, { pathway: 'cmalt', areaNames: three })).toEqual([]);
    expect(() => checkChoice(f, { pathway: 'cmalt', names: { specialist: [] } })).toThrow('Please name your specialist area.');
  });

  test('Senior: two specialist areas and at most one advanced area on a topic the candidate chooses', () => {
    const choice = checkChoice(f, { pathway: 'senior', names: { specialist: ['Accessibility', 'Assessment'], advanced: ['Promoting equality in learning technology'] } });
    expect(choice.areaNames.map((n) => n.areaId)).toEqual(['specialist-1', 'specialist-2', 'advanced-1']);
    const areas = areasOf(f, { pathway: 'senior', areaNames: choice.areaNames });
    expect(areas.find((a) => a.id === 'advanced-1')!.displayTitle).toBe('6 Advanced area: Promoting equality in learning technology');
    expect(areas.map((a) => a.id)).not.toContain('adv-leadership');
    // Core area 4 asks for two or more examples; 3b is about policy; the core areas ask for leadership and impact.
    expect(areas.find((a) => a.id === '4')!.examples).toEqual({ min: 2 });
    expect(areas.find((a) => a.id === '3b')!.title).toBe('Understanding and engaging with policy');
    expect(areas.find((a) => a.id === '1c')!.asks).toMatch(/led/);
    expect(() => checkChoice(f, { pathway: 'senior', names: { specialist: ['Accessibility'] } })).toThrow('Please name your 2 specialist areas.');
    expect(() => checkChoice(f, { pathway: 'senior', names: { specialist: ['A', 'B'], advanced: ['X', 'Y'] } })).toThrow(/at most 1 advanced area/);
    // Without an advanced area the pathway is complete too.
    expect(assessed('senior', choice.areaNames.slice(0, 2))).not.toContain('advanced-1');
  });

  test('3b on the CMALT pathway may be a second area of legislation', () => {
    const b = areasOf(f, { pathway: 'cmalt', areaNames: [] }).find((a) => a.id === '3b')!;
    expect(b.title).toMatch(/second area of legislation, or with policy/);
    expect(b.asks).toMatch(/second area of law, or a policy/);
  });

  test('Associate CMALT: the core areas without a specialist area', () => {
    expect(checkChoice(f, { pathway: 'associate' }).areaNames).toEqual([]);
    expect(assessed('associate', [])).toEqual(['1a', '1b', '1c', '2a', '2b', '3a', '3b', '4']);
    expect(openSlots(f, { pathway: 'associate' })).toEqual([]);
  });

  test('no example cap; the declaration has an optional nominated assessor; Associate holders are asked how they built on it', () => {
    expect(f.areas.every((a) => a.examples.max === undefined)).toBe(true);
    expect(f.areas.find((a) => a.id === 'declaration')!.fields.map((x) => x.id)).toEqual(['nominated-assessor']);
    expect(f.areas.find((a) => a.id === 'contextual')!.prompts.join(' ')).toMatch(/Associate CMALT/);
  });

  test('length advice is the scheme’s, unless the course coordinator set one', () => {
    const area1a = f.areas.find((a) => a.id === '1a')!;
    const scheme = wordAdviceFor(f, 'cmalt', area1a);
    expect([scheme.from, scheme.min, scheme.max]).toEqual(['scheme', undefined, undefined]);
    expect(wordAdviceFor(f, 'cmalt', f.areas.find((a) => a.id === 'future-plans')!)).toMatchObject({ min: 200, max: 500, from: 'scheme' });
    expect(wordAdviceFor(f, 'cmalt', area1a, { min: 300, max: 700, note: 'Our course' })).toEqual({ min: 300, max: 700, note: 'Our course', from: 'course' });
  });
});
