import { modelOnce } from '../db/model';
import { Schema, Types, type Model } from 'mongoose';

export const POST_KINDS = ['practice', 'question'] as const;
export type PostKind = (typeof POST_KINDS)[number];

/** One report of a post by a member: the coordinator sees how many and why. */
const reportSchema = new Schema({ userId: { type: String, required: true }, reason: { type: String, default: '' }, at: { type: Date, required: true } }, { _id: false });

/**
 * A post in a course's space. `body` is sanitised HTML (practice: what I tried / what happened / what I learned
 * as three parts; a question: one part). A removed post is kept out of every list and page (removedAt set).
 */
export interface PostDoc {
  _id: Types.ObjectId;
  courseId: string;
  authorId: string;
  authorName: string;
  kind: PostKind;
  title: string;
  tried: string;
  happened: string;
  learned: string;
  body: string;
  tags: string[];
  /** Title, parts and tags as plain words: what the text index (MongoDB or the embedded engine) searches. */
  plain: string;
  pinned: boolean;
  hidden: boolean;
  removedAt: Date | null;
  reports: Array<{ userId: string; reason: string; at: Date }>;
  replyCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const postSchema = new Schema<PostDoc>(
  {
    courseId: { type: String, required: true },
    authorId: { type: String, required: true },
    authorName: { type: String, required: true },
    kind: { type: String, enum: POST_KINDS, required: true },
    title: { type: String, required: true },
    tried: { type: String, default: '' },
    happened: { type: String, default: '' },
    learned: { type: String, default: '' },
    body: { type: String, default: '' },
    tags: { type: [String], default: [] },
    plain: { type: String, default: '' },
    pinned: { type: Boolean, default: false },
    hidden: { type: Boolean, default: false },
    removedAt: { type: Date, default: null },
    reports: { type: [reportSchema], default: [] },
    replyCount: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'community_posts' },
);
// The keyset page: newest first, (createdAt, _id) breaks ties, so page 1 of 5,000 posts reads one page of the index.
postSchema.index({ courseId: 1, createdAt: -1, _id: -1 });
postSchema.index({ courseId: 1, pinned: 1 });
postSchema.index({ courseId: 1, tags: 1 });
postSchema.index({ title: 'text', plain: 'text', tags: 'text' }, { name: 'community_post_search', default_language: 'english' });

/** A reply to a post, sanitised HTML like the post. */
export interface ReplyDoc {
  _id: Types.ObjectId;
  postId: Types.ObjectId;
  courseId: string;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: Date;
}
const replySchema = new Schema<ReplyDoc>(
  {
    postId: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: String, required: true },
    authorId: { type: String, required: true },
    authorName: { type: String, required: true },
    body: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'community_replies' },
);
replySchema.index({ postId: 1, createdAt: 1 });

export const Post: Model<PostDoc> = modelOnce<PostDoc>('CommunityPost', postSchema);
export const Reply: Model<ReplyDoc> = modelOnce<ReplyDoc>('CommunityReply', replySchema);

/**
 * A resource shared with the set: a link, or an item of the sharer's evidence library (files are uploaded there,
 * under the library's type, size and quota rules, and read through its download route by the rule in policy.ts).
 */
export interface ResourceDoc {
  _id: Types.ObjectId;
  courseId: string;
  sharedBy: string;
  sharedByName: string;
  kind: 'link' | 'evidence';
  title: string;
  description: string;
  url: string;
  evidenceId: string;
  tags: string[];
  plain: string;
  removedAt: Date | null;
  createdAt: Date;
}
const resourceSchema = new Schema<ResourceDoc>(
  {
    courseId: { type: String, required: true },
    sharedBy: { type: String, required: true },
    sharedByName: { type: String, required: true },
    kind: { type: String, enum: ['link', 'evidence'], required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    url: { type: String, default: '' },
    evidenceId: { type: String, default: '' },
    tags: { type: [String], default: [] },
    plain: { type: String, default: '' },
    removedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'community_resources' },
);
resourceSchema.index({ courseId: 1, createdAt: -1, _id: -1 });
resourceSchema.index({ courseId: 1, evidenceId: 1 });
resourceSchema.index({ title: 'text', plain: 'text', tags: 'text' }, { name: 'community_resource_search', default_language: 'english' });
export const Resource: Model<ResourceDoc> = modelOnce<ResourceDoc>('CommunityResource', resourceSchema);

/** What a person follows in their course's space: one post (postId), or every new post (postId ''). */
export interface FollowDoc {
  _id: Types.ObjectId;
  courseId: string;
  userId: string;
  postId: string;
}
const followSchema = new Schema<FollowDoc>({
  courseId: { type: String, required: true },
  userId: { type: String, required: true },
  postId: { type: String, default: '' },
});
followSchema.index({ courseId: 1, postId: 1, userId: 1 }, { unique: true });
export const Follow: Model<FollowDoc> = modelOnce<FollowDoc>('CommunityFollow', followSchema);
