import { modelOnce } from '../../db/model';
import { Schema, type Model, type Types } from 'mongoose';

/**
 * A read-only report link a coordinator gives their manager (no VLE account). Only the token's hash is kept:
 * whoever reads the database cannot open a report with it.
 */
export interface ReportLinkFields {
  courseId: string; // the course the coordinator made it in: only that course's coordinators list and revoke it
  issuer: string; // the VLE: "all cohorts" never reaches past it
  createdBy: string; // the coordinator's user id: "all cohorts" means the cohorts they coordinate
  createdByName: string;
  label: string; // who it is for, as the coordinator wrote it
  scope: 'course' | 'all';
  tokenHash: string;
  expiresAt: Date;
  revokedAt: Date | null;
  lastOpenedAt: Date | null;
  createdAt: Date;
}
export type ReportLinkDoc = ReportLinkFields & { _id: Types.ObjectId };

const reportLinkSchema = new Schema<ReportLinkFields>({
  courseId: { type: String, required: true, index: true },
  issuer: { type: String, required: true },
  createdBy: { type: String, required: true },
  createdByName: { type: String, default: '' },
  label: { type: String, required: true, maxlength: 120 },
  scope: { type: String, enum: ['course', 'all'], required: true },
  tokenHash: { type: String, required: true, unique: true },
  expiresAt: { type: Date, required: true },
  revokedAt: { type: Date, default: null },
  lastOpenedAt: { type: Date, default: null },
  createdAt: { type: Date, required: true },
});

export const ReportLink: Model<ReportLinkFields> =
  modelOnce<ReportLinkFields>('SchemeReportLink', reportLinkSchema);
