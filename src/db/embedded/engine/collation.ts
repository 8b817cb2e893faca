/**
 * Collation through ICU (Node's Intl.Collator): string equality in filters, sort order and unique
 * index keys follow the locale and strength. A locale ICU does not know is refused, as MongoDB does.
 * Supported: locale, strength 1-3 (base, accent, case and accent), caseLevel, numericOrdering.
 * Other options (alternate, maxVariable, backwards, caseFirst) are refused rather than ignored.
 */
import type { Document } from '../types';
import { isPlainObject } from './bson-values';
import { CommandError } from './errors';

export interface Collation {
  spec: Document;
  collator: Intl.Collator;
  /** A string every equal-under-this-collation string maps to (for index keys). */
  fold(s: string): string;
}

const KNOWN = new Set(['locale', 'strength', 'caseLevel', 'numericOrdering', 'normalization', 'caseFirst', 'alternate', 'maxVariable', 'backwards', 'version']);
const cache = new Map<string, Collation>();

export function parseCollation(raw: unknown): Collation | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new CommandError('TypeMismatch', "BSON field 'collation' is the wrong type, expected type 'object'");
  const key = JSON.stringify(raw);
  const cached = cache.get(key);
  if (cached) return cached;
  for (const option of Object.keys(raw)) {
    if (!KNOWN.has(option)) throw new CommandError('FailedToParse', `BSON field 'collation.${option}' is an unknown field.`);
  }
  const locale = raw.locale;
  if (typeof locale !== 'string') throw new CommandError('FailedToParse', "BSON field 'collation.locale' is missing but a required field");
  if (locale === 'simple') return undefined;
  const supported = (() => {
    try {
      return Intl.Collator.supportedLocalesOf(locale.replace(/@.*$/, '').replace(/_/g, '-'));
    } catch {
      return [];
    }
  })();
  if (supported.length === 0) throw new CommandError('BadValue', `Field 'locale' is invalid in: { locale: "${locale}" }`);
  for (const option of ['alternate', 'maxVariable', 'backwards', 'caseFirst'] as const) {
    const v = raw[option];
    const isDefault = v === undefined || (option === 'alternate' && v === 'non-ignorable') || (option === 'backwards' && v === false) || (option === 'caseFirst' && v === 'off') || (option === 'maxVariable' && v === 'punct');
    if (!isDefault) throw new CommandError('BadValue', `collation option '${option}' is not supported by the embedded database`);
  }
  const strength = raw.strength === undefined ? 3 : Number(raw.strength);
  if (![1, 2, 3, 4, 5].includes(strength)) throw new CommandError('BadValue', `Field 'strength' must be an integer 1 through 5. Got: ${String(raw.strength)}`);
  const sensitivity = strength === 1 ? (raw.caseLevel ? 'case' : 'base') : strength === 2 ? 'accent' : 'variant';
  const collator = new Intl.Collator(supported[0], { sensitivity, numeric: raw.numericOrdering === true, usage: 'sort' });
  const lower = (s: string) => s.toLocaleLowerCase(supported[0]);
  const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
  const fold =
    sensitivity === 'base' ? (s: string) => lower(stripAccents(s)) : sensitivity === 'accent' ? (s: string) => lower(s).normalize('NFC') : sensitivity === 'case' ? stripAccents : (s: string) => s;
  const collation: Collation = { spec: { ...raw, locale: supported[0] }, collator, fold }; // ICU's spelling (en-US), as mingo's sort needs it
  cache.set(key, collation);
  return collation;
}

const EQUALITY_OPS = new Set(['$eq', '$ne', '$in', '$nin']);

/**
 * Rewrites a filter so its string equalities ($eq, $ne, $in, $nin and plain values) compare under the
 * collation, through the engine's $collated query operator. Range operators on strings under a
 * non-simple collation are refused, not compared binary.
 */
export function collateFilter(filter: Document, collation: Collation | undefined): Document {
  if (!collation) return filter;
  const out: Document = {};
  for (const [key, cond] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(cond)) {
      out[key] = cond.map((c) => (isPlainObject(c) ? collateFilter(c, collation) : c));
    } else if (key.startsWith('$')) out[key] = cond;
    else if (typeof cond === 'string') out[key] = { $collated: { op: '$eq', value: cond, collation: collation.spec } };
    else if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      const clauses: Document[] = [];
      for (const [op, value] of Object.entries(cond)) {
        const stringy = typeof value === 'string' || (Array.isArray(value) && value.some((v) => typeof v === 'string'));
        if (EQUALITY_OPS.has(op) && stringy) clauses.push({ [key]: { $collated: { op, value, collation: collation.spec } } });
        else if (['$gt', '$gte', '$lt', '$lte'].includes(op) && typeof value === 'string' && collation.spec.strength !== undefined) {
          throw new CommandError('BadValue', `string range comparisons (${op}) under a collation are not supported by the embedded database`);
        } else clauses.push({ [key]: { [op]: value } });
      }
      if (clauses.length === 1) Object.assign(out, clauses[0]);
      else out.$and = [...((out.$and as Document[]) ?? []), ...clauses];
    } else out[key] = cond;
  }
  return out;
}

/** Whether two values are equal under the collation (strings by the collator, others exactly via `same`). */
export function collatedEqual(a: unknown, b: unknown, collation: Collation, same: (x: unknown, y: unknown) => boolean): boolean {
  if (typeof a === 'string' && typeof b === 'string') return collation.collator.compare(a, b) === 0;
  return same(a, b);
}
