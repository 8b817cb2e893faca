import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a secret a visitor sent with the one expected, in constant time. */
export function sameSecret(given: string, expected: string): boolean {
  // Hash both so the comparison is constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
