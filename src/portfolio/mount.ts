import type { Router } from 'express';

/** Mounts a colleague's router when its module exists (evidence, planning); absent is not an error. */
export function mountOptional(router: Router, at: string, modulePath: string, exportName: string, deps: unknown): boolean {
  let mod: Record<string, unknown>;
  try {
    mod = require(modulePath);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'MODULE_NOT_FOUND' && e.message?.includes(modulePath.replace('./', ''))) return false;
    throw err;
  }
  const make = mod[exportName];
  if (typeof make !== 'function') return false;
  router.use(at, make(deps) as Router);
  return true;
}
