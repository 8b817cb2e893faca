import type { Document, JournalOp } from '../../types';
import { CommandError } from '../errors';
import { Collection } from './collection';
import type { UndoScope } from './undo';

/** Every database and collection of the engine, in memory. */
export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  /** The running command's undo log (set by the engine around each write). */
  readonly undo: UndoScope = {};

  databases(): string[] {
    return [...this.dbs.keys()].filter((db) => (this.dbs.get(db)?.size ?? 0) > 0);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Creates the collection if needed (as MongoDB does on a first write), recording the op. */
  ensure(db: string, name: string, ops?: JournalOp[], options: Document = {}): Collection {
    const existing = this.get(db, name);
    if (existing) return existing;
    validateName(db, name);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    const coll = new Collection(db, name, options, this.undo);
    colls.set(name, coll);
    const created = colls;
    this.undo.current?.record(() => {
      created.delete(name);
      if (created.size === 0 && this.dbs.get(db) === created) this.dbs.delete(db);
    });
    ops?.push({ op: 'createColl', db, coll: name, ...(Object.keys(options).length ? { options } : {}) });
    return coll;
  }

  /** Replaces a collection's options (collMod). */
  setOptions(db: string, name: string, options: Document): void {
    const coll = this.get(db, name);
    if (!coll) return;
    const before = coll.options;
    coll.options = options;
    this.undo.current?.record(() => (coll.options = before));
  }

  drop(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    const coll = colls?.get(name);
    if (!colls || !coll) return false;
    colls.delete(name);
    this.undo.current?.record(() => {
      if (!this.dbs.has(db)) this.dbs.set(db, colls);
      colls.set(name, coll);
    });
    return true;
  }

  dropDatabase(db: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls) return false;
    this.dbs.delete(db);
    this.undo.current?.record(() => this.dbs.set(db, colls));
    return true;
  }
}

function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw new CommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (typeof name !== 'string' || !name || name.includes('$') || name.includes('\0') || name.startsWith('.')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: ${db}.${String(name)}`);
  }
}
