import { z } from 'zod';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError, forbidden, unauthorised } from '../http/errors';
import { MongoRateLimitStore } from '../http/rate-limit-store';
import { check, h, hidden, parse, render, urlOf, whoOf } from '../http/route-kit';
import type { Who } from '../http/who';
import type { NotifyOptions } from '../notifications';
import { calendarRouter } from './calendar/routes';
import { peopleRouter } from './people/routes';
import { canModerate, canUseSpace } from './policy';
import { sharingRouter } from './sharing/routes';
import { presentPost, presentReply, presentResource, presentSpace } from './presenter';
import { cursorOf, cursorSchema, evidenceResourceSchema, linkResourceSchema, moderateSchema, postSchema, replySchema, reportSchema, searchSchema } from './schema';
import * as space from './service';

export interface CommunityDeps {
  /** Notifications and email for followers (boot's notifier). */
  notify?: NotifyOptions;
  /** Posts and replies one person may make per window; tests lower it. */
  postLimit?: { perWindow: number; windowMs: number };
  /** "Now" for the calendar and suggested meetings (no booking in the past); tests move it. */
  clock?: () => Date;
}

const NOTICES: Record<string, string> = {
  posted: 'Your post is in the space.',
  replied: 'Your reply is posted.',
  reported: 'Thank you. The coordinator will look at this post.',
  pin: 'The post is pinned to the top of the space.',
  unpin: 'The post is no longer pinned.',
  hide: 'The post is hidden. Only you and its author can read it now.',
  unhide: 'The post is visible to the set again.',
  remove: 'The post was removed.',
  following: 'You are following this: what is new reaches your notifications and email, as you chose there.',
  unfollowed: 'You no longer follow this.',
  shared: 'The resource is shared with the set.',
  unshared: 'The resource is no longer shared.',
};

const member = (res: Response): space.Member => {
  const who = whoOf(res);
  return { userId: who.userId, courseId: who.courseId, roles: who.roles, name: who.name };
};

/** The post for this person, or the same "not found" whether it is another course's, hidden or never existed. */
async function postFor(req: Request, res: Response) {
  const post = await space.readablePost(member(res), String(req.params.id));
  if (!post) throw hidden();
  return post;
}

export function communityRouter(deps: CommunityDeps = {}): Router {
  const router = express.Router();
  const limit = deps.postLimit ?? { perWindow: 20, windowMs: 10 * 60_000 };
  // Counted per person across every tool instance (the shared store); a refused post stores nothing.
  const postingLimit = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.perWindow,
    store: new MongoRateLimitStore('community-post:'),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) => (res.locals.who as Who).userId,
    handler: (_req, _res, next) => next(new AppError(429, 'too_many', 'You have posted a lot in a short time. Wait a few minutes, then post again.')),
  });

  router.use(express.urlencoded({ extended: false, limit: '100kb' }));
  const members: RequestHandler = (_req, res, next) => {
    const who = res.locals.who as Who | undefined;
    if (!who) return next(unauthorised());
    next(canUseSpace(who) ? undefined : forbidden('The learning set space is for the course’s candidates, mentors and coordinator.'));
  };
  router.use(members);
  const clock = deps.clock ?? (() => new Date());
  router.use('/people', peopleRouter({ notify: deps.notify, postingLimit, member, clock }));
  router.use('/calendar', calendarRouter({ postingLimit, member, clock }));
  router.use('/shared', sharingRouter({ member }));

  router.get('/', h(async (req, res) => {
    const who = member(res);
    const [page, followingSpace] = await Promise.all([space.listPosts(who, cursorSchema.parse(req.query.after)), space.follows(who, '')]);
    await render(res, 'community/space', { followingSpace, title: 'Learning set', ...presentSpace(page, who), notice: NOTICES[String(req.query.done)] ?? '', values: {}, error: '', firstPage: !req.query.after }, '/community');
  }));

  router.get('/search', h(async (req, res) => {
    const who = member(res);
    const search = searchSchema.parse(req.query);
    const [posts, resources] = await Promise.all([space.searchPosts(who, search), space.searchResources(who, search)]);
    await render(res, 'community/search', { title: 'Search the learning set', q: search.q ?? '', tag: search.tag ?? '', searched: Boolean(search.q || search.tag), posts: posts.map((p) => presentPost(p, who)), resources: resources.map((r) => presentResource(r, who)) }, '/community');
  }));

  const showResources = async (req: Request, res: Response, status = 200, error = '', values: Record<string, unknown> = {}) => {
    const who = member(res);
    const page = await space.listResources(who, status === 200 ? cursorSchema.parse(req.query.after) : undefined);
    res.status(status);
    await render(res, 'community/resources', { title: 'Resources – learning set', items: page.items.map((r) => presentResource(r, who)), nextCursor: page.next ? cursorOf(page.next) : '', notice: NOTICES[String(req.query.done)] ?? '', error, values, firstPage: !req.query.after }, '/community');
  };
  router.get('/resources', h(async (req, res) => showResources(req, res)));

  router.post('/resources/links', postingLimit, h(async (req, res) => {
    const r = check(linkResourceSchema, req.body);
    if (!r.ok) return showResources(req, res, 422, r.message, req.body ?? {});
    await space.shareLink(member(res), r.data);
    res.redirect(303, urlOf(res, '/community/resources?done=shared'));
  }));

  router.post('/resources/evidence', postingLimit, h(async (req, res) => {
    const r = check(evidenceResourceSchema, req.body);
    if (!r.ok) return showResources(req, res, 422, r.message, req.body ?? {});
    if (!(await space.shareEvidence(member(res), r.data))) throw hidden(); // not their own library's item
    res.redirect(303, urlOf(res, '/community/resources?done=shared'));
  }));

  router.post('/resources/:id/remove', h(async (req, res) => {
    const outcome = await space.removeResource(member(res), String(req.params.id));
    if (outcome === 'not_found') throw hidden();
    if (outcome === 'forbidden') throw forbidden('Only the person who shared it or the coordinator can remove a resource.');
    res.redirect(303, urlOf(res, '/community/resources?done=unshared'));
  }));

  router.post('/posts', postingLimit, h(async (req, res) => {
    const r = check(postSchema, req.body);
    if (!r.ok) {
      const who = member(res);
      res.status(422);
      return render(res, 'community/space', { followingSpace: await space.follows(who, ''), title: 'Learning set', ...presentSpace(await space.listPosts(who), who), notice: '', values: req.body ?? {}, error: r.message, firstPage: true }, '/community');
    }
    const post = await space.createPost(member(res), r.data);
    await space.setFollow(member(res), String(post._id), true); // the author hears about replies (they can stop)
    if (deps.notify) await space.tellFollowers(deps.notify, { post, actor: member(res) });
    res.redirect(303, urlOf(res, `/community/posts/${post._id}?done=posted`));
  }));

  router.get('/posts/:id', h(async (req, res) => {
    const post = await postFor(req, res);
    const who = member(res);
    const [replies, following] = await Promise.all([space.repliesTo(post), space.follows(who, String(post._id))]);
    await render(res, 'community/post', { following, title: post.title, post: presentPost(post, who), replies: replies.map(presentReply), moderator: canModerate(who), notice: NOTICES[String(req.query.done)] ?? '', error: '' }, '/community');
  }));

  router.post('/posts/:id/replies', postingLimit, h(async (req, res) => {
    const post = await postFor(req, res);
    const { body } = parse(replySchema, req.body);
    const reply = await space.addReply(member(res), post, body);
    if (deps.notify) await space.tellFollowers(deps.notify, { post, actor: member(res), replyId: String(reply._id) });
    res.redirect(303, urlOf(res, `/community/posts/${post._id}?done=replied`));
  }));

  const followSchema = z.object({ follow: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'Choose to follow or not.' }) }) }).passthrough();
  router.post('/follow', h(async (req, res) => {
    const { follow } = parse(followSchema, req.body);
    await space.setFollow(member(res), '', follow === 'yes');
    res.redirect(303, urlOf(res, `/community?done=${follow === 'yes' ? 'following' : 'unfollowed'}`));
  }));
  router.post('/posts/:id/follow', h(async (req, res) => {
    const post = await postFor(req, res);
    const { follow } = parse(followSchema, req.body);
    await space.setFollow(member(res), String(post._id), follow === 'yes');
    res.redirect(303, urlOf(res, `/community/posts/${post._id}?done=${follow === 'yes' ? 'following' : 'unfollowed'}`));
  }));

  router.post('/posts/:id/report', h(async (req, res) => {
    const post = await postFor(req, res);
    const { reason } = parse(reportSchema, req.body);
    await space.reportPost(member(res), post, reason);
    res.redirect(303, urlOf(res, `/community/posts/${post._id}?done=reported`));
  }));

  router.post('/posts/:id/moderate', h(async (req, res) => {
    const who = member(res);
    if (!canModerate(who)) throw forbidden('Only the coordinator can pin, hide or remove posts.');
    const post = await postFor(req, res);
    const { action } = parse(moderateSchema, req.body);
    await space.moderate(post, action);
    res.redirect(303, urlOf(res, action === 'remove' ? '/community?done=remove' : `/community/posts/${post._id}?done=${action}`));
  }));

  return router;
}
