import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { PlatformClient } from './platform-client';

/** How often and how hard to try a post before it is marked failed for the coordinator. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What a job that calls the VLE (grade posts, roster syncs) needs, passed down as plain data (no req/res). */
export interface VleJobContext {
  connection: Connection;
  log: Logger;
  platform: PlatformClient;
  ownerId: string; // this worker, for leases
  leaseMs: number;
  retry: RetryPolicy;
  now: () => Date;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 2_000, maxDelayMs: 10 * 60_000 };

/** Exponential backoff with jitter: half fixed, half random, so many instances do not retry in step. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
