import { modelOnce as model } from '../db/model';
import { Schema, Types } from 'mongoose';
import type { EvidenceSeen, Paragraph, SectionSnapshot } from './change-view';

/**
 * Who mentors whom in a course. People are kept by their LTI `sub` (the course fixes the issuer), so a
 * coordinator can assign someone on the roster who has not opened the tool yet.
 */
export interface MentorAssignmentDoc {
  _id: Types.ObjectId;
  courseId: string;
  mentorSub: string;
  candidateSub: string;
  assignedBy: string;
  createdAt: Date;
}
const assignmentSchema = new Schema<MentorAssignmentDoc>(
  {
    courseId: { type: String, required: true },
    mentorSub: { type: String, required: true },
    candidateSub: { type: String, required: true },
    assignedBy: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
assignmentSchema.index({ courseId: 1, mentorSub: 1, candidateSub: 1 }, { unique: true });
assignmentSchema.index({ courseId: 1, candidateSub: 1 });

/** Co-mentoring: a candidate lets another candidate in the course read and comment on one section. */
export interface CoMentorShareDoc {
  _id: Types.ObjectId;
  courseId: string;
  section: Types.ObjectId;
  ownerId: string; // the candidate's User _id
  peerId: string; // the invited candidate's User _id
  createdAt: Date;
}
const shareSchema = new Schema<CoMentorShareDoc>(
  {
    courseId: { type: String, required: true },
    section: { type: Schema.Types.ObjectId, required: true },
    ownerId: { type: String, required: true },
    peerId: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
shareSchema.index({ section: 1, peerId: 1 }, { unique: true });
shareSchema.index({ courseId: 1, peerId: 1 });

/** A comment on a section, or on one example of it; replies point at their parent. */
export interface CommentDoc {
  _id: Types.ObjectId;
  section: Types.ObjectId;
  exampleId: string | null;
  parent: Types.ObjectId | null;
  authorId: string;
  body: string; // sanitised HTML
  resolved: boolean;
  resolvedBy: string | null;
  editedAt: Date | null;
  deletedAt: Date | null;
  createdAt: Date;
}
const commentSchema = new Schema<CommentDoc>(
  {
    section: { type: Schema.Types.ObjectId, required: true },
    exampleId: { type: String, default: null },
    parent: { type: Schema.Types.ObjectId, default: null },
    authorId: { type: String, required: true },
    body: { type: String, required: true },
    resolved: { type: Boolean, default: false },
    resolvedBy: { type: String, default: null },
    editedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
commentSchema.index({ section: 1, createdAt: 1 });

/** A mentor's decision on a section, kept as history for both sides. */
export interface MentorReviewDoc {
  _id: Types.ObjectId;
  section: Types.ObjectId;
  portfolio: Types.ObjectId;
  mentorId: string;
  decision: 'meets_criterion' | 'needs_more_work';
  feedback: string; // sanitised HTML
  sectionVersion: number; // the version the mentor decided on
  seen?: SectionSnapshot | null; // what the mentor read when deciding: the base of "changed since your review"
  createdAt: Date;
}
/** A kept snapshot: paragraphs with where they sit, and evidence with its title then. */
const snapshotFields = {
  paragraphs: { type: [{ _id: false, place: String, text: String }], default: undefined },
  evidence: { type: [{ _id: false, id: String, title: String, exampleId: String, place: String }], default: undefined },
};
const reviewSchema = new Schema<MentorReviewDoc>(
  {
    section: { type: Schema.Types.ObjectId, required: true },
    portfolio: { type: Schema.Types.ObjectId, required: true },
    mentorId: { type: String, required: true },
    decision: { type: String, enum: ['meets_criterion', 'needs_more_work'], required: true },
    feedback: { type: String, default: '' },
    sectionVersion: { type: Number, required: true },
    seen: { type: new Schema(snapshotFields, { _id: false }), default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
reviewSchema.index({ section: 1, createdAt: -1 });

/** When a reader last read a section, and what it said then, for "what changed since your last visit". */
export interface SectionVisitDoc {
  _id: Types.ObjectId;
  readerId: string;
  section: Types.ObjectId;
  version: number;
  snapshotText?: string; // visits kept before paragraphs were: the plain text as read
  paragraphs?: Paragraph[];
  evidence?: EvidenceSeen[];
  at: Date;
}
const visitSchema = new Schema<SectionVisitDoc>({
  readerId: { type: String, required: true },
  section: { type: Schema.Types.ObjectId, required: true },
  version: { type: Number, required: true },
  snapshotText: { type: String, default: undefined },
  ...snapshotFields,
  at: { type: Date, required: true },
});
visitSchema.index({ readerId: 1, section: 1 }, { unique: true });

/** When a section last asked for review: the dashboard orders by it, oldest first. */
export interface ReviewRequestDoc {
  _id: Types.ObjectId;
  section: Types.ObjectId;
  portfolio: Types.ObjectId;
  courseId: string;
  candidateId: string;
  since: Date;
  sectionVersion: number;
  open: boolean;
}
const reviewRequestSchema = new Schema<ReviewRequestDoc>({
  section: { type: Schema.Types.ObjectId, required: true },
  portfolio: { type: Schema.Types.ObjectId, required: true },
  courseId: { type: String, required: true },
  candidateId: { type: String, required: true },
  since: { type: Date, required: true },
  sectionVersion: { type: Number, required: true },
  open: { type: Boolean, default: true },
});
reviewRequestSchema.index({ section: 1 }, { unique: true });
reviewRequestSchema.index({ courseId: 1, open: 1, since: 1 });

/** The coordinator's answer to a request for final review (sign-off, or back with a reason). */
export interface FinalReviewDecisionDoc {
  _id: Types.ObjectId;
  portfolio: Types.ObjectId;
  courseId: string;
  coordinatorId: string;
  decision: 'signed_off' | 'sent_back';
  reason: string;
  createdAt: Date;
}
const finalDecisionSchema = new Schema<FinalReviewDecisionDoc>(
  {
    portfolio: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: String, required: true },
    coordinatorId: { type: String, required: true },
    decision: { type: String, enum: ['signed_off', 'sent_back'], required: true },
    reason: { type: String, default: '' },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
finalDecisionSchema.index({ portfolio: 1, createdAt: -1 });


export const MentorAssignment = model('MentorAssignment', assignmentSchema);
export const CoMentorShare = model('CoMentorShare', shareSchema);
export const Comment = model('Comment', commentSchema);
export const MentorReview = model('MentorReview', reviewSchema);
export const SectionVisit = model('SectionVisit', visitSchema);
export const ReviewRequest = model('ReviewRequest', reviewRequestSchema);
export const FinalReviewDecision = model('FinalReviewDecision', finalDecisionSchema);
