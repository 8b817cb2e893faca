import { Router } from 'express';
import { requireRole } from '../http/access';
import type { Who } from '../http/identity';
import type { AppRole } from './roles';

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
    ['mentor', '/mentoring', 'My candidates'],
    ['coordinator', '/cohort', 'Cohort'],
    ['coordinator', '/gradebook', 'Grades'],
    ['coordinator', '/gradebook/roster', 'Roster'],
    ['coordinator', '/lti/roles', 'Roles'],
    ['installer', '/lti/installer', 'Registration'],
  ];
  const nav = items
    .filter(([role]) => who.roles.includes(role))
    .map(([, href, label]) => ({ href: url(href), label, current: href === current }));
  if (who.roles.some((r) => r !== 'installer')) {
    const label = unread ? `Notifications (${unread} unread)` : 'Notifications';
    nav.push({ href: url('/mentoring/notifications'), label, current: current === '/mentoring/notifications' });
  }
  return nav;
}

interface Placeholder {
  path: string;
  role: AppRole;
  heading: string;
  intro: string;
  upcoming: string[];
}

const PLACEHOLDERS: Record<string, Placeholder> = {
  installer: {
    path: '/lti/installer',
    role: 'installer',
    heading: 'Registration',
    intro: 'Your VLE role gives you installer rights: the registration pages will let you manage the VLEs CMALT Portfolio trusts.',
    upcoming: ['Registered VLEs and their deployments', "The tool's URLs and public keys", 'Activating and removing registrations'],
  },
};

/** A placeholder landing page that shows who is signed in and what will appear there. */
export function placeholderRouter(name: keyof typeof PLACEHOLDERS): Router {
  const page = PLACEHOLDERS[name];
  const router = Router();
  router.get('/', requireRole(page.role), (_req, res) => {
    const who = res.locals.who as Who;
    res.render('landing/placeholder', {
      title: page.heading,
      heading: page.heading,
      intro: page.intro,
      upcoming: page.upcoming,
      nav: navFor(who, page.path, res.locals.url, res.locals.unread),
    });
  });
  return router;
}
