import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { validationFailed } from '../http/errors';
import type { Who } from '../http/who';
import { navFor } from '../http/nav';
import { roleTable, saveRoleOverrides } from './role-overrides.service';
import { COURSE_APP_ROLES, ROLE_LABELS } from '../people/roles';

const MAX_ROWS = 100;
const asList = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** The form posts key<i> (a role key) and roles<i> (the ticked app roles) for each row. */
function parseChoices(body: unknown): Record<string, string[]> {
  const fields = z.record(z.unknown()).parse(body ?? {});
  const choices: Record<string, string[]> = {};
  for (let i = 0; i < MAX_ROWS; i += 1) {
    const key = z.string().max(200).optional().parse(fields[`key${i}`]);
    if (!key) continue;
    choices[key] = asList.parse(fields[`roles${i}`]);
  }
  return choices;
}

const CHOICES = COURSE_APP_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));

/** /lti/roles: the coordinator's page for what each LTI role means in this course. */
export function rolesPageRouter(): Router {
  const router = Router();
  router.use(requireRole('coordinator'));

  router.get('/', async (req, res, next) => {
    try {
      const who = res.locals.who as Who;
      res.render('lti/roles', {
        title: 'Roles in this course',
        rows: await roleTable(who.courseId),
        choices: CHOICES,
        saved: req.query.saved === '1',
        nav: navFor(who, '/lti/roles', res.locals.url, res.locals.unread),
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/', async (req, res, next) => {
    try {
      const who = res.locals.who as Who;
      const result = await saveRoleOverrides(who.courseId, who.userId, parseChoices(req.body));
      if (!result.ok) throw validationFailed(result.message);
      res.redirect(303, res.locals.url('/lti/roles?saved=1'));
    } catch (err) {
      next(err instanceof z.ZodError ? validationFailed('The form could not be read.') : err);
    }
  });
  return router;
}
