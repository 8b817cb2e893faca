import { whenLondon } from '../http/dates';
import type { PostDoc, ReplyDoc, ResourceDoc } from './models';
import { canModerate, type Asker } from './policy';
import { cursorOf } from './schema';

/** What the space's pages receive: plain objects; `*Html` fields are already sanitised on the way in. */
export interface PostView {
  id: string;
  kind: 'practice' | 'question';
  kindLabel: string;
  title: string;
  authorName: string;
  when: string;
  triedHtml: string;
  happenedHtml: string;
  learnedHtml: string;
  bodyHtml: string;
  tags: string[];
  pinned: boolean;
  hidden: boolean;
  replyCount: number;
  reportCount: number;
  mine: boolean;
}

export function presentPost(post: PostDoc, who: Asker): PostView {
  return {
    id: String(post._id),
    kind: post.kind,
    kindLabel: post.kind === 'question' ? 'Question' : 'Practice',
    title: post.title,
    authorName: post.authorName,
    when: whenLondon(post.createdAt),
    triedHtml: post.tried,
    happenedHtml: post.happened,
    learnedHtml: post.learned,
    bodyHtml: post.body,
    tags: post.tags ?? [],
    pinned: post.pinned,
    hidden: post.hidden,
    replyCount: post.replyCount,
    // how many reports only the coordinator is told; nobody is told who reported
    reportCount: canModerate(who) ? post.reports.length : 0,
    mine: post.authorId === who.userId,
  };
}

export const presentReply = (r: ReplyDoc) => ({ id: String(r._id), authorName: r.authorName, when: whenLondon(r.createdAt), bodyHtml: r.body });

export function presentSpace(page: { posts: PostDoc[]; pinned: PostDoc[]; next?: PostDoc }, who: Asker) {
  return {
    posts: page.posts.map((p) => presentPost(p, who)),
    pinned: page.pinned.map((p) => presentPost(p, who)),
    nextCursor: page.next ? cursorOf(page.next) : '',
    moderator: canModerate(who),
  };
}

export function presentResource(r: ResourceDoc, who: Asker) {
  return {
    id: String(r._id),
    title: r.title,
    description: r.description,
    tags: r.tags ?? [],
    sharedByName: r.sharedByName,
    when: whenLondon(r.createdAt),
    // a link goes out as typed (http/https only, checked on the way in); a library item opens through the evidence pages
    href: r.kind === 'link' ? r.url : `/portfolio/evidence/${r.evidenceId}`,
    external: r.kind === 'link',
    canRemove: r.sharedBy === who.userId || canModerate(who),
  };
}
