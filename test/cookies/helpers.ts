import mongoose from 'mongoose';
import type { ToolSession } from '../support/launch';

/** Documents in every collection of the tool's database. */
export async function countAll(): Promise<Record<string, number>> {
  const db = mongoose.connection.db!;
  const counts: Record<string, number> = {};
  for (const { name } of await db.listCollections().toArray()) counts[name] = await db.collection(name).countDocuments();
  return counts;
}

/** Nothing new in any collection (a refused launch may only consume what its own login issued). */
export function expectNothingStored(before: Record<string, number>, after: Record<string, number>): void {
  expect(Object.keys(after)).toContain('users'); // the warm-up launch made every collection: an empty listing would check nothing
  for (const [name, n] of Object.entries(after)) expect({ name, n: n <= (before[name] ?? 0) }).toEqual({ name, n: true });
}

/** A readable refusal: an HTML page with a heading and words, never JSON or a stack trace. */
export function expectReadableRefusal(s: ToolSession, status: number, words: RegExp): void {
  expect(s.ok).toBe(false);
  expect(s.status).toBe(status);
  expect(s.response.headers.get('content-type')).toMatch(/text\/html/);
  expect(s.html).toMatch(/<h1>[^<]{10,}<\/h1>/);
  expect(s.html).toMatch(words);
  expect(s.html).not.toMatch(/"error"\s*:|at \w+ \(|node_modules|NO_[A-Z_]+_CLAIM|UNREGISTERED_PLATFORM/);
}
