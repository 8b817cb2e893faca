import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { h, objectId, refuse, render, urlOf, whoOf } from '../http/route-kit';
import { courseMentors, createGroup, GROUP_MESSAGES, groupIn, groupSchema, listGroups, placeHolders, updateGroup, type GroupRefusal } from './groups.service';
import { fieldErrors } from './scheme.schema';
import { deleteGroup, groupRemovalPreview } from './group-removal.service';

const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });
const DONE: Record<string, string> = {
  created: 'The group is made. Schedule its meetings on the meetings page and choose the group.',
  saved: 'The group is saved.',
  deleted: 'The group is deleted. Its meetings still to come are cancelled and its members told; its past meetings are kept.',
};

type Values = { name: string; mentorId: string; memberIds: string[] };
const posted = (b: Record<string, unknown>): Values => ({
  name: typeof b?.name === 'string' ? b.name.slice(0, 200) : '',
  mentorId: typeof b?.mentorId === 'string' ? b.mentorId : '',
  memberIds: (Array.isArray(b?.memberIds) ? b.memberIds : [b?.memberIds]).filter((v): v is string => typeof v === 'string'),
});
const refusedField = (r: GroupRefusal) => ({ [r.field ?? 'form']: r.message });

/** /scheme/manage/groups: the coordinator's mentor groups (mounted under /scheme/manage, which checks the coordinator). */
export function groupsRouter(deps: { clock?: () => Date } = {}): Router {
  const now = () => (deps.clock ?? (() => new Date()))();
  const router = Router();

  async function choices(courseId: string) {
    const [mentors, people] = await Promise.all([courseMentors(courseId), placeHolders(courseId)]);
    return { mentors, people };
  }

  async function showList(req: Request, res: Response, status = 200, errors: Record<string, string> = {}, values?: Values) {
    const who = whoOf(res);
    const [list, c] = await Promise.all([listGroups(who.courseId, pageSchema.parse(req.query).page), choices(who.courseId)]);
    const names = new Map([...c.mentors, ...c.people].map((p) => [p.userId, p.name]));
    const at = (p: number) => urlOf(res, `/scheme/manage/groups?page=${p}`);
    res.status(status);
    await render(res, 'scheme/groups', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Mentor groups`,
      items: list.items.map((g) => ({ id: String(g._id), name: g.name, mentor: names.get(g.mentorId) ?? 'A former mentor', members: g.memberIds.map((id) => names.get(id) ?? 'Someone who has left the set') })),
      total: list.total, page: list.page, pages: list.pages,
      prev: list.page > 1 ? at(list.page - 1) : '',
      next: list.page < list.pages ? at(list.page + 1) : '',
      ...c,
      values: values ?? { name: '', mentorId: '', memberIds: [] },
      errors,
      done: DONE[String(req.query.done)] ?? '',
    }, '/scheme/manage');
  }

  async function showOne(req: Request, res: Response, status = 200, errors: Record<string, string> = {}, values?: Values) {
    const who = whoOf(res);
    const g = objectId.safeParse(req.params.id).success ? await groupIn(who.courseId, req.params.id) : null;
    if (!g) refuse({ status: 404, message: GROUP_MESSAGES.notFound });
    res.status(status);
    await render(res, 'scheme/group', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}${g.name}`,
      id: String(g._id),
      ...(await choices(who.courseId)),
      values: values ?? { name: g.name, mentorId: g.mentorId, memberIds: g.memberIds },
      errors,
      done: DONE[String(req.query.done)] ?? '',
    }, '/scheme/manage');
  }

  router.get('/', h(async (req, res) => showList(req, res)));
  router.post('/', h(async (req, res) => {
    const parsed = groupSchema.safeParse(req.body ?? {});
    if (!parsed.success) return showList(req, res, 422, fieldErrors(parsed.error), posted(req.body));
    const r = await createGroup(whoOf(res).courseId, parsed.data);
    if (!r.ok) return showList(req, res, r.status, refusedField(r), posted(req.body));
    res.redirect(303, urlOf(res, '/scheme/manage/groups?done=created'));
  }));
  router.get('/:id/delete', h(async (req, res) => {
    const preview = objectId.safeParse(req.params.id).success ? await groupRemovalPreview(whoOf(res).courseId, req.params.id, now()) : null;
    if (!preview) refuse({ status: 404, message: GROUP_MESSAGES.notFound });
    await render(res, 'scheme/group-delete', { title: `Delete ${preview.group.name}?`, id: String(preview.group._id), name: preview.group.name, upcoming: preview.upcoming, past: preview.past }, '/scheme/manage');
  }));
  router.post('/:id/delete', h(async (req, res) => {
    const r = await deleteGroup(whoOf(res).courseId, String(req.params.id), now());
    if (!r.ok) refuse(r);
    res.redirect(303, urlOf(res, '/scheme/manage/groups?done=deleted'));
  }));
  router.get('/:id', h(async (req, res) => showOne(req, res)));
  router.post('/:id', h(async (req, res) => {
    if (!objectId.safeParse(req.params.id).success) refuse({ status: 404, message: GROUP_MESSAGES.notFound });
    const parsed = groupSchema.safeParse(req.body ?? {});
    if (!parsed.success) return showOne(req, res, 422, fieldErrors(parsed.error), posted(req.body));
    const r = await updateGroup(whoOf(res).courseId, req.params.id, parsed.data);
    if (!r.ok) {
      if (r.status === 404) refuse(r);
      return showOne(req, res, r.status, refusedField(r), posted(req.body));
    }
    res.redirect(303, urlOf(res, `/scheme/manage/groups/${req.params.id}?done=saved`));
  }));
  return router;
}
