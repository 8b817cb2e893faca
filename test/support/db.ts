import { randomBytes } from 'node:crypto';

/** A fresh database on the run's server (embedded, or TEST_MONGODB_URI), so test files never share state. */
export function freshDatabaseUri(label = 't'): string {
  const base = process.env.CMALT_TEST_MONGO_BASE;
  if (!base) throw new Error('CMALT_TEST_MONGO_BASE is not set: run tests through jest (test/support/global-setup.ts)');
  const name = `${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const [withoutQuery, query] = base.split('?');
  return `${withoutQuery}/${name}${query ? `?${query}` : ''}`;
}
