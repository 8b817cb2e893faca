import express, { type Response } from 'express';
import { z } from 'zod';
import { whenLondon } from '../../http/dates';
import { h, hidden, objectId, parse, refuse, render, urlOf } from '../../http/route-kit';
import type { Member } from '../service';
import * as sharing from './service';

const NOTICES: Record<string, string> = {
  shared: 'The section is shared with the learning set. Everyone in the set can read it and comment; nobody else can change it.',
  stopped: 'The section is no longer shared with the set.',
};
const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined) });
const shareSchema = z.object({ sectionId: objectId.or(z.literal('')).refine((v) => v !== '', sharing.SHARING_MESSAGES.choose) }).passthrough();

/** Whole-set sharing of a portfolio section: the list, the candidate's share and stop, who read and commented. */
export function sharingRouter(deps: { member: (res: Response) => Member }): express.Router {
  const router = express.Router();
  const { member } = deps;

  router.get('/', h(async (req, res) => {
    const who = member(res);
    const page = pageSchema.parse(req.query).page ?? 1;
    const candidate = who.roles.includes('candidate');
    const [list, mine, own] = await Promise.all([
      sharing.sharedInSet(who.courseId, page),
      candidate ? sharing.mySharesWithReaders(who) : Promise.resolve([]),
      candidate ? sharing.ownSections(who) : Promise.resolve([]),
    ]);
    const names = await sharing.readerNames(mine.flatMap((m) => m.readers.map((r) => r.readerId)));
    const sharedIds = new Set(mine.map((m) => m.share.sectionId));
    await render(res, 'community/shared', {
      title: 'Sections shared with the set – learning set',
      items: list.items.map((s) => ({ id: String(s._id), sectionId: s.sectionId, areaTitle: s.areaTitle, ownerName: s.ownerName, when: whenLondon(s.createdAt), mine: s.ownerId === who.userId })),
      page,
      more: list.more,
      candidate,
      choices: own.filter((s) => !sharedIds.has(s.sectionId)),
      mine: mine.map((m) => ({
        id: String(m.share._id),
        sectionId: m.share.sectionId,
        areaTitle: m.share.areaTitle,
        readers: m.readers.map((r) => ({ name: names.get(r.readerId) ?? 'Someone who has left the course', when: whenLondon(r.at), comments: r.comments })),
      })),
      notice: NOTICES[String(req.query.done)] ?? '',
    }, '/community');
  }));

  router.post('/', h(async (req, res) => {
    const { sectionId } = parse(shareSchema, req.body);
    const r = await sharing.shareWithSet(member(res), sectionId);
    if (!r.ok) refuse(r);
    res.redirect(303, urlOf(res, '/community/shared?done=shared'));
  }));

  router.post('/:id/stop', h(async (req, res) => {
    if ((await sharing.stopSharing(member(res), String(req.params.id))) === 'not_found') throw hidden();
    res.redirect(303, urlOf(res, '/community/shared?done=stopped'));
  }));

  return router;
}
