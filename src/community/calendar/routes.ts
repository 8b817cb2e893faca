import express, { type RequestHandler, type Response } from 'express';
import { monthIn, monthOf, timeIn, whenIn } from '../../http/dates';
import { check, h, hidden, refuse, render, urlOf } from '../../http/route-kit';
import type { Member } from '../service';
import { icsOf, sendIcs } from './ics';
import { instantsOf } from './fields';
import { SESSION_KINDS, type SessionDoc } from './models';
import { monthSchema, sessionSchema } from './schema';
import * as cal from './service';
import { zoneLabel, zoneOf } from './sources';

const NOTICES: Record<string, string> = {
  proposed: 'Your session is on the set’s calendar.',
  cancelled: 'The session is cancelled.',
};

const span = (startsAt: Date, endsAt: Date, zone: string) => `${whenIn(startsAt, zone)} to ${timeIn(endsAt, zone)}`;

const presentSession = (s: SessionDoc, who: Member, zone: string) => ({
  id: String(s._id),
  kindLabel: cal.KIND_LABELS[s.kind],
  title: s.title,
  description: s.description,
  location: s.location,
  when: span(s.startsAt, s.endsAt, zone),
  proposedByName: s.proposedByName,
  cancelled: Boolean(s.cancelledAt),
  canCancel: !s.cancelledAt && cal.canCancel(who, s),
});

/** The set's calendar: its own sessions and the scheme's meetings, a month a page, with .ics files. */
export function calendarRouter(deps: { postingLimit: RequestHandler; member: (res: Response) => Member; clock: () => Date }): express.Router {
  const router = express.Router();
  const { member } = deps;

  /** The month asked for (or this month) in the course's zone. */
  async function monthFor(res: Response, raw: unknown) {
    const zone = await zoneOf(member(res).courseId);
    const month = monthIn(monthSchema.parse(raw) ?? monthOf(deps.clock(), zone), zone)!;
    return { zone, month };
  }

  const showMonth = async (res: Response, status = 200, error = '', values: Record<string, unknown> = {}) => {
    const who = member(res);
    const { zone, month } = await monthFor(res, res.req.query.month);
    const { items, more } = await cal.calendarBetween(who.courseId, month.from, month.to);
    res.status(status);
    await render(res, 'community/calendar/month', {
      title: `${error ? 'Error: ' : ''}Calendar, ${month.label} – learning set`,
      month,
      zoneLabel: zoneLabel(zone),
      monthValue: monthOf(month.from, zone),
      items: items.map((i) => (i.source === 'session'
        ? { ...presentSession(i.session, who, zone), scheme: false }
        : { id: i.meeting.id, kindLabel: 'Scheme meeting', title: i.meeting.title, description: i.meeting.description ?? '', location: i.meeting.location ?? '', when: span(i.meeting.startsAt, i.meeting.endsAt, zone), scheme: true })),
      more,
      kinds: SESSION_KINDS.map((k) => ({ value: k, label: cal.KIND_LABELS[k] })),
      notice: NOTICES[String(res.req.query.done)] ?? '',
      error,
      values,
    }, '/community');
  };
  router.get('/', h(async (_req, res) => showMonth(res)));

  router.get('/ics', h(async (req, res) => {
    const { month } = await monthFor(res, req.query.month);
    const { items } = await cal.calendarBetween(member(res).courseId, month.from, month.to);
    sendIcs(res, `learning-set-${monthOf(month.from)}.ics`, icsOf(items.map(cal.calendarEntry), `Learning set, ${month.label}`));
  }));

  router.post('/sessions', deps.postingLimit, h(async (req, res) => {
    const who = member(res);
    const r = check(sessionSchema, req.body);
    if (!r.ok) return showMonth(res, 422, r.message, req.body ?? {});
    const when = instantsOf(r.data, await zoneOf(who.courseId), deps.clock());
    if ('error' in when) return showMonth(res, 422, when.error, req.body ?? {});
    const s = await cal.proposeSession(who, { kind: r.data.kind, title: r.data.title, description: r.data.description, location: r.data.location, ...when });
    res.redirect(303, urlOf(res, `/community/calendar/sessions/${s._id}?done=proposed`));
  }));

  const sessionFor = async (res: Response, id: string) => {
    const s = await cal.sessionFor(member(res), id);
    if (!s) throw hidden();
    return s;
  };
  router.get('/sessions/:id', h(async (req, res) => {
    const who = member(res);
    const s = await sessionFor(res, String(req.params.id));
    const zone = await zoneOf(who.courseId);
    await render(res, 'community/calendar/session', { title: `${s.title} – learning set calendar`, s: presentSession(s, who, zone), zoneLabel: zoneLabel(zone), month: monthOf(s.startsAt, zone), notice: NOTICES[String(req.query.done)] ?? '' }, '/community');
  }));
  router.get('/sessions/:id/ics', h(async (req, res) => {
    const s = await sessionFor(res, String(req.params.id));
    if (s.cancelledAt) throw hidden();
    sendIcs(res, 'learning-set-session.ics', icsOf([cal.sessionEntry(s)], 'Learning set'));
  }));
  router.post('/sessions/:id/cancel', h(async (req, res) => {
    const who = member(res);
    const s = await sessionFor(res, String(req.params.id));
    if (!cal.canCancel(who, s)) refuse({ status: 403, message: 'Only the person who proposed a session, or the coordinator, can cancel it.' });
    if (!(await cal.cancelSession(s, deps.clock()))) refuse({ status: 409, message: 'This session is already cancelled.' });
    res.redirect(303, urlOf(res, `/community/calendar/sessions/${s._id}?done=cancelled`));
  }));

  return router;
}
