import { modelOnce } from '../db/model';
import { Schema, type Model, type Types } from 'mongoose';

/**
 * A PDF or website zip being built, or built: one per portfolio, format and fingerprint of the content,
 * so asking again for an unchanged portfolio finds the kept result, and a change asks for a new one.
 * Picked up with a lease (status + leaseUntil), like the grade outbox, so two instances never build one twice.
 */
export const EXPORT_FORMATS = ['pdf', 'zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ExportJobDoc {
  _id: Types.ObjectId;
  portfolioId: string;
  courseId: string;
  format: ExportFormat;
  fingerprint: string;
  status: ExportJobStatus;
  progress: string;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  resultFileId: Types.ObjectId | null;
  resultSize: number;
  error: string;
  requestedBy: string;
  finishedAt: Date | null;
  keepUntil: Date;
  createdAt: Date;
}

const exportJobSchema = new Schema<ExportJobDoc>(
  {
    portfolioId: { type: String, required: true },
    courseId: { type: String, required: true },
    format: { type: String, enum: EXPORT_FORMATS, required: true },
    fingerprint: { type: String, required: true },
    status: { type: String, required: true, default: 'queued' },
    progress: { type: String, default: '' },
    attempts: { type: Number, default: 0 },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    resultFileId: { type: Schema.Types.ObjectId, default: null },
    resultSize: { type: Number, default: 0 },
    error: { type: String, default: '' },
    requestedBy: { type: String, required: true },
    finishedAt: { type: Date, default: null },
    keepUntil: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'exportJobs' },
);
exportJobSchema.index({ portfolioId: 1, format: 1, fingerprint: 1 }, { unique: true });
exportJobSchema.index({ status: 1, leaseUntil: 1 });

export const ExportJob: Model<ExportJobDoc> = modelOnce<ExportJobDoc>('ExportJob', exportJobSchema);
