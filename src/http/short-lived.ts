import { LRUCache } from 'lru-cache';

/**
 * A bounded in-process cache whose entries lapse after `ttlMs` (lru-cache, least recently used out first).
 * Timed by Date.now, as the rest of the tool is, so tests that move the clock move these too.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- lru-cache's own bound: any non-nullish value
export function shortLived<V extends {}>(max: number, ttlMs: number): LRUCache<string, V> {
  return new LRUCache<string, V>({ max, ttl: ttlMs, perf: Date, ttlResolution: 0 });
}
