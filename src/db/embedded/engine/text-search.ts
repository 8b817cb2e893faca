/**
 * MongoDB's `$text` for the embedded engine (mingo has none): a top-level `{ $text: { $search } }` matches a
 * document when its text-indexed fields hold any of the search's words, every quoted phrase, and none of
 * the `-negated` words; case- and diacritic-insensitive, with a light English stemming (MongoDB stems with
 * Snowball, so "captions" finds "caption" in both). As in MongoDB the collection needs a text index; the
 * engine scans its documents (no inverted index: the engine is for trials, not production).
 */
import type { Document, IndexSpec } from '../types';
import { isPlainObject, valuesAtPath } from './bson-values';
import { CommandError } from './errors';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const WORD = /[\p{L}\p{N}]+/gu;

/** Plurals, -ing, -ed, -ly: enough that the common forms of a word meet. */
function stem(word: string): string {
  for (const [suffix, keep] of [['ies', 'y'], ['ing', ''], ['ed', ''], ['es', ''], ['ly', ''], ['s', '']] as const) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix) && !(suffix === 's' && word.endsWith('ss'))) return word.slice(0, -suffix.length) + keep;
  }
  return word;
}
const wordsOf = (s: string): string[] => (fold(s).match(WORD) ?? []).map(stem);

/** The fields a collection's text index covers; `$**` covers every string. */
function textFields(specs: IndexSpec[]): string[] | '*' {
  const spec = specs.find((s) => Object.values(s.key).includes('text'));
  if (!spec) throw new CommandError('IndexNotFound', 'text index required for $text query');
  const fields = Object.entries(spec.key).filter(([, d]) => d === 'text').map(([f]) => f);
  return fields.includes('$**') ? '*' : fields;
}

function stringsIn(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) stringsIn(v, out);
}

/** Splits `$text` off a filter: the rest goes to mingo; `test` (when there was one) checks the words. */
export function splitText(filter: Document | undefined, indexSpecs: () => IndexSpec[]): { rest: Document | undefined; test?: (doc: Document) => boolean } {
  if (!filter || !('$text' in filter)) return { rest: filter };
  const { $text: spec, ...rest } = filter;
  if (!isPlainObject(spec) || typeof spec.$search !== 'string') throw new CommandError('BadValue', '$text needs a $search string');
  const search = spec.$search;
  const phrases = [...search.matchAll(/"([^"]*)"/g)].map((m) => fold(m[1]).trim()).filter(Boolean);
  const unquoted = search.replace(/"[^"]*"/g, ' ');
  const negated = new Set(unquoted.split(/\s+/).filter((t) => t.startsWith('-')).flatMap((t) => wordsOf(t.slice(1))));
  const wanted = new Set(unquoted.split(/\s+/).filter((t) => !t.startsWith('-')).flatMap(wordsOf));
  for (const p of phrases) for (const w of wordsOf(p)) wanted.add(w);
  const fields = textFields(indexSpecs());
  const test = (doc: Document): boolean => {
    const strings: string[] = [];
    if (fields === '*') stringsIn(doc, strings);
    else for (const f of fields) stringsIn(valuesAtPath(doc, f), strings);
    const text = fold(strings.join('\n'));
    const words = new Set((text.match(WORD) ?? []).map(stem));
    if ([...negated].some((w) => words.has(w))) return false;
    if (!phrases.every((p) => text.includes(p))) return false;
    return [...wanted].some((w) => words.has(w));
  };
  return { rest, test };
}
