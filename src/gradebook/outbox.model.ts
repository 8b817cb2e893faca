import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { WantedStanding } from './score';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * What the VLE's gradebook showed when read back after a post: kept (the same score), not_kept (no number:
 * Moodle blanks any score that is not FullyGraded), differs (another number, e.g. overridden in the VLE), or
 * unknown (the VLE would not let us read it back). Never shown as sent when it is not what the VLE holds.
 */
export interface ReadBack {
  state: 'kept' | 'not_kept' | 'differs' | 'unknown';
  resultScore?: number | null;
  resultMaximum?: number | null;
  detail?: string;
  checkedAt: Date;
}

/** What the VLE last received, kept so the coordinator can see it and timestamps only move forward. */
export interface SentScore {
  readBack?: ReadBack | null;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: string;
  gradingProgress: string;
  comment: string;
  timestamp: string;
}

/**
 * One per candidate + course + line item: the newest standing wanted in the VLE and what was sent.
 * Each new standing replaces the wanted one, so only the latest state per candidate ever goes out.
 */
export interface GradeOutboxEntry {
  _id: Types.ObjectId;
  candidateId: string; // our User _id
  courseId: string;
  lineId: string; // GradebookLine _id
  portfolioId: string;
  userSub: string; // the LTI sub the VLE knows the candidate by
  wanted: WantedStanding; // the newest standing to show in the VLE (scaled to the line item when sent)
  wantedVersion: number; // rises by one each time a different standing is wanted in the VLE
  wantedFingerprint: string; // that standing (see score.ts standingFingerprint)
  sentVersion: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseOwner?: string | null;
  leaseUntil?: Date | null;
  claimToken?: string | null; // which claim took it, so a worker reads back only what it won
  lastError?: string | null;
  failedAt?: Date | null;
  lastSentAt?: Date | null;
  lastSent?: SentScore | null;
  createdAt: Date;
  updatedAt: Date;
}

const sentScore = new Schema<SentScore>(
  {
    scoreGiven: Number,
    scoreMaximum: Number,
    activityProgress: String,
    gradingProgress: String,
    comment: String,
    timestamp: String,
    readBack: {
      type: new Schema<ReadBack>(
        { state: String, resultScore: Number, resultMaximum: Number, detail: String, checkedAt: Date },
        { _id: false },
      ),
      default: null,
    },
  },
  { _id: false },
);

const schema = new Schema<GradeOutboxEntry>(
  {
    candidateId: { type: String, required: true },
    courseId: { type: String, required: true },
    lineId: { type: String, required: true },
    portfolioId: { type: String, required: true },
    userSub: { type: String, required: true },
    wanted: { type: new Schema<WantedStanding>({ meeting: Number, required: Number, activityProgress: String, gradingProgress: String }, { _id: false }), required: true },
    wantedVersion: { type: Number, required: true, default: 0 },
    wantedFingerprint: { type: String, default: '' },
    sentVersion: { type: Number, required: true, default: 0 },
    status: { type: String, required: true, enum: ['pending', 'sending', 'sent', 'failed'], default: 'pending' },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true, default: () => new Date() },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    claimToken: { type: String, default: null },
    lastError: { type: String, default: null },
    failedAt: { type: Date, default: null },
    lastSentAt: { type: Date, default: null },
    lastSent: { type: sentScore, default: null },
  },
  { timestamps: true, collection: 'grade_outbox' },
);
schema.index({ candidateId: 1, courseId: 1, lineId: 1 }, { unique: true });
schema.index({ status: 1, nextAttemptAt: 1 });
schema.index({ courseId: 1 });

export function gradeOutboxModel(conn: Connection): Model<GradeOutboxEntry> {
  return (conn.models.GradeOutboxEntry as Model<GradeOutboxEntry>) ?? conn.model<GradeOutboxEntry>('GradeOutboxEntry', schema);
}
