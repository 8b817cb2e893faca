import type { Document, IndexSpec } from '../../types';
import { isPlainObject, keyString } from '../bson-values';
import { CommandError } from '../errors';
import { Index, duplicateKeyError } from './indexes';
import type { UndoScope } from './undo';

interface Entry {
  doc: Document;
  seq: number; // insertion order: natural order survives updates, as with MongoDB's record ids
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** The values a filter condition pins a field to, when it is a plain equality an index can answer. */
function equalityValues(cond: unknown): unknown[] | undefined {
  const indexable = (v: unknown): boolean =>
    v !== null && v !== undefined && !Array.isArray(v) && !(v instanceof RegExp) && !isPlainObject(v);
  if (isPlainObject(cond)) {
    const keys = Object.keys(cond);
    if (keys.length === 1 && keys[0] === '$eq') return indexable(cond.$eq) ? [cond.$eq] : undefined;
    if (keys.length === 1 && keys[0] === '$in' && Array.isArray(cond.$in)) {
      return cond.$in.every(indexable) && cond.$in.length <= 1000 ? cond.$in : undefined;
    }
    return undefined;
  }
  return indexable(cond) ? [cond] : undefined;
}

/** One collection: documents in natural order, its secondary indexes, and unique-key enforcement. */
export class Collection {
  private readonly entries = new Map<string, Entry>();
  private readonly secondary: Index[] = [];
  private nextSeq = 0;

  constructor(
    readonly db: string,
    readonly name: string,
    public options: Document = {},
    private readonly undo: UndoScope = {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.entries.size;
  }

  get indexes(): readonly Index[] {
    return this.secondary;
  }

  indexSpecs(): IndexSpec[] {
    const clustered = this.options.clusteredIndex as { name?: string } | undefined;
    const id: IndexSpec = clustered ? { v: 2, key: { _id: 1 }, name: clustered.name ?? '_id_', unique: true, clustered: true } : ID_INDEX;
    return [id, ...this.secondary.map((i) => i.spec)];
  }

  /** Stored documents in natural order. Callers must copy before handing them out. */
  documents(): Document[] {
    return Array.from(this.entries.values(), (e) => e.doc);
  }

  getById(id: unknown): Document | undefined {
    return this.entries.get(keyString(id))?.doc;
  }

  /**
   * Documents that may match `filter`, found through an index when the filter pins the fields of
   * one (_id first), otherwise every document. The caller still applies the full filter.
   */
  candidates(filter: Document): Document[] {
    const ids = equalityValues(filter._id);
    if (ids) return this.inNaturalOrder(ids.map(keyString));
    // the index whose leading fields the filter pins the most (a prefix of a compound index will do)
    let best: { index: Index; values: unknown[][] } | undefined;
    for (const index of this.secondary) {
      if (!index.servesEquality) continue;
      const values: unknown[][] = [];
      for (const field of index.fields) {
        const v = equalityValues(filter[field]);
        if (!v) break;
        values.push(v);
      }
      if (values.length && (!best || values.length > best.values.length)) best = { index, values };
    }
    if (best) {
      let combos: unknown[][] = [[]];
      for (const values of best.values) combos = combos.flatMap((c) => values.map((v) => [...c, v]));
      if (combos.length <= 1000) {
        const found = new Set<string>();
        for (const combo of combos) for (const id of best.index.lookup(combo)) found.add(id);
        return this.inNaturalOrder([...found]);
      }
    }
    return this.documents();
  }

  private inNaturalOrder(idKeys: string[]): Document[] {
    const found = [...new Set(idKeys)].map((k) => this.entries.get(k)).filter((e): e is Entry => e !== undefined);
    if (found.length > 1) found.sort((a, b) => a.seq - b.seq);
    return found.map((e) => e.doc);
  }

  private checkUnique(doc: Document, idKey: string, isNew: boolean): void {
    if (isNew && this.entries.has(idKey)) {
      throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: doc._id });
    }
    for (const index of this.secondary) {
      const clash = index.conflict(doc, idKey);
      if (clash) throw duplicateKeyError(this.ns, index.name, index.spec.key as Document, clash.values);
    }
  }

  /**
   * Stores a new document (already copied, with an _id); throws DuplicateKey and changes nothing.
   * `replaying`: a journal replay over a snapshot taken while writes went on may pass through states
   * that clash on a unique key for a moment; the end state is the checked one, so checks are skipped.
   */
  insert(doc: Document, replaying = false): void {
    const idKey = keyString(doc._id);
    if (replaying && this.entries.has(idKey)) this.unlink(idKey);
    if (!replaying) this.checkUnique(doc, idKey, true);
    this.entries.set(idKey, { doc, seq: this.nextSeq++ });
    for (const index of this.secondary) index.add(doc, idKey);
    this.undo.current?.record(() => this.unlink(idKey));
  }

  /** Swaps a stored document for its updated copy (same _id), keeping its place in natural order. */
  replace(oldDoc: Document, newDoc: Document, replaying = false): void {
    const idKey = keyString(oldDoc._id);
    const entry = this.entries.get(idKey);
    if (!entry) throw new CommandError('InternalError', 'document vanished during update');
    for (const index of this.secondary) index.remove(oldDoc, idKey);
    try {
      if (!replaying) this.checkUnique(newDoc, idKey, false);
    } catch (err) {
      for (const index of this.secondary) index.add(oldDoc, idKey);
      throw err;
    }
    for (const index of this.secondary) index.add(newDoc, idKey);
    entry.doc = newDoc;
    this.undo.current?.record(() => {
      for (const index of this.secondary) index.remove(newDoc, idKey);
      for (const index of this.secondary) index.add(oldDoc, idKey);
      entry.doc = oldDoc;
    });
  }

  remove(doc: Document): void {
    const idKey = keyString(doc._id);
    const entry = this.unlink(idKey);
    if (entry) this.undo.current?.record(() => this.restore(idKey, entry));
  }

  private unlink(idKey: string): Entry | undefined {
    const entry = this.entries.get(idKey);
    if (!entry) return undefined;
    this.entries.delete(idKey);
    for (const index of this.secondary) index.remove(entry.doc, idKey);
    return entry;
  }

  /** Puts a removed entry back in its old place in natural order (undo only). */
  private restore(idKey: string, entry: Entry): void {
    this.entries.set(idKey, entry);
    for (const index of this.secondary) index.add(entry.doc, idKey);
    if (this.entries.size > 1) {
      // a Map keeps insertion order: re-sort so natural order is what it was before the removal
      const sorted = [...this.entries].sort((a, b) => a[1].seq - b[1].seq);
      this.entries.clear();
      for (const [k, e] of sorted) this.entries.set(k, e);
    }
  }

  findIndex(name: string): Index | undefined {
    return this.secondary.find((i) => i.name === name);
  }

  /** Builds an index over the current documents; a unique index over duplicates fails and is not kept. */
  addIndex(spec: IndexSpec, replaying = false): void {
    const index = new Index(spec);
    for (const [idKey, { doc }] of this.entries) {
      const clash = replaying ? undefined : index.conflict(doc, idKey);
      if (clash) throw duplicateKeyError(this.ns, index.name, spec.key as Document, clash.values);
      index.add(doc, idKey);
    }
    this.secondary.push(index);
    this.undo.current?.record(() => this.secondary.splice(this.secondary.indexOf(index), 1));
  }

  dropIndex(name: string): boolean {
    const at = this.secondary.findIndex((i) => i.name === name);
    if (at < 0) return false;
    const [index] = this.secondary.splice(at, 1);
    this.undo.current?.record(() => this.secondary.splice(at, 0, index));
    return true;
  }
}
