import type { Document, IndexSpec } from '../../types';
import { parseCollation, type Collation } from '../collation';
import { CommandError } from '../errors';
import { formatDoc, hasPath, keyString, valuesAtPath } from '../bson-values';
import { Query, mingoOptions } from '../mingo-options';

/** One index entry of a document: the canonical key per field, and the field values it was built from. */
export interface IndexKey {
  key: string;
  parts: string[];
  values: Document;
}

/** Index key names default to `field_direction` joined, as MongoDB names them. */
export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${String(d)}`)
    .join('_');
}

/**
 * A secondary index: Maps from canonical key strings to the ids of documents holding them, one Map
 * per key prefix (so `{a, b}` answers equality on `a` alone too). It answers equality lookups and
 * enforces uniqueness on the full key; range scans are left to a collection scan.
 */
export class Index {
  readonly fields: string[];
  private readonly levels: Array<Map<string, Set<string>>>; // levels[i]: keys of the first i+1 fields
  private readonly partial?: InstanceType<typeof Query>;

  private readonly collation?: Collation;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.collation = parseCollation(spec.collation);
    this.levels = this.fields.map(() => new Map());
    if (spec.partialFilterExpression) this.partial = new Query(spec.partialFilterExpression, mingoOptions());
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Plain single or compound ascending/descending keys, holding every document: usable for lookups. */
  get servesEquality(): boolean {
    return !this.spec.sparse && !this.partial && !this.collation && Object.values(this.spec.key).every((d) => d === 1 || d === -1);
  }

  /** The keys of one document, or [] when the document is outside the index (sparse or partial). */
  keysOf(doc: Document): IndexKey[] {
    if (this.spec.sparse && !this.fields.some((f) => hasPath(doc, f))) return [];
    if (this.partial && !this.partial.test(doc)) return [];
    let combos: unknown[][] = [[]];
    for (const field of this.fields) {
      const values = valuesAtPath(doc, field).flatMap((v) => (Array.isArray(v) ? (v.length ? v : [undefined]) : [v]));
      const distinct = values.length ? values : [undefined];
      combos = combos.flatMap((c) => distinct.map((v) => [...c, v]));
    }
    const seen = new Set<string>();
    const keys: IndexKey[] = [];
    for (const combo of combos) {
      // under a collation, strings equal to it share one key (so `PING` and `ping` clash at strength 2)
      const parts = combo.map((v) => (this.collation && typeof v === 'string' ? `c:${this.collation.fold(v)}` : keyString(v)));
      const key = parts.join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      const values: Document = {};
      this.fields.forEach((f, i) => (values[f] = combo[i] === undefined ? null : combo[i]));
      keys.push({ key, parts, values });
    }
    return keys;
  }

  keyFor(values: unknown[]): string {
    return values.map(keyString).join('|');
  }

  /** The first key of `doc` already held by another document, if this index is unique. */
  conflict(doc: Document, idKey: string): IndexKey | undefined {
    if (!this.unique) return undefined;
    for (const k of this.keysOf(doc)) {
      const holders = this.levels[this.levels.length - 1].get(k.key);
      if (holders && [...holders].some((h) => h !== idKey)) return k;
    }
    return undefined;
  }

  add(doc: Document, idKey: string): void {
    for (const { parts } of this.keysOf(doc)) {
      this.levels.forEach((level, i) => {
        const key = parts.slice(0, i + 1).join('|');
        let holders = level.get(key);
        if (!holders) level.set(key, (holders = new Set()));
        holders.add(idKey);
      });
    }
  }

  remove(doc: Document, idKey: string): void {
    for (const { parts } of this.keysOf(doc)) {
      this.levels.forEach((level, i) => {
        const key = parts.slice(0, i + 1).join('|');
        const holders = level.get(key);
        if (!holders) return;
        holders.delete(idKey);
        if (holders.size === 0) level.delete(key);
      });
    }
  }

  /** Ids of documents whose first `values.length` key fields equal `values`. */
  lookup(values: unknown[]): Iterable<string> {
    return this.levels[values.length - 1]?.get(this.keyFor(values)) ?? [];
  }
}

export function duplicateKeyError(ns: string, indexName: string, keyPattern: Document, keyValue: Document): CommandError {
  return new CommandError('DuplicateKey', `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${formatDoc(keyValue)}`, {
    keyPattern,
    keyValue,
  });
}
