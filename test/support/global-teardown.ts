import type { EmbeddedServer } from '../../src/db/embedded/types';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __cmaltEmbedded?: EmbeddedServer }).__cmaltEmbedded?.close();
}
