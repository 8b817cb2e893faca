import type { Document } from '../../types';
import { isPlainObject } from '../bson-values';
import { CommandError } from '../errors';
import { type CommandContext, targetName } from './context';

/** A plain explain answer: enough for tools that print a plan, without pretending to have a planner. */
export function explain(ctx: CommandContext, cmd: Document): Document {
  const inner = cmd.explain;
  if (!isPlainObject(inner)) throw new CommandError('BadValue', 'explain command requires a nested object');
  const verb = Object.keys(inner)[0];
  const name = targetName(inner);
  const filter = (inner.filter ?? inner.query ?? inner.q ?? {}) as Document;
  const byId = isPlainObject(filter) && '_id' in filter;
  return {
    queryPlanner: {
      namespace: `${ctx.db}.${name}`,
      parsedQuery: filter,
      winningPlan: { stage: byId ? 'IDHACK' : 'COLLSCAN' },
      rejectedPlans: [],
    },
    command: inner,
    explainVersion: '1',
    serverInfo: { host: 'localhost', port: 0, version: '7.0.0' },
    verb,
    ok: 1,
  };
}
