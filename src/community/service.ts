import { Types } from 'mongoose';
import { canChangeEvidence, findEvidence } from '../portfolio';
import { notify, type NotifyOptions } from '../notifications';
import { Follow, Post, Reply, Resource, type FollowDoc, type PostDoc, type ReplyDoc, type ResourceDoc } from './models';
import { canModerate, canReadPost, type Asker } from './policy';
import { plainOf, type Cursor, type ModerateAction, type PostInput } from './schema';

export const PAGE_SIZE = 20;

export interface Member extends Asker {
  name: string;
}

/** What a person may see of the course's posts: not removed, and hidden ones only if theirs (or to the coordinator). */
function visibleTo(who: Asker): Record<string, unknown> {
  const base: Record<string, unknown> = { courseId: who.courseId, removedAt: null };
  return canModerate(who) ? base : { ...base, $or: [{ hidden: false }, { authorId: who.userId }] };
}

/** One page of posts, newest first, after `cursor` (keyset on createdAt, _id: the same cost on any page). */
export async function listPosts(who: Asker, cursor?: Cursor): Promise<{ posts: PostDoc[]; pinned: PostDoc[]; next?: PostDoc }> {
  const filter: Record<string, unknown> = visibleTo(who);
  if (cursor) {
    const after = { $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: new Types.ObjectId(cursor.id) } }] };
    filter.$and = [after];
  }
  const [rows, pinned] = await Promise.all([
    Post.find(filter).sort({ createdAt: -1, _id: -1 }).limit(PAGE_SIZE + 1).lean<PostDoc[]>(),
    cursor ? Promise.resolve([] as PostDoc[]) : Post.find({ ...visibleTo(who), pinned: true }).sort({ createdAt: -1 }).limit(10).lean<PostDoc[]>(),
  ]);
  const posts = rows.slice(0, PAGE_SIZE);
  return { posts, pinned, next: rows.length > PAGE_SIZE ? posts[posts.length - 1] : undefined };
}

/** Posts found by words ($text, served by MongoDB and the embedded engine alike) and/or a tag, newest first. */
export async function searchPosts(who: Asker, search: { q?: string; tag?: string }): Promise<PostDoc[]> {
  if (!search.q && !search.tag) return [];
  const filter: Record<string, unknown> = visibleTo(who);
  if (search.q) filter.$text = { $search: search.q };
  if (search.tag) filter.tags = search.tag.toLowerCase();
  return Post.find(filter).sort({ createdAt: -1, _id: -1 }).limit(PAGE_SIZE).lean<PostDoc[]>();
}

export async function createPost(who: Member, input: PostInput): Promise<PostDoc> {
  const post = await Post.create({ ...input, plain: plainOf(input), courseId: who.courseId, authorId: who.userId, authorName: who.name });
  return post.toObject() as PostDoc;
}

/** The post if this person may read it; null otherwise (another course's, removed, hidden from them, or no such id). */
export async function readablePost(who: Asker, id: string): Promise<PostDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const post = await Post.findOne({ _id: id, courseId: who.courseId }).lean<PostDoc>();
  return post && canReadPost(who, post) ? post : null;
}

export async function repliesTo(post: PostDoc): Promise<ReplyDoc[]> {
  return Reply.find({ postId: post._id }).sort({ createdAt: 1 }).limit(500).lean<ReplyDoc[]>();
}

export async function addReply(who: Member, post: PostDoc, body: string): Promise<ReplyDoc> {
  const reply = await Reply.create({ postId: post._id, courseId: post.courseId, authorId: who.userId, authorName: who.name, body });
  await Post.updateOne({ _id: post._id }, { $inc: { replyCount: 1 } });
  return reply.toObject() as ReplyDoc;
}

/** One report per person per post: reporting again changes nothing. */
export async function reportPost(who: Asker, post: PostDoc, reason: string): Promise<boolean> {
  const r = await Post.updateOne({ _id: post._id, 'reports.userId': { $ne: who.userId } }, { $push: { reports: { userId: who.userId, reason, at: new Date() } } });
  return r.modifiedCount > 0;
}

const CHANGES: Record<ModerateAction, Record<string, unknown>> = {
  pin: { pinned: true },
  unpin: { pinned: false },
  hide: { hidden: true },
  unhide: { hidden: false },
  remove: { removedAt: new Date(0) }, // replaced by now below
};

export async function moderate(post: PostDoc, action: ModerateAction): Promise<void> {
  const change = action === 'remove' ? { removedAt: new Date() } : CHANGES[action];
  await Post.updateOne({ _id: post._id }, { $set: change });
}

/** One page of the course's resources, newest first (keyset, like posts). */
export async function listResources(who: Asker, cursor?: Cursor): Promise<{ items: ResourceDoc[]; next?: ResourceDoc }> {
  const filter: Record<string, unknown> = { courseId: who.courseId, removedAt: null };
  if (cursor) filter.$or = [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: new Types.ObjectId(cursor.id) } }];
  const rows = await Resource.find(filter).sort({ createdAt: -1, _id: -1 }).limit(PAGE_SIZE + 1).lean<ResourceDoc[]>();
  const items = rows.slice(0, PAGE_SIZE);
  return { items, next: rows.length > PAGE_SIZE ? items[items.length - 1] : undefined };
}

export async function searchResources(who: Asker, search: { q?: string; tag?: string }): Promise<ResourceDoc[]> {
  if (!search.q && !search.tag) return [];
  const filter: Record<string, unknown> = { courseId: who.courseId, removedAt: null };
  if (search.q) filter.$text = { $search: search.q };
  if (search.tag) filter.tags = search.tag.toLowerCase();
  return Resource.find(filter).sort({ createdAt: -1, _id: -1 }).limit(PAGE_SIZE).lean<ResourceDoc[]>();
}

interface ResourceInput { title: string; description: string; tags: string[] }
const resourcePlain = (r: ResourceInput) => [r.title, r.description, r.tags.join(' ')].filter(Boolean).join('\n');

export async function shareLink(who: Member, input: ResourceInput & { url: string }): Promise<ResourceDoc> {
  const doc = await Resource.create({ ...input, kind: 'link', plain: resourcePlain(input), courseId: who.courseId, sharedBy: who.userId, sharedByName: who.name });
  return doc.toObject() as ResourceDoc;
}

/** Shares an item of the person's own evidence library in this course; anything else is refused as not found. */
export async function shareEvidence(who: Member, input: ResourceInput & { evidenceId: string }): Promise<ResourceDoc | null> {
  const item = await findEvidence(input.evidenceId);
  if (!item || !canChangeEvidence(who, item)) return null;
  const doc = await Resource.create({ ...input, kind: 'evidence', plain: resourcePlain(input), courseId: who.courseId, sharedBy: who.userId, sharedByName: who.name });
  return doc.toObject() as ResourceDoc;
}

/** The sharer or the coordinator takes a resource down; returns false when it is not theirs to remove. */
export async function removeResource(who: Asker, id: string): Promise<'removed' | 'not_found' | 'forbidden'> {
  if (!Types.ObjectId.isValid(id)) return 'not_found';
  const r = await Resource.findOne({ _id: id, courseId: who.courseId, removedAt: null }).lean<ResourceDoc>();
  if (!r) return 'not_found';
  if (r.sharedBy !== who.userId && !canModerate(who)) return 'forbidden';
  await Resource.updateOne({ _id: r._id }, { $set: { removedAt: new Date() } });
  return 'removed';
}

/** Follow or stop following one post, or (postId '') every new post in the space. */
export async function setFollow(who: Asker, postId: string, on: boolean): Promise<void> {
  const key = { courseId: who.courseId, userId: who.userId, postId };
  if (on) await Follow.updateOne(key, { $setOnInsert: key }, { upsert: true });
  else await Follow.deleteOne(key);
}

export async function follows(who: Asker, postId: string): Promise<boolean> {
  return (await Follow.countDocuments({ courseId: who.courseId, userId: who.userId, postId })) > 0;
}

/**
 * Tells the followers (of the post, or of the whole space for a new post) through the notifications list and
 * their chosen email (immediate or the morning digest); never the person who wrote it, never about a hidden post.
 */
export async function tellFollowers(options: NotifyOptions, event: { post: PostDoc; actor: Member; replyId?: string }): Promise<number> {
  const { post, actor, replyId } = event;
  if (post.hidden) return 0;
  const targets = await Follow.find({ courseId: post.courseId, postId: replyId ? String(post._id) : '' }).lean<FollowDoc[]>();
  let told = 0;
  for (const f of targets) {
    if (f.userId === actor.userId) continue;
    const created = await notify({
      userId: f.userId,
      courseId: post.courseId,
      kind: 'community',
      text: replyId ? `${actor.name} replied to “${post.title}” in the learning set` : `${actor.name} posted “${post.title}” in the learning set`,
      path: `/community/posts/${post._id}`,
      key: `community:${replyId ?? String(post._id)}:${f.userId}`,
    }, options);
    if (created) told += 1;
  }
  return told;
}
