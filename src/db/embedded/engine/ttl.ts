import type { JournalOp } from '../types';
import { valuesAtPath } from './bson-values';
import type { Catalog } from './store/catalog';

/**
 * One pass of the TTL monitor: removes documents whose indexed date (the earliest, for an array)
 * is older than the index's expireAfterSeconds. Returns the deletions for the journal.
 */
export function sweepExpired(catalog: Catalog, now = Date.now()): JournalOp[] {
  const ops: JournalOp[] = [];
  for (const db of catalog.databases()) {
    for (const coll of catalog.collections(db)) {
      for (const index of coll.indexes) {
        const ttl = index.spec.expireAfterSeconds;
        if (typeof ttl !== 'number' || index.fields.length !== 1) continue;
        const cutoff = now - ttl * 1000;
        for (const doc of coll.documents()) {
          const dates = valuesAtPath(doc, index.fields[0])
            .flatMap((v) => (Array.isArray(v) ? v : [v]))
            .filter((v): v is Date => v instanceof Date);
          if (dates.length === 0 || Math.min(...dates.map((d) => d.getTime())) > cutoff) continue;
          if (index.spec.partialFilterExpression && index.keysOf(doc).length === 0) continue;
          coll.remove(doc);
          ops.push({ op: 'del', db, coll: coll.name, id: doc._id });
        }
      }
    }
  }
  return ops;
}
