import express, { type RequestHandler, type Response } from 'express';
import { whenIn } from '../../http/dates';
import { check, h, hidden, parse, refuse, render, urlOf } from '../../http/route-kit';
import type { NotifyOptions } from '../../notifications';
import { instantsOf } from '../calendar/fields';
import { icsOf, sendIcs } from '../calendar/ics';
import { zoneLabel, zoneOf } from '../calendar/sources';
import type { Member } from '../service';
import type { InvitationDoc, ProfileDoc } from './models';
import { answerSchema, directorySchema, invitationSchema, PEOPLE_MESSAGES, profileSchema } from './schema';
import * as people from './service';

const NOTICES: Record<string, string> = {
  saved: 'Your profile is saved.',
  invited: 'Your invitation is sent.',
  accepted: 'You accepted the invitation.',
  declined: 'You declined the invitation.',
  withdrawn: 'You withdrew the invitation.',
};
const ROLE_LABELS: Record<string, string> = { candidate: 'Candidate', mentor: 'Mentor', coordinator: 'Coordinator' };
const STATE_LABELS: Record<string, string> = { sent: 'Waiting for an answer', accepted: 'Accepted', declined: 'Declined', withdrawn: 'Withdrawn' };

const presentProfile = (p: ProfileDoc, me: string) => ({
  userId: p.userId,
  name: p.name,
  role: ROLE_LABELS[p.role] ?? p.role,
  site: p.site,
  interests: p.interests,
  helpWith: p.helpWith,
  about: p.about,
  written: p.written,
  me: p.userId === me,
});

const presentInvitation = (inv: InvitationDoc, me: string, zone: string) => ({
  id: String(inv._id),
  received: inv.toId === me,
  other: inv.toId === me ? inv.fromName : inv.toName,
  message: inv.message,
  meeting: inv.meetingStartsAt ? { when: `${whenIn(inv.meetingStartsAt, zone)} to ${whenIn(inv.meetingEndsAt, zone).split(', ').pop()}`, place: inv.meetingPlace } : null,
  state: inv.state,
  stateLabel: STATE_LABELS[inv.state],
  sentWhen: whenIn(inv.createdAt, zone),
});

/** People of the set: profiles, the directory, invitations to connect. The members check ran before these. */
export function peopleRouter(deps: { notify?: NotifyOptions; postingLimit: RequestHandler; member: (res: Response) => Member; clock: () => Date }): express.Router {
  const router = express.Router();
  const { member } = deps;

  // every visit keeps the person's directory entry (name, role) current
  router.use((_req, res, next) => {
    people.enterDirectory(member(res)).then(() => next(), next);
  });

  router.get('/', h(async (req, res) => {
    const who = member(res);
    const filter = directorySchema.parse(req.query);
    await people.syncDirectory(who.courseId);
    const found = await people.directory(who.courseId, filter);
    await render(res, 'community/people/directory', {
      title: 'People in the learning set',
      people: found.people.map((p) => presentProfile(p, who.userId)),
      about: filter.about ?? '',
      site: filter.site ?? '',
      page: found.page,
      more: found.more,
      query: (page: number) => `/community/people?${new URLSearchParams({ ...(filter.about ? { about: filter.about } : {}), ...(filter.site ? { site: filter.site } : {}), page: String(page) })}`,
    }, '/community');
  }));

  const showProfileForm = async (res: Response, status = 200, error = '', values?: Record<string, unknown>) => {
    const who = member(res);
    const p = (await people.profileOf(who.courseId, who.userId))!;
    res.status(status);
    await render(res, 'community/people/edit', {
      title: `${error ? 'Error: ' : ''}Your profile – learning set`,
      error,
      values: values ?? { site: p.site, interests: p.interests.join(', '), helpWith: p.helpWith.join(', '), about: p.about },
      notice: NOTICES[String(res.req.query.done)] ?? '',
    }, '/community');
  };
  router.get('/me', h(async (_req, res) => showProfileForm(res)));
  router.post('/me', h(async (req, res) => {
    const r = check(profileSchema, req.body);
    if (!r.ok) return showProfileForm(res, 422, r.message, req.body ?? {});
    await people.saveProfile(member(res), r.data);
    res.redirect(303, urlOf(res, `/community/people/${member(res).userId}?done=saved`));
  }));

  router.get('/invitations', h(async (req, res) => {
    const who = member(res);
    const page = directorySchema.parse(req.query).page ?? 1;
    const zone = await zoneOf(who.courseId);
    const { items, more } = await people.invitationsOf(who, page);
    await render(res, 'community/people/invitations', { title: 'Invitations – learning set', items: items.map((i) => presentInvitation(i, who.userId, zone)), page, more }, '/community');
  }));

  const invitationFor = async (res: Response, id: string) => {
    const inv = await people.invitationFor(member(res), id);
    if (!inv) throw hidden();
    return inv;
  };
  router.get('/invitations/:id', h(async (req, res) => {
    const who = member(res);
    const inv = await invitationFor(res, String(req.params.id));
    await render(res, 'community/people/invitation', { title: 'Invitation – learning set', inv: presentInvitation(inv, who.userId, await zoneOf(who.courseId)), zoneLabel: zoneLabel(await zoneOf(who.courseId)), notice: NOTICES[String(req.query.done)] ?? '' }, '/community');
  }));
  router.post('/invitations/:id/answer', h(async (req, res) => {
    const inv = await invitationFor(res, String(req.params.id));
    const { answer } = parse(answerSchema, req.body);
    const outcome = await people.answer(member(res), inv, answer, deps.notify);
    if (outcome === 'forbidden') refuse({ status: 403, message: answer === 'withdraw' ? 'Only the person who sent an invitation can withdraw it.' : 'Only the person invited can answer an invitation.' });
    if (outcome === 'closed') refuse({ status: 409, message: PEOPLE_MESSAGES.notOpen });
    res.redirect(303, urlOf(res, `/community/people/invitations/${inv._id}?done=${outcome}`));
  }));
  router.get('/invitations/:id/ics', h(async (req, res) => {
    const inv = await invitationFor(res, String(req.params.id));
    if (!inv.meetingStartsAt || !inv.meetingEndsAt || inv.state === 'declined' || inv.state === 'withdrawn') throw hidden();
    sendIcs(res, 'learning-set-meeting.ics', icsOf([{
      uid: `invitation-${inv._id}`,
      title: `Meeting: ${inv.fromName} and ${inv.toName}`,
      startsAt: inv.meetingStartsAt,
      endsAt: inv.meetingEndsAt,
      location: inv.meetingPlace,
      description: inv.message,
      organiser: inv.fromName,
    }], 'Learning set'));
  }));

  /** Someone in the set, by the id the directory links to; another course's person is "not found". */
  const personFor = async (res: Response, userId: string) => {
    const p = await people.profileOf(member(res).courseId, userId);
    if (!p) throw hidden();
    return p;
  };
  const showPerson = async (res: Response, p: ProfileDoc, status = 200, error = '', values: Record<string, unknown> = {}) => {
    const who = member(res);
    res.status(status);
    await render(res, 'community/people/person', {
      title: `${error ? 'Error: ' : ''}${p.name} – learning set`,
      person: presentProfile(p, who.userId),
      zoneLabel: zoneLabel(await zoneOf(who.courseId)),
      notice: NOTICES[String(res.req.query.done)] ?? '',
      error,
      values,
    }, '/community');
  };
  router.get('/:userId', h(async (req, res) => showPerson(res, await personFor(res, String(req.params.userId)))));

  router.post('/:userId/invite', deps.postingLimit, h(async (req, res) => {
    const who = member(res);
    const to = await personFor(res, String(req.params.userId));
    if (to.userId === who.userId) return showPerson(res, to, 422, PEOPLE_MESSAGES.self, req.body ?? {});
    const r = check(invitationSchema, req.body);
    if (!r.ok) return showPerson(res, to, 422, r.message, req.body ?? {});
    let meeting: { startsAt: Date; endsAt: Date; place: string } | undefined;
    if (r.data.kind === 'meeting') {
      const when = instantsOf(r.data, await zoneOf(who.courseId), deps.clock());
      if ('error' in when) return showPerson(res, to, 422, when.error, req.body ?? {});
      meeting = { ...when, place: r.data.place };
    }
    const inv = await people.invite(who, to, { message: r.data.message, meeting }, deps.notify);
    res.redirect(303, urlOf(res, `/community/people/invitations/${inv._id}?done=invited`));
  }));

  return router;
}
