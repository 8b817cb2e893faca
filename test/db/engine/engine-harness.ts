import { createEngine } from '../../../src/db/embedded/engine';
import type { CommandEngine, Document, EngineOptions, JournalOp } from '../../../src/db/embedded/types';

/** An engine with a recording persist hook, and a `run` that fails loudly on an unexpected error reply. */
export function harness(options: EngineOptions = {}) {
  const journal: JournalOp[] = [];
  const engine: CommandEngine = createEngine({
    persist: async (ops) => {
      journal.push(...ops);
    },
    ...options,
  });
  const raw = (command: Document, db = 'enginetest'): Promise<Document> => engine.execute(db, command);
  const run = async (command: Document, db = 'enginetest'): Promise<Document> => {
    const reply = await engine.execute(db, command);
    if (reply.ok !== 1) throw new Error(`command failed: ${JSON.stringify(reply)}`);
    return reply;
  };
  const findAll = async (coll: string, filter: Document = {}, extra: Document = {}): Promise<Document[]> => {
    const reply = await run({ find: coll, filter, ...extra });
    return (reply.cursor as Document).firstBatch as Document[];
  };
  return { engine, journal, run, raw, findAll };
}
