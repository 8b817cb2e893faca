import { Router } from 'express';
import { renderPage } from '../http/render-page';
import { h } from '../http/route-kit';
import { icsOf, openFeed } from './calendar';
import { meetingScope } from './groups.service';
import { meetingsForFeed } from './meetings.service';
import { settingsOf } from './settings.service';

/**
 * The personal subscription feed: fetched by calendar programs (Outlook, Google, Apple) with no session and no
 * cookie, so the secret address is the only key. Never cached by the way, never sent on as a referrer.
 */
export function calendarFeedRouter(config: { publicUrl: string; ltiKey: string }): Router {
  const router = Router();
  router.get('/:token', h(async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    const r = await openFeed(config.ltiKey, req.params.token);
    if (!r.ok) return renderPage(res, r.status, 'error', { title: 'This calendar cannot be shown', heading: 'This calendar cannot be shown', message: r.message });
    const s = await settingsOf(r.courseId);
    const meetings = await meetingsForFeed(r.courseId, new Date(), await meetingScope(r)); // another group's meetings are not in this person's feed
    const body = icsOf(meetings, { host: new URL(config.publicUrl).host, calName: s?.cohortName ? `${s.cohortName}: meetings` : 'Learning-set meetings' });
    res.type('text/calendar; charset=utf-8').send(body);
  }));
  return router;
}
