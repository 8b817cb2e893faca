import type { Document, JournalOp } from '../../types';
import { CommandError } from '../errors';
import { Collection } from './collection';

/** Every database and collection of the engine, in memory. */
export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();

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
    const coll = new Collection(db, name, options);
    colls.set(name, coll);
    ops?.push({ op: 'createColl', db, coll: name, ...(Object.keys(options).length ? { options } : {}) });
    return coll;
  }

  drop(db: string, name: string): boolean {
    return this.dbs.get(db)?.delete(name) ?? false;
  }

  dropDatabase(db: string): boolean {
    return this.dbs.delete(db);
  }
}

function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw new CommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (typeof name !== 'string' || !name || name.includes('$') || name.includes('\0') || name.startsWith('.')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: ${db}.${String(name)}`);
  }
}
