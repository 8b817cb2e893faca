import type { AppRole } from '../people/roles';
import type { Who } from './who';

/**
 * The main navigation, the same on every page: one entry per page the person's roles open, then their
 * notifications with the unread count when the page knows it (res.locals.unread, set for every launched page).
 */
export function navFor(who: Who, current: string, url: (p: string) => string, unread?: number): Array<{ href: string; label: string; current: boolean }> {
  const items: Array<[AppRole, string, string]> = [
    ['candidate', '/portfolio', 'My portfolio'],
    ['candidate', '/portfolio/planning', 'Planning'],
    ['candidate', '/portfolio/evidence', 'Evidence'],
    ['candidate', '/mentoring/peer', 'Co-mentoring and final review'],
    ['candidate', '/export', 'Read and export'],
    ['candidate', '/scheme', 'My place in the set'],
    ['mentor', '/mentoring', 'My candidates'],
    ['coordinator', '/cohort', 'Cohort'],
    ['coordinator', '/scheme/manage', 'Scheme'],
    ['coordinator', '/gradebook', 'Grades'],
    ['coordinator', '/gradebook/roster', 'Roster'],
    ['coordinator', '/lti/roles', 'Roles'],
    ['installer', '/lti/installer', 'Registration'],
  ];
  const nav = items
    .filter(([role]) => who.roles.includes(role))
    .map(([, href, label]) => ({ href: url(href), label, current: href === current }));
  if (who.roles.some((r) => r !== 'installer')) {
    nav.push({ href: url('/community'), label: 'Learning set', current: current === '/community' }); // every course member's space
    nav.push({ href: url('/cpd'), label: 'My CPD record', current: current === '/cpd' }); // the person's own, whatever their role
    if (who.roles.includes('coordinator')) nav.push({ href: url('/cpd/course'), label: 'Course CPD', current: current === '/cpd/course' });
    const label = unread ? `Notifications (${unread} unread)` : 'Notifications';
    nav.push({ href: url('/mentoring/notifications'), label, current: current === '/mentoring/notifications' });
  }
  return nav;
}
