/**
 * MongoDB 8.0's client-level bulkWrite (admin command): inserts, updates and deletes across
 * namespaces in one command, each run through the same code as insert/update/delete.
 */
import type { Document } from '../../types';
import { cloneValue, isPlainObject } from '../bson-values';
import { CommandError } from '../errors';
import type { CommandContext } from './context';
import { insert, remove, update } from './write';

function namespaceOf(nsInfo: Document[], index: unknown): { db: string; coll: string } {
  const entry = nsInfo[Number(index)];
  if (!entry || typeof entry.ns !== 'string') throw new CommandError('BadValue', `BulkWrite ops entry refers to a namespace index ${String(index)} that does not exist`);
  const dot = entry.ns.indexOf('.');
  return { db: entry.ns.slice(0, dot), coll: entry.ns.slice(dot + 1) };
}

const KNOWN = new Set(['bulkWrite', 'ops', 'nsInfo', 'ordered', 'errorsOnly', 'bypassDocumentValidation', 'let', 'comment', 'lsid', '$db', 'writeConcern', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'maxTimeMS', '$clusterTime', 'cursor']);

export function bulkWrite(ctx: CommandContext, cmd: Document): Document {
  if (ctx.db !== 'admin') throw new CommandError('Unauthorized', 'bulkWrite may only be run against the admin database.');
  const unknown = Object.keys(cmd).find((k) => !KNOWN.has(k));
  if (unknown) throw new CommandError('Location40415', `BSON field 'bulkWrite.${unknown}' is an unknown field.`);
  if (!Array.isArray(cmd.ops) || !Array.isArray(cmd.nsInfo)) throw new CommandError('FailedToParse', "BSON field 'bulkWrite.ops' is missing but a required field");
  const ordered = cmd.ordered !== false;
  const shared = { ordered: true, let: cmd.let, bypassDocumentValidation: cmd.bypassDocumentValidation };
  const results: Document[] = [];
  const totals = { nErrors: 0, nInserted: 0, nUpserted: 0, nMatched: 0, nModified: 0, nDeleted: 0 };
  for (let idx = 0; idx < cmd.ops.length; idx++) {
    const op = cmd.ops[idx] as Document;
    let reply: Document;
    let entry: Document;
    if (!isPlainObject(op)) throw new CommandError('FailedToParse', 'bulkWrite ops must be objects');
    if ('insert' in op) {
      const ns = namespaceOf(cmd.nsInfo as Document[], op.insert);
      reply = insert({ ...ctx, db: ns.db }, { insert: ns.coll, documents: [op.document], ...shared });
      entry = { ok: 1, idx, n: reply.n };
      totals.nInserted += Number(reply.n);
    } else if ('update' in op) {
      const ns = namespaceOf(cmd.nsInfo as Document[], op.update);
      const statement = { q: op.filter, u: op.updateMods, multi: op.multi === true, upsert: op.upsert === true, arrayFilters: op.arrayFilters, hint: op.hint, collation: op.collation, sort: op.sort, c: op.constants };
      reply = update({ ...ctx, db: ns.db }, { update: ns.coll, updates: [statement], ...shared });
      const upserted = (reply.upserted as Document[] | undefined)?.[0];
      entry = { ok: 1, idx, n: reply.n, nModified: reply.nModified, ...(upserted ? { upserted: { _id: cloneValue(upserted._id) } } : {}) };
      totals.nMatched += Number(reply.n) - (upserted ? 1 : 0);
      totals.nModified += Number(reply.nModified);
      totals.nUpserted += upserted ? 1 : 0;
    } else if ('delete' in op) {
      const ns = namespaceOf(cmd.nsInfo as Document[], op.delete);
      reply = remove({ ...ctx, db: ns.db }, { delete: ns.coll, deletes: [{ q: op.filter, limit: op.multi === true ? 0 : 1, hint: op.hint, collation: op.collation }], ...shared });
      entry = { ok: 1, idx, n: reply.n };
      totals.nDeleted += Number(reply.n);
    } else throw new CommandError('FailedToParse', 'Unrecognized bulkWrite operation');
    const error = (reply.writeErrors as Document[] | undefined)?.[0];
    if (error) {
      const { index: _i, ...rest } = error;
      entry = { ok: 0, idx, n: 0, ...rest };
      totals.nErrors++;
    }
    if (error || cmd.errorsOnly !== true) results.push(entry);
    if (error && ordered) break;
  }
  return { cursor: ctx.cursors.firstBatch('admin.$cmd.bulkWrite', results, undefined), ...totals, ok: 1 };
}
