import type { Document, JournalOp } from '../../types';
import type { CursorRegistry } from '../cursors';
import type { Catalog } from '../store/catalog';

/** What a command handler sees. Handlers are synchronous: all mutations happen before any await. */
export interface CommandContext {
  db: string;
  catalog: Catalog;
  cursors: CursorRegistry;
  ops: JournalOp[]; // durable changes, persisted by the engine before the reply is released
}

/** Whether a write command asked to skip the collection's validator. */
export const bypassesValidation = (cmd: Document): boolean => cmd.bypassDocumentValidation === true;

export type CommandHandler = (ctx: CommandContext, cmd: Document) => Document;

/** The collection name a command addresses (its first field's value). */
export function targetName(cmd: Document): string {
  const name = cmd[Object.keys(cmd)[0]];
  return typeof name === 'string' ? name : String(name);
}

export function asNumber(v: unknown, fallback = 0): number {
  if (v === undefined || v === null) return fallback;
  const n = Number(typeof v === 'object' ? String(v) : v);
  return Number.isFinite(n) ? n : fallback;
}
