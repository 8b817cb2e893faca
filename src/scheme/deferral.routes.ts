import { Router, type Response } from 'express';
import { z } from 'zod';
import { h, render, urlOf, whoOf } from '../http/route-kit';
import { coursesICoordinate, deferredPeople, nextCohortOf, setNextCohort } from './deferral.service';

const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const DONE = 'The next cohort’s course is saved. People who deferred move there when they next open CMALT Portfolio in it.';

/** The coordinator's page for deferrals (mounted under /scheme/manage, which checks the coordinator). */
export function nextCohortRouter(): Router {
  const router = Router();

  async function show(res: Response, page: number, status = 200, errors: Record<string, string> = {}, done = '') {
    const who = whoOf(res);
    const [courses, next, people] = await Promise.all([coursesICoordinate(who.courseId, who.userId), nextCohortOf(who.courseId), deferredPeople(who.courseId, page)]);
    const at = (p: number) => urlOf(res, `/scheme/manage/next-cohort?page=${p}`);
    res.status(status);
    await render(res, 'scheme/next-cohort', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Deferrals and the next cohort`,
      courses, next, errors, done,
      values: { nextCourseId: next?.id ?? '' },
      people: people.items, total: people.total, page: people.page, pages: people.pages,
      prev: people.page > 1 ? at(people.page - 1) : '',
      nextPage: people.page < people.pages ? at(people.page + 1) : '',
    }, '/scheme/manage');
  }

  router.get('/', h(async (req, res) => show(res, pageSchema.parse(req.query).page, 200, {}, req.query.done === 'saved' ? DONE : '')));

  router.post('/', h(async (req, res) => {
    const who = whoOf(res);
    const r = await setNextCohort(who.courseId, who.userId, typeof req.body?.nextCourseId === 'string' ? req.body.nextCourseId : '');
    if (!r.ok) return show(res, 1, r.status, { nextCourseId: r.message });
    res.redirect(303, urlOf(res, '/scheme/manage/next-cohort?done=saved'));
  }));
  return router;
}
