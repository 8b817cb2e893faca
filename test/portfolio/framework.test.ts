import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { areasFor, FrameworkError, getFramework, loadFrameworks } from '../../src/portfolio/framework';

const dir = path.resolve(__dirname, '../../config/frameworks');
const cmalt = () => JSON.parse(readFileSync(path.join(dir, 'cmalt.json'), 'utf8'));

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

  test('CMALT lists the contextual statement, the core areas, a specialist area, future plans and the declaration', () => {
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
    const v2 = { ...cmalt(), version: 2, title: 'CMALT (revised)' };
    const registry = loadFrameworks(dirWith({ 'cmalt.json': cmalt(), 'cmalt-v2.json': v2 }));
    expect(registry.latest('cmalt')!.version).toBe(2);
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
});
