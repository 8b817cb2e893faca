/**
 * perf: ltijs reads the same few documents again and again: its id token and context token on every request
 * (after it has verified the ltik and its session cookie), and the platform and its status on every login and
 * launch. This keeps what those reads answered for a short while in this process, so every check stays as it is
 * and only the reads are saved. Any write by ltijs to one of these collections in this process (a relaunch, an
 * installer activating, deactivating or removing a platform) forgets that collection at once; another
 * instance's writes show here within the collection's time to live.
 */
import path from 'node:path';
import type mongoose from 'mongoose';
import { WHO_TTL_MS } from '../identity';
import { shortLived } from '../../http/short-lived';

/** ltijs keeps its collections through its own copy of mongoose. */
const ltijsMongoose = (): typeof mongoose =>
  require(require.resolve('mongoose', { paths: [path.dirname(require.resolve('ltijs'))] })) as typeof mongoose;

/** ltijs's Database object (ltijs ships no types): the calls it makes for the documents kept here. */
interface LtijsDatabase {
  Get(key: string | false, collection: string, query?: Record<string, unknown>): Promise<unknown>;
}

interface Kept {
  ttlMs: number;
  /** Only some answers may be kept (e.g. exactly one document). */
  keepable(value: unknown): boolean;
  /** A replace is kept as the answer the next read would give, so a launch's landing page reads nothing. */
  keepReplaced?: true;
}

const one = (value: unknown) => Array.isArray(value) && value.length === 1;

/** A platform's status decides whether its launches are refused: kept briefly, and forgotten at once here. */
export const PLATFORM_TTL_MS = 10_000;

const KEPT: Record<string, Kept> = {
  idtoken: { ttlMs: WHO_TTL_MS, keepable: one, keepReplaced: true },
  // deep-linking context tokens are never kept: their deep_linking_settings.data must be the latest request's
  contexttoken: {
    ttlMs: WHO_TTL_MS,
    keepable: (v) => one(v) && (v as Array<{ messageType?: string }>)[0].messageType === 'LtiResourceLinkRequest',
    keepReplaced: true,
  },
  platform: { ttlMs: PLATFORM_TTL_MS, keepable: Array.isArray },
  platformStatus: { ttlMs: PLATFORM_TTL_MS, keepable: Array.isArray },
};
const WRITES = new Set(['Insert', 'Replace', 'Modify', 'Delete']);
const MAX_ENTRIES = 2_000;

/**
 * perf: ltijs looks its state entry up on every launch, though it keeps one only when the login's target_link_uri
 * had a query (to put that query back on the redirect). Nothing is checked against it. The launch check, which
 * knows the login from our records (shared by every instance), says when ltijs kept none: that one look-up is then
 * answered "none" without a read. An entry is taken by the look-up, or lapses.
 */
const NO_STATE_TTL_MS = 10_000;
const withoutState = shortLived<true>(1_000, NO_STATE_TTL_MS);

export function expectNoLtijsState(state: string): void {
  withoutState.set(state, true);
}

function takeNoState(query: Record<string, unknown>): boolean {
  const keys = Object.keys(query);
  if (keys.length !== 1 || typeof query.state !== 'string' || !withoutState.get(query.state)) return false;
  withoutState.delete(query.state);
  return true;
}

export function cacheLtijsReads<D extends object>(db: D, maxEntries = MAX_ENTRIES): D {
  const inner = db as unknown as LtijsDatabase;
  const kept = shortLived<{ value: unknown }>(maxEntries, PLATFORM_TTL_MS);
  const generation: Record<string, number> = Object.fromEntries(Object.keys(KEPT).map((c) => [c, 0]));
  const forget = (collection: string) => {
    generation[collection] += 1;
    for (const key of [...kept.keys()]) if (key.startsWith(`${collection}\n`)) kept.delete(key);
  };
  const forgetOne = (collection: string, cacheKey: string) => {
    generation[collection] += 1; // a read of another entry racing this write is simply not kept
    kept.delete(cacheKey);
  };

  const keep = (cacheKey: string, value: unknown, ttlMs: number) => void kept.set(cacheKey, { value }, { ttl: ttlMs });
  /** What ltijs's Get (find, without _id and __v) answers for a document just replaced by `item`. */
  const asRead = (collection: string, item: unknown) => {
    const { _id, __v, ...read } = new (ltijsMongoose().model(collection))(item).toJSON() as Record<string, unknown>;
    return [read];
  };

  async function Get(key: string | false, collection: string, query?: Record<string, unknown>): Promise<unknown> {
    if (collection === 'state' && key === false && query && takeNoState(query)) return false; // ltijs's answer for none
    const policy = KEPT[collection];
    if (key !== false || !policy || !query) return inner.Get(key, collection, query);
    const cacheKey = `${collection}\n${JSON.stringify(query)}`;
    const hit = kept.get(cacheKey);
    if (hit) return hit.value; // ltijs copies or only reads what it gets
    const before = generation[collection];
    const value = await inner.Get(key, collection, query);
    if (generation[collection] === before && policy.keepable(value)) keep(cacheKey, value, policy.ttlMs);
    return value;
  }

  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'Get') return Get;
      const value: unknown = Reflect.get(target, prop); // ltijs's methods use private fields: always call them on ltijs's object
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && WRITES.has(prop)) {
        return async (...args: unknown[]) => {
          const collection = prop === 'Delete' ? args[0] : args[1];
          const policy = typeof collection === 'string' ? KEPT[collection] : undefined;
          if (!policy) return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          const [key, , query, item] = args as [unknown, string, Record<string, unknown>?, unknown?];
          // a token is replaced by the very query it is read with: only that entry goes; anything else forgets all
          const exact = policy.keepReplaced && prop === 'Replace' && key === false && query ? `${collection as string}\n${JSON.stringify(query)}` : null;
          const drop = () => (exact ? forgetOne(collection as string, exact) : forget(collection as string));
          drop();
          let written = false;
          try {
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            written = true;
            return result;
          } finally {
            drop(); // a read that raced the write must not keep the old answer
            if (written && exact && item) {
              const read = asRead(collection as string, item);
              if (policy.keepable(read)) keep(exact, read, policy.ttlMs);
            }
          }
        };
      }
      return value.bind(target);
    },
  });
}
