import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { candidatePeers, isCandidateIn } from '../roster';
import { whenLondon } from '../http/dates';
import { attemptForm } from '../http/form-refusal';
import { markReadByPath, type NotifyOptions } from '../notifications';
import { visitSection, type ChangeBase } from './changes.service';
import { addComment, commentsOn, deleteComment, editComment, setResolved } from './comments.service';
import { h, hidden, objectId, parse, refuse, render, urlOf, whoOf } from '../http/route-kit';
import { canOnSection, canShare, mentors, type SectionAction } from './policy';
import * as present from './presenter';
import { decide, reviewsOf } from './reviews.service';
import { loadSectionById, type LoadedSection } from './sections.service';
import { shareSection, sharesOf, withdrawShare } from './shares.service';

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
/** A form the page refused, shown again at that form with what was typed. */
interface FormProblem {
  form: 'review' | 'comment' | 'reply';
  status: number;
  message: string;
  /** The example a new comment was on ('' for the section). */
  exampleId: string;
  /** The thread a refused reply was for. */
  parentId: string;
  values: { decision: string; feedback: string; body: string };
}

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

  /**
   * The section page. With `problem`, the same page again for a form it refused (status 409 or 422): the message
   * sits at that form, what was typed or chosen is kept, and the visit is not counted again.
   */
  async function showSection(res: Response, loaded: LoadedSection, done: string, problem?: FormProblem): Promise<void> {
    const who = whoOf(res);
    const id = String(loaded.section._id);
    const owner = who.userId === loaded.candidate.userId;
    const isMentor = !owner && (await mentors(who, loaded.candidate));
    // The change view compares with the last visit unless the reader asked for their last review (any other value: the visit).
    const base: ChangeBase = res.req.query.changes === 'review' ? 'review' : 'visit';
    const since = owner || problem ? null : await visitSection(who.userId, loaded.section, base);
    if (!problem) {
      const seen = await markReadByPath(who.userId, `/mentoring/sections/${id}`);
      if (typeof res.locals.unread === 'number') res.locals.unread = Math.max(0, res.locals.unread - seen);
    }
    const threads = await present.threadsPresenter(who, await commentsOn(loaded.section._id));
    // A bounded peer list (or a search by name), never the whole course.
    const peerSearch = typeof res.req.query.peer === 'string' ? res.req.query.peer : '';
    const { peers, more: morePeers } = owner ? await candidatePeers(who.courseId, { except: who.userId, search: peerSearch }) : { peers: [], more: false };
    if (problem) res.status(problem.status);
    await render(res, 'mentoring/section', {
      title: `${problem ? 'Error: ' : ''}${loaded.area.displayTitle} – ${loaded.candidate.name}`,
      s: await present.readerSectionPresenter(loaded, { evidenceLinks: owner || isMentor }),
      threads: Object.fromEntries(threads),
      changes: present.changesPresenter(since, { evidenceLinks: owner || isMentor, hrefOf: (b) => urlOf(res, `/mentoring/sections/${id}?changes=${b}#changes-heading`) }),
      reviews: await present.reviewsPresenter(await reviewsOf(loaded.section._id)),
      canReview: isMentor && (loaded.section.state === 'ready_for_review' || (loaded.section.state === 'meets_criterion' && !!loaded.section.approvedChangedAt)),
      changedSinceApproval: loaded.section.state === 'meets_criterion' && loaded.section.approvedChangedAt ? whenLondon(loaded.section.approvedChangedAt) : '',
      owner,
      isMentor,
      sharing: owner && canShare(who, loaded.candidate) ? { ...(await present.sharesPresenter(await sharesOf(loaded.section._id), peers)), search: peerSearch, more: morePeers } : null,
      done,
      problem: problem ?? null,
    }, isMentor ? '/mentoring' : '/mentoring/peer');
  }

  /** Runs a form's change; a refusal a person can put right comes back as the section page with their input kept. */
  const orShowProblem = (req: Request, res: Response, loaded: LoadedSection, form: FormProblem['form'], change: () => Promise<void>) =>
    attemptForm(req, change, (r) =>
      showSection(res, loaded, '', {
        form,
        status: r.status,
        message: r.message,
        exampleId: r.field('exampleId'),
        parentId: r.field('parentId'),
        values: { decision: r.field('decision'), feedback: r.field('feedback'), body: r.field('body') },
      }),
    );

  router.get('/:id', h(async (req, res) => {
    const loaded = await sectionFor(res, req.params.id, 'read');
    await showSection(res, loaded, typeof req.query.done === 'string' ? req.query.done : '');
  }));

  router.post('/:id/comments', h(async (req, res) => {
    const loaded = await sectionFor(res, req.params.id, 'comment');
    let added = '';
    const ok = await orShowProblem(req, res, loaded, (req.body as { parentId?: unknown }).parentId ? 'reply' : 'comment', async () => {
      const input = parse(commentSchema, req.body);
      const r = await addComment(whoOf(res), loaded, { body: input.body, exampleId: input.exampleId || undefined, parentId: input.parentId || undefined }, notifyOptions);
      if (!r.ok) refuse(r);
      added = String(r.comment._id);
    });
    if (ok) back(res, req.params.id, 'commented', `comment-${added}`);
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
    const ok = await orShowProblem(req, res, loaded, 'review', async () => {
      const input = parse(reviewSchema, req.body);
      const r = await decide(whoOf(res), loaded, input, notifyOptions);
      if (!r.ok) refuse(r);
    });
    if (ok) back(res, req.params.id, 'reviewed', 'reviews-heading');
  }));

  router.post('/:id/shares', h(async (req, res) => {
    const who = whoOf(res);
    const loaded = await sectionFor(res, req.params.id, 'read');
    if (!canShare(who, loaded.candidate)) throw hidden();
    const { peerId } = parse(shareSchema, req.body);
    if (!(await isCandidateIn(who.courseId, peerId))) refuse({ status: 422, message: 'Please choose another candidate in this course.' });
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
