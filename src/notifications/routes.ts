import express, { Router } from 'express';
import { z } from 'zod';
import { h, objectId, parse, render, urlOf, whoOf } from '../http/route-kit';
import { EMAIL_CHOICES } from './models';
import { emailChoiceOf, markRead, notificationsFor, setEmailChoice } from './service';

const readSchema = z.object({ id: objectId.optional().or(z.literal('all')) }).passthrough();
const prefSchema = z.object({ email: z.enum(EMAIL_CHOICES, { errorMap: () => ({ message: 'Please choose how you would like to hear by email.' }) }) }).passthrough();

const CHOICE_LABELS = {
  immediate: 'Straight away: one email for each thing that needs you',
  digest: 'Once a day: one email each morning listing everything new',
  none: 'No email: I will look in CMALT Portfolio',
};

/** Everyone's own notifications (nobody else's: queries always carry the asker's user and course). */
export function notificationsRouter(options: { emailEnabled: boolean }): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '100kb' }));

  router.get('/', h(async (req, res) => {
    const who = whoOf(res);
    const list = await notificationsFor(who.userId, who.courseId);
    await render(res, 'notifications/list', {
      title: 'Notifications',
      done: typeof req.query.done === 'string' ? req.query.done : '',
      items: list.map((n) => ({ id: String(n._id), text: n.text, href: urlOf(res, n.path), unread: !n.readAt, when: n.createdAt.toLocaleString('en-GB', { timeZone: 'Europe/London' }) })),
    }, '/mentoring/notifications');
  }));

  router.post('/read', h(async (req, res) => {
    const who = whoOf(res);
    const { id } = parse(readSchema, req.body);
    await markRead(who.userId, who.courseId, id && id !== 'all' ? id : undefined);
    res.redirect(303, urlOf(res, '/mentoring/notifications?done=read'));
  }));

  router.get('/preferences', h(async (req, res) => {
    const who = whoOf(res);
    await render(res, 'notifications/preferences', {
      title: 'Email settings',
      choice: await emailChoiceOf(who.userId),
      choices: EMAIL_CHOICES.map((c) => ({ value: c, label: CHOICE_LABELS[c] })),
      emailEnabled: options.emailEnabled,
      hasEmail: Boolean(who.email),
      done: req.query.done === 'saved',
    }, '/mentoring/notifications');
  }));

  router.post('/preferences', h(async (req, res) => {
    const { email } = parse(prefSchema, req.body);
    await setEmailChoice(whoOf(res).userId, email);
    res.redirect(303, urlOf(res, '/mentoring/notifications/preferences?done=saved'));
  }));
  return router;
}
