import { Router, type Response } from 'express';
import { z } from 'zod';
import { candidatesAmong, peopleIn } from '../cohort';
import { markReadByPath, type NotifyOptions } from '../notifications';
import { visitSection } from './changes';
import { addComment, commentsOn, deleteComment, editComment, setResolved } from './comments';
import { h, hidden, objectId, parse, refuse, render, urlOf, whoOf } from './http';
import { canOnSection, canShare, mentors, type SectionAction } from './policy';
import * as present from './presenters';
import { decide, reviewsOf } from './reviews';
import { loadSectionById, type LoadedSection } from './sections';
import { shareSection, sharesOf, withdrawShare } from './shares';

const commentSchema = z.object({
  body: z.string({ required_error: 'Please write your comment before sending it.' }).max(5000, 'Please keep a comment under 5,000 characters.'),
  exampleId: objectId.optional().or(z.literal('')),
  parentId: objectId.optional().or(z.literal('')),
}).passthrough();
const editSchema = z.object({ body: z.string({ required_error: 'Please write your comment before saving it.' }).max(5000, 'Please keep a comment under 5,000 characters.') }).passthrough();
const reviewSchema = z.object({
  decision: z.enum(['meets_criterion', 'needs_more_work'], { errorMap: () => ({ message: 'Please choose "meets the criterion" or "needs more work".' }) }),
  feedback: z.string().max(10000, 'Please keep feedback under 10,000 characters.').default(''),
  expectedVersion: z.coerce.number({ invalid_type_error: 'This form is out of date. Please reload the page.' }).int().min(0),
}).passthrough();
const shareSchema = z.object({ peerId: objectId.or(z.literal('')).refine((v) => v !== '', 'Please choose a candidate to invite.') }).passthrough();

/** Reading a candidate's section, commenting, reviewing and co-mentoring: every route asks the policy first. */
export function sectionRoutes(notifyOptions: NotifyOptions): Router {
  const router = Router();

  /** The section, if `who` may do `action` on it; otherwise the same "not found" a wrong id gets. */
  async function sectionFor(res: Response, id: string, action: SectionAction): Promise<LoadedSection> {
    if (!objectId.safeParse(id).success) throw hidden();
    const loaded = await loadSectionById(id);
    if (!loaded || !(await canOnSection(whoOf(res), action, id, loaded.candidate))) throw hidden();
    return loaded;
  }
  const back = (res: Response, id: string, done: string, anchor = '') => res.redirect(303, urlOf(res, `/mentoring/sections/${id}?done=${done}${anchor ? `#${anchor}` : ''}`));

  router.get('/:id', h(async (req, res) => {
    const who = whoOf(res);
    const loaded = await sectionFor(res, req.params.id, 'read');
    const owner = who.userId === loaded.candidate.userId;
    const isMentor = !owner && (await mentors(who, loaded.candidate));
    const since = owner ? null : await visitSection(who.userId, loaded.section);
    await markReadByPath(who.userId, `/mentoring/sections/${req.params.id}`);
    const threads = await present.threadsPresenter(who, await commentsOn(loaded.section._id));
    const peers = owner ? candidatesAmong(await peopleIn(who.courseId)).filter((p) => p.userId !== who.userId) : [];
    await render(res, 'mentoring/section', {
      title: `${loaded.area.displayTitle} – ${loaded.candidate.name}`,
      s: await present.readerSectionPresenter(loaded, { evidenceLinks: owner || isMentor }),
      threads: Object.fromEntries(threads),
      changes: present.changesPresenter(since),
      reviews: await present.reviewsPresenter(await reviewsOf(loaded.section._id)),
      canReview: isMentor && loaded.section.state === 'ready_for_review',
      owner,
      isMentor,
      sharing: owner && canShare(who, loaded.candidate) ? await present.sharesPresenter(await sharesOf(loaded.section._id), peers) : null,
      done: typeof req.query.done === 'string' ? req.query.done : '',
    }, isMentor ? '/mentoring' : '/mentoring/peer');
  }));

  router.post('/:id/comments', h(async (req, res) => {
    const loaded = await sectionFor(res, req.params.id, 'comment');
    const input = parse(commentSchema, req.body);
    const r = await addComment(whoOf(res), loaded, { body: input.body, exampleId: input.exampleId || undefined, parentId: input.parentId || undefined }, notifyOptions);
    if (!r.ok) refuse(r);
    back(res, req.params.id, 'commented', `comment-${String(r.comment._id)}`);
  }));

  router.post('/:id/comments/:commentId/edit', h(async (req, res) => {
    const loaded = await sectionFor(res, req.params.id, 'comment');
    const { body } = parse(editSchema, req.body);
    const r = await editComment(whoOf(res), loaded, req.params.commentId, body);
    if (!r.ok) refuse(r);
    back(res, req.params.id, 'edited', `comment-${req.params.commentId}`);
  }));

  router.post('/:id/comments/:commentId/delete', h(async (req, res) => {
    const loaded = await sectionFor(res, req.params.id, 'comment');
    const r = await deleteComment(whoOf(res), loaded, req.params.commentId);
    if (!r.ok) refuse(r);
    back(res, req.params.id, 'deleted', `comment-${req.params.commentId}`);
  }));

  for (const [path, resolved] of [['resolve', true], ['reopen', false]] as const) {
    router.post(`/:id/comments/:commentId/${path}`, h(async (req, res) => {
      const loaded = await sectionFor(res, req.params.id, 'comment');
      const r = await setResolved(whoOf(res), loaded, req.params.commentId, resolved);
      if (!r.ok) refuse(r);
      back(res, req.params.id, resolved ? 'resolved' : 'reopened', `comment-${req.params.commentId}`);
    }));
  }

  router.post('/:id/review', h(async (req, res) => {
    const loaded = await sectionFor(res, req.params.id, 'review');
    const input = parse(reviewSchema, req.body);
    const r = await decide(whoOf(res), loaded, input, notifyOptions);
    if (!r.ok) refuse(r);
    back(res, req.params.id, 'reviewed', 'reviews-heading');
  }));

  router.post('/:id/shares', h(async (req, res) => {
    const who = whoOf(res);
    const loaded = await sectionFor(res, req.params.id, 'read');
    if (!canShare(who, loaded.candidate)) throw hidden();
    const { peerId } = parse(shareSchema, req.body);
    const peers = candidatesAmong(await peopleIn(who.courseId));
    if (!peers.some((p) => p.userId === peerId)) refuse({ status: 422, message: 'Please choose another candidate in this course.' });
    const r = await shareSection(loaded, who, peerId, notifyOptions);
    if (!r.ok) refuse(r);
    back(res, req.params.id, 'shared', 'sharing-heading');
  }));

  router.post('/:id/shares/:shareId/withdraw', h(async (req, res) => {
    const who = whoOf(res);
    const loaded = await sectionFor(res, req.params.id, 'read');
    if (!canShare(who, loaded.candidate)) throw hidden();
    const r = await withdrawShare(loaded, who.userId, req.params.shareId);
    if (!r.ok) refuse(r);
    back(res, req.params.id, 'withdrawn', 'sharing-heading');
  }));

  return router;
}
