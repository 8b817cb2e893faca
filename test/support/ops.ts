/*
 * Counting the database operations a request makes. The tool's background work (the ready-for-review catch-up,
 * the retention sweep, the email and reminder workers...) shares the process and the connection, and a timer of
 * theirs firing while a test counts added an operation now and then. So the test tool runs every request inside
 * `requestScope` (test/support/tool.ts), and a count keeps only the operations sent from a request that began
 * inside the window; anything else (a timer started at boot, work a request before the window left behind) is
 * kept apart as `background`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import mongoose from 'mongoose';

/** The request a piece of work belongs to: set by the test tool around each request, inherited by what it awaits. */
const requestScope = new AsyncLocalStorage<{ seq: number }>();
let requests = 0;
let counting = 0;

/**
 * Runs `handle` (one request to the tool) as a new request: what it sends counts for it. Only while a count is
 * open, so the async-context tracking costs the other tests nothing.
 */
export function inRequest<T>(handle: () => T): T {
  if (!counting) return handle();
  requests += 1;
  return requestScope.run({ seq: requests }, handle);
}

/** ltijs brings its own copy of mongoose: its session and nonce writes go through that one. */
export const ltijsMongoose = require(require.resolve('mongoose', { paths: [path.dirname(require.resolve('ltijs'))] })) as typeof mongoose;

export interface CountedOps<T> {
  result: T;
  /** "collection.method" for every operation sent by a request that began while `run` ran, in the order sent. */
  ops: string[];
  /** Operations sent meanwhile from outside those requests (background jobs): not the requests' doing. */
  background: string[];
}

/** Counts, on both copies of mongoose, the operations the requests made while `run` runs. */
export async function opsDuring<T>(run: () => Promise<T>): Promise<CountedOps<T>> {
  const from = requests;
  const ops: string[] = [];
  const background: string[] = [];
  const record = (collection: string, method: string) => {
    const scope = requestScope.getStore();
    (scope && scope.seq > from ? ops : background).push(`${collection}.${method}`);
  };
  mongoose.set('debug', record);
  ltijsMongoose.set('debug', record);
  counting += 1;
  try {
    return { result: await run(), ops, background };
  } finally {
    counting -= 1;
    if (!counting) requestScope.disable(); // the next count's first request turns it on again
    mongoose.set('debug', false);
    ltijsMongoose.set('debug', false);
  }
}

/** Turns counting off (for an afterAll, in case a test failed mid-count). */
export function stopCounting(): void {
  mongoose.set('debug', false);
  ltijsMongoose.set('debug', false);
}
