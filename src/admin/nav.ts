import type { Response } from 'express';

/** The installer pages' navigation; links carry the session when the cookie did not arrive. */
const ITEMS = [
  { path: '/admin', label: 'VLEs' },
  { path: '/admin/platforms/new', label: 'Add a VLE by hand' },
  { path: '/admin/tool', label: 'Tool addresses and keys' },
  { path: '/admin/setup/moodle', label: 'Moodle' },
  { path: '/admin/setup/canvas', label: 'Canvas' },
  { path: '/admin/setup/blackboard', label: 'Blackboard Learn' },
  { path: '/admin/setup/brightspace', label: 'Brightspace' },
];

export function adminNav(res: Response, current: string): Array<{ href: string; label: string; current: boolean }> {
  const adminUrl = res.locals.adminUrl as (path: string) => string;
  return ITEMS.map((item) => ({ href: adminUrl(item.path), label: item.label, current: item.path === current }));
}
