import { modelOnce } from '../db/model';
import mongoose, { Model } from 'mongoose';

/**
 * Funded submissions: one counter per course and financial year (`used`, raised only below the year's number
 * with one conditional update, so two coordinators allocating at once never exceed it), and one record per
 * allocation. `activeKey` is set while an allocation stands, so a candidate holds at most one (unique index).
 */
const fundingYearSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    fy: { type: String, required: true }, // "2026-27": the financial year that starts in 2026
    used: { type: Number, default: 0 },
  },
  { timestamps: true },
);
fundingYearSchema.index({ courseId: 1, fy: 1 }, { unique: true });

const allocationSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    applicationId: { type: String, required: true },
    userId: { type: String, required: true },
    name: { type: String, default: '' },
    site: { type: String, default: '' },
    fy: { type: String, required: true },
    allocatedAt: { type: Date, required: true },
    releasedAt: { type: Date, default: null },
    releaseReason: { type: String, default: '' },
    activeKey: { type: String }, // `${courseId}:${userId}` while the allocation stands
  },
  { timestamps: true },
);
allocationSchema.index({ activeKey: 1 }, { unique: true, partialFilterExpression: { activeKey: { $type: 'string' } } });
allocationSchema.index({ courseId: 1, allocatedAt: -1 });

type Id = { _id: mongoose.Types.ObjectId };
export interface FundingYearFields {
  courseId: string;
  fy: string;
  used: number;
}
export interface FundingAllocationFields {
  courseId: string;
  applicationId: string;
  userId: string;
  name: string;
  site: string;
  fy: string;
  allocatedAt: Date;
  releasedAt: Date | null;
  releaseReason: string;
  activeKey?: string;
  createdAt: Date;
  updatedAt: Date;
}
export type FundingYearDoc = FundingYearFields & Id;
export type FundingAllocationDoc = FundingAllocationFields & Id;

export const FundingYear: Model<FundingYearFields> =
  modelOnce<FundingYearFields>('SchemeFundingYear', fundingYearSchema);
export const FundingAllocation: Model<FundingAllocationFields> =
  modelOnce<FundingAllocationFields>('SchemeFundingAllocation', allocationSchema);
