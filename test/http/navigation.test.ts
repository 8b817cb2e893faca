import { aCoordinator, aMentoredCandidate, sectionNow } from '../support/factories';
import { toolSuite } from '../support/suite';

const suite = toolSuite();

/** The main navigation's links, as "label -> path". */
function navOf(html: string): string[] {
  const nav = html.slice(html.indexOf('<nav'), html.indexOf('</nav>'));
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map(([, href, label]) => `${label.trim()} -> ${new URL(href.replace(/&amp;/g, '&'), 'http://x').pathname}`);
}

const CANDIDATE_NAV = [
  'My portfolio -> /portfolio',
  'Planning -> /portfolio/planning',
  'Evidence -> /portfolio/evidence',
  'Co-mentoring and final review -> /mentoring/peer',
  'Read and export -> /export',
  'My place in the set -> /scheme',
  'Learning set -> /community',
  'My CPD record -> /cpd', // the person's own record, whatever their role
];

describe('one navigation on every page', () => {
  test('a candidate finds final review and notifications from every page, with the unread count, which opening the section clears', async () => {
    const { mo, cat, id } = await aMentoredCandidate(suite, 'Nav');

    for (const path of ['/portfolio', `/portfolio/sections/${id}`, '/portfolio/planning', '/portfolio/evidence', '/mentoring/peer', '/mentoring/notifications']) {
      const page = await cat.session.get(path);
      expect(page.status).toBe(200);
      expect(navOf(page.html)).toEqual([...CANDIDATE_NAV, 'Notifications -> /mentoring/notifications']);
    }

    const v = (await sectionNow(id)).version;
    expect((await mo.post(`/mentoring/sections/${id}/review`, { decision: 'needs_more_work', feedback: 'Add dates.', expectedVersion: String(v) })).status).toBe(200);
    for (const path of ['/portfolio', '/portfolio/evidence']) {
      expect(navOf((await cat.session.get(path)).html)).toContain('Notifications (1 unread) -> /mentoring/notifications');
    }
    // opening the section the review points at reads it, and that very page's count says so
    const section = await cat.session.get(`/mentoring/sections/${id}`);
    expect(navOf(section.html)).toContain('Notifications -> /mentoring/notifications');
    expect(navOf((await cat.session.get('/portfolio')).html)).toContain('Notifications -> /mentoring/notifications');
  });

  test('a coordinator has the same navigation on the cohort, grades and roles pages', async () => {
    const course = suite.platform.course({ title: 'Coordinator nav' });
    const { session: cora } = await aCoordinator(suite, { course, name: 'Cora Same' });
    const navs = [];
    for (const path of ['/cohort', '/gradebook', '/lti/roles', '/mentoring']) {
      const page = await cora.get(path);
      expect(page.status).toBe(200);
      navs.push(navOf(page.html));
    }
    for (const nav of navs) expect(nav).toEqual(navs[0]);
    expect(navs[0]).toContain('Notifications -> /mentoring/notifications');
    expect(navs[0]).toContain('Grades -> /gradebook');
  });
});
