import { modelOnce as model } from '../db/model';
import { Schema, Types } from 'mongoose';

/** What the CPD record stores. Everything belongs to one person (User._id, i.e. issuer + sub), never to a course. */

export const ACTIVITY_KINDS = [
  'course', 'event', 'qualification', 'reading', 'mentoring_given', 'mentoring_received',
  'observation', 'standardisation', 'project', 'other',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const TARGET_SOURCES = ['appraisal', 'self_assessment', 'observation', 'work_scrutiny', 'own_need'] as const;
export type TargetSource = (typeof TARGET_SOURCES)[number];

export const RATINGS = ['very_effective', 'effective', 'partly_effective', 'not_effective'] as const;
export type Rating = (typeof RATINGS)[number];


export interface EntryDoc {
  _id: Types.ObjectId;
  ownerId: string;
  title: string;
  kind: ActivityKind;
  startOn: Date;
  endOn: Date;
  hours: number;
  provider: string;
  accredited: boolean;
  cost: number;
  expenseClaimed: boolean;
  reflection: string;
  use: string;
  targetIds: string[];
  mandatoryItem: string;
  evidenceIds: string[];
  submissionId: string | null;
  createdAt?: Date;
}

export interface TargetDoc {
  _id: Types.ObjectId;
  ownerId: string;
  title: string;
  source: TargetSource;
  dueOn: Date;
  planned: string;
  evaluation: { outcome: string; evaluatedAt: Date; ratings: Array<{ entryId: string; rating: Rating; sentence: string }> } | null;
}

export interface SubmissionDoc {
  _id: Types.ObjectId;
  ownerId: string;
  ownerName: string;
  periodStart: Date;
  periodEnd: Date;
  entryIds: string[];
  progress: string;
  reviewer: 'line_manager' | 'coordinator';
  reviewerName: string;
  reviewerEmail: string;
  courseId: string;
  linkNonce: string | null;
  linkExpiresAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string;
  comment: string;
  createdAt?: Date;
}

export interface RecordDoc {
  _id: Types.ObjectId;
  ownerId: string;
  homeCourseId: string;
  courseIds: string[];
  cvText: string;
  skills: string;
  profileUpdatedAt: Date | null;
  certifiedOn: Date | null;
  review: { entryIds: string[]; sections: Record<string, string>; updatedAt: Date } | null;
}

/** One development activity. Fixed once its period is submitted (`submissionId` set): corrections are new entries. */
const entrySchema = new Schema<EntryDoc>(
  {
    ownerId: { type: String, required: true },
    title: { type: String, required: true },
    kind: { type: String, enum: ACTIVITY_KINDS, required: true },
    startOn: { type: Date, required: true },
    endOn: { type: Date, required: true },
    hours: { type: Number, required: true },
    provider: { type: String, default: '' },
    accredited: { type: Boolean, default: false },
    cost: { type: Number, default: 0 },
    expenseClaimed: { type: Boolean, default: false },
    reflection: { type: String, default: '' },
    use: { type: String, default: '' },
    targetIds: { type: [String], default: [] },
    mandatoryItem: { type: String, default: '' },
    evidenceIds: { type: [String], default: [] },
    submissionId: { type: String, default: null },
  },
  { timestamps: true, collection: 'cpd_entries' },
);
entrySchema.index({ ownerId: 1, startOn: -1 });
entrySchema.index({ ownerId: 1, mandatoryItem: 1, endOn: -1 });

/** An improvement target the person is responsible for, and (once evaluated) how effective the development was. */
const targetSchema = new Schema<TargetDoc>(
  {
    ownerId: { type: String, required: true },
    title: { type: String, required: true },
    source: { type: String, enum: TARGET_SOURCES, required: true },
    dueOn: { type: Date, required: true },
    planned: { type: String, default: '' },
    evaluation: { type: Schema.Types.Mixed, default: null }, // { outcome, evaluatedAt, ratings: [{ entryId, rating, sentence }] }, written once
  },
  { timestamps: true, collection: 'cpd_targets' },
);
targetSchema.index({ ownerId: 1, dueOn: 1 });

/**
 * One period's submission to a reviewer: the line manager (by a signed link, `linkNonce` is spent when they
 * acknowledge) or the coordinators of `courseId` inside the VLE.
 */
const submissionSchema = new Schema<SubmissionDoc>(
  {
    ownerId: { type: String, required: true },
    ownerName: { type: String, default: '' },
    periodStart: { type: Date, required: true },
    periodEnd: { type: Date, required: true },
    entryIds: { type: [String], default: [] },
    progress: { type: String, default: '' }, // the person's note on progress and impact
    reviewer: { type: String, enum: ['line_manager', 'coordinator'], required: true },
    reviewerName: { type: String, default: '' },
    reviewerEmail: { type: String, default: '' },
    courseId: { type: String, required: true }, // the course it was submitted from: its coordinators may see its state
    linkNonce: { type: String, default: null },
    linkExpiresAt: { type: Date, default: null },
    acknowledgedAt: { type: Date, default: null },
    acknowledgedBy: { type: String, default: '' },
    comment: { type: String, default: '' },
  },
  { timestamps: true, collection: 'cpd_submissions' },
);
submissionSchema.index({ ownerId: 1, periodStart: 1 }, { unique: true }); // a period is submitted once
submissionSchema.index({ courseId: 1, reviewer: 1, acknowledgedAt: 1 });

/** The person's own page-level data: profile and CV, certification, their review, where reminders go. */
const recordSchema = new Schema<RecordDoc>(
  {
    ownerId: { type: String, required: true },
    homeCourseId: { type: String, default: '' }, // the course they last opened the record from: reminders link there
    courseIds: { type: [String], default: [] }, // every course they opened it from: those coordinators see the matrix
    cvText: { type: String, default: '' },
    skills: { type: String, default: '' },
    profileUpdatedAt: { type: Date, default: null },
    certifiedOn: { type: Date, default: null },
    review: { type: Schema.Types.Mixed, default: null }, // { entryIds, sections: { id: text }, updatedAt }
  },
  { timestamps: true, collection: 'cpd_records' },
);
recordSchema.index({ ownerId: 1 }, { unique: true });
recordSchema.index({ courseIds: 1 });

/** One lease per background job name, so two tool instances never sweep reminders at the same moment. */
const leaseSchema = new Schema<{ name: string; leaseUntil: Date }>({ name: { type: String, required: true }, leaseUntil: { type: Date, required: true } }, { collection: 'cpd_job_leases' });
leaseSchema.index({ name: 1 }, { unique: true });


export const CpdEntry = model<EntryDoc>('CpdEntry', entrySchema);
export const CpdTarget = model<TargetDoc>('CpdTarget', targetSchema);
export const CpdSubmission = model<SubmissionDoc>('CpdSubmission', submissionSchema);
export const CpdRecord = model<RecordDoc>('CpdRecord', recordSchema);
export const CpdJobLease = model<{ name: string; leaseUntil: Date }>('CpdJobLease', leaseSchema);
