import mongoose, { Schema, Types } from 'mongoose';

/** A statement asked of a referee who has no VLE account; written once through a signed, expiring link. */
const refereeRequestSchema = new Schema(
  {
    portfolio: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: String, required: true },
    candidateId: { type: String, required: true },
    refereeName: { type: String, required: true },
    relationship: { type: String, default: '' },
    expiresAt: { type: Date, required: true },
    statement: { type: String, default: '' }, // sanitised HTML, from plain text
    receivedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
refereeRequestSchema.index({ portfolio: 1, createdAt: -1 });

export interface RefereeRequestDoc {
  _id: Types.ObjectId;
  portfolio: Types.ObjectId;
  courseId: string;
  candidateId: string;
  refereeName: string;
  relationship: string;
  expiresAt: Date;
  statement: string;
  receivedAt: Date | null;
  createdAt: Date;
}

export const RefereeRequest = mongoose.model('RefereeRequest', refereeRequestSchema);
