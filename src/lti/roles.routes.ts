import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../http/access';
import { validationFailed } from '../http/errors';
import { h, render, urlOf, whoOf } from '../http/route-kit';
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

/** A form that is not key<i>/roles<i> pairs is refused with one plain message, and nothing is saved. */
function readChoices(body: unknown): Record<string, string[]> {
  try {
    return parseChoices(body);
  } catch (err) {
    throw err instanceof z.ZodError ? validationFailed('The form could not be read.') : err;
  }
}

const CHOICES = COURSE_APP_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));

/** /lti/roles: the coordinator's page for what each LTI role means in this course. */
export function rolesPageRouter(): Router {
  const router = Router();
  router.use(requireRole('coordinator'));

  router.get('/', h(async (req, res) => {
    const who = whoOf(res);
    await render(res, 'lti/roles', {
      title: 'Roles in this course',
      rows: await roleTable(who.courseId),
      choices: CHOICES,
      saved: req.query.saved === '1',
    }, '/lti/roles');
  }));

  router.post('/', h(async (req, res) => {
    const who = whoOf(res);
    const choices = readChoices(req.body);
    const result = await saveRoleOverrides(who.courseId, who.userId, choices);
    if (!result.ok) throw validationFailed(result.message);
    res.redirect(303, urlOf(res, '/lti/roles?saved=1'));
  }));
  return router;
}
