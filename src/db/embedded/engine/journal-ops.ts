import type { JournalOp } from '../types';
import { cloneDoc } from './bson-values';
import type { Catalog } from './store/catalog';

/**
 * Replays one journal op. Replay trusts the journal: a `put` replaces the document with the same
 * _id (or inserts it), so replaying a prefix twice is harmless.
 */
export function applyOp(catalog: Catalog, op: JournalOp): void {
  switch (op.op) {
    case 'createColl':
      catalog.ensure(op.db, op.coll, undefined, op.options ?? {});
      return;
    case 'collOptions':
      catalog.setOptions(op.db, op.coll, op.options);
      return;
    case 'dropColl':
      catalog.drop(op.db, op.coll);
      return;
    case 'dropDb':
      catalog.dropDatabase(op.db);
      return;
    case 'createIndex': {
      const coll = catalog.ensure(op.db, op.coll);
      if (!coll.findIndex(op.spec.name)) coll.addIndex(op.spec, true);
      return;
    }
    case 'dropIndex':
      catalog.get(op.db, op.coll)?.dropIndex(op.name);
      return;
    case 'put': {
      const coll = catalog.ensure(op.db, op.coll);
      const doc = cloneDoc(op.doc);
      const old = coll.getById(doc._id);
      if (old) coll.replace(old, doc, true);
      else coll.insert(doc, true);
      return;
    }
    case 'del': {
      const coll = catalog.get(op.db, op.coll);
      const old = coll?.getById(op.id);
      if (coll && old) coll.remove(old);
      return;
    }
  }
}

/**
 * The ops that rebuild the current state: each collection, its indexes, then its documents. Read
 * lazily, so a snapshot built in slices sees each document in one of its versions (stored documents
 * are replaced, never changed in place); documents are not copied, and callers must not change them.
 */
export function* snapshotOps(catalog: Catalog): Iterable<JournalOp> {
  for (const db of catalog.databases()) {
    for (const coll of catalog.collections(db)) {
      const options = coll.options;
      yield { op: 'createColl', db, coll: coll.name, ...(Object.keys(options).length ? { options } : {}) };
      for (const index of coll.indexes) yield { op: 'createIndex', db, coll: coll.name, spec: index.spec };
      for (const doc of coll.documents()) yield { op: 'put', db, coll: coll.name, doc };
    }
  }
}
