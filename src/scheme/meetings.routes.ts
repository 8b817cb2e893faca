import { Router, type Request, type Response } from 'express';
import { forbidden } from '../http/errors';
import { h, objectId, parse, refuse, render, urlOf, whoOf } from '../http/route-kit';
import { feedAddress, icsOf, mayJoinMeetings, revokeFeed } from './calendar';
import type { MeetingDoc } from './meetings.model';
import * as meetings from './meetings.service';
import { attendanceSchema, meetingListSchema, meetingSchema, notesSchema } from './meetings.schema';
import { fieldErrors, localValue } from './scheme.schema';
import { settingsOf } from './settings.service';
import { runAction, type RecordAction } from './actions';
import { groupNames, meetingScope } from './groups.service';

export interface MeetingDeps {
  config: { publicUrl: string; ltiKey: string };
}

const NOT_IN_SET = 'The learning set’s meetings are for the people with a place in the set, their mentors and the coordinator.';
const DONE: Record<string, string> = {
  created: 'The meeting is scheduled. It is in everyone’s calendar feed now.',
  created_group: 'The group’s meeting is scheduled. It is in the calendar feeds of the group’s members and mentor now.',
  updated: 'The meeting is changed. Calendar feeds show the change the next time they refresh.',
  cancelled: 'The meeting is cancelled and the set has been told.',
  attendance: 'Attendance is saved.',
  notes: 'The notes and actions are saved and shared with the set.',
  feed: 'Your calendar address is ready. Copy it into your calendar program.',
  revoked: 'Your old calendar address no longer works. Use the new one below.',
};
const notice = (req: Request) => DONE[String(req.query.done)] ?? '';
const hostOf = (publicUrl: string) => new URL(publicUrl).host;

function present(m: MeetingDoc, zone: string, groups?: Map<string, string>) {
  return {
    id: String(m._id),
    group: m.groupId ? groups?.get(m.groupId) ?? 'a mentor group' : '',
    title: m.title,
    when: meetings.whenInZone(m.startsAt, m.endsAt, zone),
    place: m.place,
    onlineUrl: m.onlineUrl,
    agenda: m.agenda,
    notes: m.notes,
    cancelled: m.cancelled,
    attendedCount: m.attended.length,
    past: new Date(m.startsAt) <= new Date(),
  };
}

const formOf = (m: MeetingDoc | null, zone: string) => ({
  title: m?.title ?? '',
  startsAt: localValue(m?.startsAt, zone, true),
  endsAt: localValue(m?.endsAt, zone, true),
  place: m?.place ?? '',
  onlineUrl: m?.onlineUrl ?? '',
  agenda: m?.agenda ?? '',
  groupId: m?.groupId ?? '',
});
const postedForm = (body: Record<string, unknown>) =>
  Object.fromEntries(['title', 'startsAt', 'endsAt', 'place', 'onlineUrl', 'agenda', 'groupId'].map((k) => [k, typeof body?.[k] === 'string' ? String(body[k]).slice(0, 5000) : '']));

/** A page of meetings, for whoever may see them; `manage` adds the coordinator's scheduling form. */
async function showList(req: Request, res: Response, deps: MeetingDeps, manage: boolean, status = 200, errors: Record<string, string> = {}, posted?: Record<string, string>) {
  const who = whoOf(res);
  const q = meetingListSchema.parse(req.query);
  const scope = manage ? {} : await meetingScope(who); // a group's meetings only for that group
  const [zone, list, feed, groups] = await Promise.all([meetings.zoneOf(who.courseId), meetings.listMeetings(who.courseId, q.when, q.page, new Date(), scope), feedAddress(deps.config.ltiKey, who.courseId, who.userId, false), groupNames(who.courseId)]);
  const base = manage ? '/scheme/manage/meetings' : '/scheme/meetings';
  const pageUrl = (page: number) => urlOf(res, `${base}?when=${q.when}&page=${page}`);
  res.status(status);
  await render(res, 'scheme/meetings', {
    title: `${Object.keys(errors).length ? 'Error: ' : ''}${manage ? 'Learning-set meetings' : 'Meetings of the learning set'}`,
    manage,
    base,
    zone,
    when: q.when,
    items: list.items.map((m) => present(m, zone, groups)),
    groups: [...groups.entries()],
    total: list.total,
    page: list.page,
    pages: list.pages,
    prev: list.page > 1 ? pageUrl(list.page - 1) : '',
    next: list.page < list.pages ? pageUrl(list.page + 1) : '',
    feedUrl: feed ? `${deps.config.publicUrl.replace(/\/$/, '')}/scheme-calendar/${feed}.ics` : '',
    values: posted ?? formOf(null, zone),
    errors,
    done: notice(req),
  }, manage ? '/scheme/manage' : '/scheme');
}

/** /scheme/meetings: the set's meetings, a meeting's page and .ics, the personal feed. */
export function meetingsRouter(deps: MeetingDeps): Router {
  const router = Router();
  router.use((_req, res, next) => void mayJoinMeetings(whoOf(res)).then((ok) => next(ok ? undefined : forbidden(NOT_IN_SET)), next));

  router.get('/', h(async (req, res) => showList(req, res, deps, false)));

  router.post('/feed', h(async (_req, res) => {
    await feedAddress(deps.config.ltiKey, whoOf(res).courseId, whoOf(res).userId, true);
    res.redirect(303, urlOf(res, '/scheme/meetings?done=feed#feed'));
  }));
  router.post('/feed/revoke', h(async (_req, res) => {
    const made = await revokeFeed(deps.config.ltiKey, whoOf(res).courseId, whoOf(res).userId);
    if (!made) refuse({ status: 409, message: 'You have no calendar address to replace yet. Nothing was changed.' });
    res.redirect(303, urlOf(res, '/scheme/meetings?done=revoked#feed'));
  }));

  router.get('/:id.ics', h(async (req, res) => {
    const m = objectId.safeParse(req.params.id).success ? await meetings.meetingIn(whoOf(res).courseId, req.params.id, await meetingScope(whoOf(res))) : null;
    if (!m) refuse({ status: 404, message: meetings.MEETING_REFUSALS.notFound });
    const s = await settingsOf(whoOf(res).courseId);
    res.set('Content-Disposition', `attachment; filename="meeting-${String(m._id)}.ics"`);
    res.type('text/calendar; charset=utf-8').send(icsOf([m], { host: hostOf(deps.config.publicUrl), calName: s?.cohortName || 'Learning set' }));
  }));

  router.get('/:id', h(async (req, res) => {
    const who = whoOf(res);
    const m = objectId.safeParse(req.params.id).success ? await meetings.meetingIn(who.courseId, req.params.id, await meetingScope(who)) : null;
    if (!m) refuse({ status: 404, message: meetings.MEETING_REFUSALS.notFound });
    const zone = await meetings.zoneOf(who.courseId);
    await render(res, 'scheme/meeting', { title: m.title, m: present(m, zone, await groupNames(who.courseId)), manage: false, errors: {}, values: {}, members: [], done: '' }, '/scheme');
  }));
  return router;
}

/** /scheme/manage/meetings: the coordinator schedules, changes, cancels, takes attendance and shares notes. */
export function manageMeetingsRouter(deps: MeetingDeps): Router {
  const router = Router();
  router.get('/', h(async (req, res) => showList(req, res, deps, true)));

  router.post('/', h(async (req, res) => {
    const parsed = meetingSchema.safeParse(req.body ?? {});
    if (!parsed.success) return showList(req, res, deps, true, 422, fieldErrors(parsed.error), postedForm(req.body));
    const r = await meetings.createMeeting(whoOf(res).courseId, parsed.data);
    if (!r.ok) return showList(req, res, deps, true, r.status, { [('field' in r && r.field) || 'form']: r.message }, postedForm(req.body));
    res.redirect(303, urlOf(res, `/scheme/manage/meetings/${r.id}?done=${parsed.data.groupId ? 'created_group' : 'created'}`));
  }));

  async function showOne(req: Request, res: Response, status = 200, errors: Record<string, string> = {}, posted?: Record<string, string>) {
    const who = whoOf(res);
    const m = objectId.safeParse(req.params.id).success ? await meetings.meetingIn(who.courseId, req.params.id) : null;
    if (!m) refuse({ status: 404, message: meetings.MEETING_REFUSALS.notFound });
    const [zone, members, groups] = await Promise.all([meetings.zoneOf(who.courseId), meetings.setMembers(who.courseId, m.groupId), groupNames(who.courseId)]);
    res.status(status);
    await render(res, 'scheme/meeting', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}${m.title}`,
      m: present(m, zone, groups),
      manage: true,
      zone,
      values: posted ?? formOf(m, zone),
      members: members.map((p) => ({ ...p, attended: m.attended.includes(p.userId) })),
      errors,
      done: notice(req),
    }, '/scheme/manage');
  }

  router.get('/:id', h(async (req, res) => showOne(req, res, 200)));

  router.post('/:id', h(async (req, res) => {
    if (!objectId.safeParse(req.params.id).success) refuse({ status: 404, message: meetings.MEETING_REFUSALS.notFound });
    const parsed = meetingSchema.safeParse(req.body ?? {});
    if (!parsed.success) return showOne(req, res, 422, fieldErrors(parsed.error), postedForm(req.body));
    const r = await meetings.updateMeeting(whoOf(res).courseId, req.params.id, parsed.data);
    if (!r.ok) {
      if (r.status === 404) refuse(r);
      return showOne(req, res, r.status, { [('field' in r && r.field) || 'form']: r.message }, postedForm(req.body));
    }
    res.redirect(303, urlOf(res, `/scheme/manage/meetings/${req.params.id}?done=updated`));
  }));

  const actions: Record<string, RecordAction> = {
    cancel: (c, id) => meetings.cancelMeeting(c, id),
    attendance: (c, id, b) => meetings.recordAttendance(c, id, parse(attendanceSchema, b).attended),
    notes: (c, id, b) => meetings.saveNotes(c, id, parse(notesSchema, b).notes),
  };
  const doneFor: Record<string, string> = { cancel: 'cancelled', attendance: 'attendance', notes: 'notes' };

  router.post('/:id/:action', h(async (req, res) => {
    const act = actions[req.params.action];
    if (!act || !objectId.safeParse(req.params.id).success) refuse({ status: 404, message: meetings.MEETING_REFUSALS.notFound });
    const r = await runAction(act, whoOf(res).courseId, req.params.id, req.body ?? {});
    if (!r.ok) {
      if (r.status === 404) refuse({ status: 404, message: r.message ?? meetings.MEETING_REFUSALS.notFound });
      return showOne(req, res, r.status ?? 409, { [req.params.action === 'notes' ? 'notes' : 'form']: r.message ?? '' });
    }
    res.redirect(303, urlOf(res, `/scheme/manage/meetings/${req.params.id}?done=${doneFor[req.params.action]}`));
  }));
  return router;
}
