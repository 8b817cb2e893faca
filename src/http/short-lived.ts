import { LRUCache } from 'lru-cache';

/**
 * A bounded in-process cache whose entries lapse after `ttlMs` (lru-cache, least recently used out first).
 * Timed by Date.now, as the rest of the tool is, so tests that move the clock move these too.
 */
// lru-cache's own bound on values: anything but null and undefined
export function shortLived<V extends NonNullable<unknown>>(max: number, ttlMs: number): LRUCache<string, V> {
  return new LRUCache<string, V>({ max, ttl: ttlMs, perf: Date, ttlResolution: 0 });
}
