import { Types } from 'mongoose';
import { htmlToText, sanitiseRichText, textToHtml } from '../portfolio';
import { EXCERPT_MAX, type NotifyOptions } from '../notifications';
import { Comment, type CommentDoc } from './models';
import { mentorIdsOf, tell } from './notify';
import { canDeleteComment, canEditComment, type Asker } from './policy';
import type { LoadedSection } from './sections.service';

export const COMMENT_MESSAGES = {
  empty: 'Please write your comment before sending it.',
  tooLong: 'Please keep a comment under 5,000 characters.',
  noExample: 'We could not find that example in this section.',
  noThread: 'We could not find the comment you are replying to.',
  noComment: 'We could not find that comment.',
  editWindow: 'You can only edit your own comment in the first 15 minutes after writing it.',
  notYours: 'You can only delete your own comments.',
  deleted: 'This comment was deleted.',
};

export type CommentResult = { ok: true; comment: CommentDoc } | { ok: false; status: number; message: string };

/** Comments are typed as plain text; paragraphs and "- " lists are kept, everything else is escaped. */
export function commentHtml(text: string): string {
  return sanitiseRichText(textToHtml(text));
}

const path = (sectionId: string) => `/mentoring/sections/${sectionId}`;

/** Everyone who should hear about a new comment: the owner, the assigned mentors, and the thread's other writers. */
async function audience(loaded: LoadedSection, authorId: string, threadRoot: CommentDoc | null): Promise<string[]> {
  const people = new Set<string>([loaded.candidate.userId]);
  if (authorId === loaded.candidate.userId) for (const id of await mentorIdsOf(loaded.candidate.courseId, loaded.candidate.sub)) people.add(id);
  if (threadRoot) {
    const writers = await Comment.find({ $or: [{ _id: threadRoot._id }, { parent: threadRoot._id }] }, { authorId: 1 }).lean();
    for (const w of writers) people.add(w.authorId);
  }
  people.delete(authorId);
  return [...people];
}

export async function addComment(
  who: Asker & { name: string },
  loaded: LoadedSection,
  input: { body: string; exampleId?: string; parentId?: string },
  notifyOptions: NotifyOptions,
): Promise<CommentResult> {
  const body = commentHtml(input.body);
  if (!body) return { ok: false, status: 422, message: COMMENT_MESSAGES.empty };
  let root: CommentDoc | null = null;
  let exampleId: string | null = input.exampleId || null;
  if (input.parentId) {
    root = Types.ObjectId.isValid(input.parentId)
      ? ((await Comment.findOne({ _id: input.parentId, section: loaded.section._id, parent: null }).lean()) as CommentDoc | null)
      : null;
    if (!root) return { ok: false, status: 404, message: COMMENT_MESSAGES.noThread };
    exampleId = root.exampleId; // a reply belongs where its thread is
  } else if (exampleId && !loaded.section.examples.some((e) => String(e._id) === exampleId)) {
    return { ok: false, status: 404, message: COMMENT_MESSAGES.noExample };
  }
  const created = (
    await Comment.create({ section: loaded.section._id, exampleId, parent: root?._id ?? null, authorId: who.userId, body })
  ).toObject() as CommentDoc;
  if (root?.resolved) await Comment.updateOne({ _id: root._id }, { $set: { resolved: false, resolvedBy: null } }); // a new reply reopens
  const where = loaded.area.displayTitle;
  await tell(notifyOptions, await audience(loaded, who.userId, root), {
    courseId: loaded.candidate.courseId,
    kind: 'comment',
    text: root ? `${who.name} replied to a comment on ${where}.` : `${who.name} commented on ${where}.`,
    excerpt: excerptOf(body),
    path: path(String(loaded.section._id)),
    key: `comment:${String(created._id)}`,
  });
  return { ok: true, comment: created };
}

/** The comment's words for a notification: plain text on one line, cut at a word near the limit. */
function excerptOf(html: string): string {
  const text = htmlToText(html).replace(/\s+/g, ' ').trim();
  if (text.length <= EXCERPT_MAX) return text;
  const cut = text.slice(0, EXCERPT_MAX - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > EXCERPT_MAX / 2 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

async function findComment(loaded: LoadedSection, commentId: string): Promise<CommentDoc | null> {
  if (!Types.ObjectId.isValid(commentId)) return null;
  return (await Comment.findOne({ _id: commentId, section: loaded.section._id }).lean()) as CommentDoc | null;
}

export async function editComment(who: Asker, loaded: LoadedSection, commentId: string, text: string, now = new Date()): Promise<CommentResult> {
  const comment = await findComment(loaded, commentId);
  if (!comment || comment.deletedAt) return { ok: false, status: 404, message: COMMENT_MESSAGES.noComment };
  if (!canEditComment(who, comment, now)) return { ok: false, status: 403, message: COMMENT_MESSAGES.editWindow };
  const body = commentHtml(text);
  if (!body) return { ok: false, status: 422, message: COMMENT_MESSAGES.empty };
  const updated = (await Comment.findOneAndUpdate(
    { _id: comment._id, authorId: who.userId, deletedAt: null },
    { $set: { body, editedAt: now } },
    { new: true },
  ).lean()) as CommentDoc | null;
  return updated ? { ok: true, comment: updated } : { ok: false, status: 404, message: COMMENT_MESSAGES.noComment };
}

/** Deleting keeps the comment's place in its thread (replies still make sense) but not its words. */
export async function deleteComment(who: Asker, loaded: LoadedSection, commentId: string): Promise<CommentResult> {
  const comment = await findComment(loaded, commentId);
  if (!comment || comment.deletedAt) return { ok: false, status: 404, message: COMMENT_MESSAGES.noComment };
  if (!canDeleteComment(who, comment)) return { ok: false, status: 403, message: COMMENT_MESSAGES.notYours };
  const updated = (await Comment.findOneAndUpdate(
    { _id: comment._id, authorId: who.userId, deletedAt: null },
    { $set: { body: '', deletedAt: new Date() } },
    { new: true },
  ).lean()) as CommentDoc | null;
  return updated ? { ok: true, comment: updated } : { ok: false, status: 404, message: COMMENT_MESSAGES.noComment };
}

/** Either side marks a thread resolved, or reopens it. */
export async function setResolved(who: Asker, loaded: LoadedSection, commentId: string, resolved: boolean): Promise<CommentResult> {
  const comment = await findComment(loaded, commentId);
  if (!comment || comment.parent) return { ok: false, status: 404, message: COMMENT_MESSAGES.noThread };
  const updated = (await Comment.findOneAndUpdate(
    { _id: comment._id },
    { $set: { resolved, resolvedBy: resolved ? who.userId : null } },
    { new: true },
  ).lean()) as CommentDoc | null;
  return { ok: true, comment: updated! };
}

export async function commentsOn(sectionId: Types.ObjectId | string): Promise<CommentDoc[]> {
  return (await Comment.find({ section: sectionId }).sort({ createdAt: 1 }).lean()) as CommentDoc[];
}

/** How many comments (not deleted) each person wrote on a section: for the author's "who looked and what they said". */
export async function commentCountsBy(sectionId: string | Types.ObjectId): Promise<Map<string, number>> {
  const rows = await Comment.find({ section: sectionId, deletedAt: null }, { authorId: 1 }).limit(2000).lean();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.authorId, (counts.get(r.authorId) ?? 0) + 1);
  return counts;
}
