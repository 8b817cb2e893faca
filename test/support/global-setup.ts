import { startEmbeddedServer } from '../../src/db/embedded';
import type { EmbeddedServer } from '../../src/db/embedded/types';

/**
 * One database server for the whole run: a real MongoDB when TEST_MONGODB_URI is set, otherwise the
 * embedded engine in memory. Workers inherit CMALT_TEST_MONGO_BASE and pick a fresh database per file.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) {
    process.env.CMALT_TEST_MONGO_BASE = process.env.TEST_MONGODB_URI.replace(/\/[^/]*$/, '').replace(/\/$/, '');
    return;
  }
  const server: EmbeddedServer = await startEmbeddedServer({});
  (globalThis as { __cmaltEmbedded?: EmbeddedServer }).__cmaltEmbedded = server;
  process.env.CMALT_TEST_MONGO_BASE = server.uri.replace(/\/$/, '');
}
