import { modelOnce } from '../db/model';
import mongoose, { Model } from 'mongoose';

/**
 * The scheme's data for one VLE course (one cohort): its settings, the applications to it, and the
 * single-use links line managers answer. `placesTaken` and `waitingNext` live on the settings document so
 * that accepting and queueing are single-document atomic updates (no transactions, see DESIGN.md).
 */
const settingsSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    cohortName: { type: String, default: '' },
    startsOn: { type: Date, default: null },
    endsOn: { type: Date, default: null },
    places: { type: Number, default: 15 },
    sites: { type: [String], default: [] },
    callOpensAt: { type: Date, default: null },
    callClosesAt: { type: Date, default: null },
    fyStartMonth: { type: Number, default: 4 }, // 1-12; April in UK public bodies
    fundedPerYear: { type: Number, default: 8 },
    feePence: { type: Number, default: 0 },
    timeZone: { type: String, default: 'Europe/London' },
    deadlines: { type: [{ _id: false, label: String, due: Date }], default: [] },
    placesTaken: { type: Number, default: 0 },
    waitingNext: { type: Number, default: 0 },
    retentionMonths: { type: Number, default: 24 }, // a withdrawn portfolio is kept read-only this long, then deleted
  },
  { timestamps: true },
);
settingsSchema.index({ courseId: 1 }, { unique: true });

export const APPLICATION_STATES = ['draft', 'submitted', 'accepted', 'waiting', 'declined', 'withdrawn', 'deferred'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export const SUPPORT_STATES = ['not_asked', 'asked', 'supported', 'not_supported'] as const;
export type SupportState = (typeof SUPPORT_STATES)[number];

const applicationSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    userId: { type: String, required: true },
    name: { type: String, default: '' },
    email: { type: String, default: '' },
    jobTitle: { type: String, default: '' },
    site: { type: String, default: '' },
    pathway: { type: String, default: '' },
    justification: { type: String, default: '' },
    lineManagerName: { type: String, default: '' },
    lineManagerEmail: { type: String, default: '' },
    state: { type: String, enum: APPLICATION_STATES, default: 'draft' },
    submittedAt: { type: Date, default: null },
    support: { type: String, enum: SUPPORT_STATES, default: 'not_asked' },
    supportComment: { type: String, default: '' },
    supportBy: { type: String, enum: ['', 'link', 'coordinator'], default: '' },
    supportAt: { type: Date, default: null },
    waitingRank: { type: Number, default: null },
    reason: { type: String, default: '' }, // why declined, withdrawn or deferred
    decidedAt: { type: Date, default: null },
    offeredFreedPlace: { type: Boolean, default: false },
    portfolioDeletedAt: { type: Date, default: null }, // a withdrawn portfolio deleted at the end of its retention period
  },
  { timestamps: true },
);
applicationSchema.index({ courseId: 1, userId: 1 }, { unique: true });
applicationSchema.index({ courseId: 1, state: 1, waitingRank: 1 });

/** A line manager's link: only its hash is stored; `usedAt` makes it single-use with one conditional update. */
const supportLinkSchema = new mongoose.Schema({
  applicationId: { type: String, required: true },
  tokenHash: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
  createdAt: { type: Date, default: () => new Date() },
});
supportLinkSchema.index({ tokenHash: 1 }, { unique: true });

/** Emails to people who may have no account (line managers) or to applicants: written first, sent by the worker. */
const schemeEmailSchema = new mongoose.Schema({
  to: { type: String, required: true },
  subject: { type: String, required: true },
  text: { type: String, required: true },
  status: { type: String, enum: ['pending', 'sent', 'failed'], default: 'pending' },
  attempts: { type: Number, default: 0 },
  leaseUntil: { type: Date, default: null },
  createdAt: { type: Date, default: () => new Date() },
  key: { type: String }, // when given, the email is queued once for it, however often it is asked for
});
schemeEmailSchema.index({ status: 1, createdAt: 1 });
schemeEmailSchema.index({ key: 1 }, { unique: true, partialFilterExpression: { key: { $type: 'string' } } });

type Id = { _id: mongoose.Types.ObjectId };
export interface SchemeSettingsFields {
  courseId: string;
  cohortName: string;
  startsOn: Date | null;
  endsOn: Date | null;
  places: number;
  sites: string[];
  callOpensAt: Date | null;
  callClosesAt: Date | null;
  fyStartMonth: number;
  fundedPerYear: number;
  feePence: number;
  timeZone: string;
  deadlines: Array<{ label: string; due: Date | null }>;
  placesTaken: number;
  waitingNext: number;
  retentionMonths: number;
}
export interface ApplicationFields {
  courseId: string;
  userId: string;
  name: string;
  email: string;
  jobTitle: string;
  site: string;
  pathway: string;
  justification: string;
  lineManagerName: string;
  lineManagerEmail: string;
  state: ApplicationState;
  submittedAt: Date | null;
  support: SupportState;
  supportComment: string;
  supportBy: '' | 'link' | 'coordinator';
  supportAt: Date | null;
  waitingRank: number | null;
  reason: string;
  decidedAt: Date | null;
  offeredFreedPlace: boolean;
  portfolioDeletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
export interface SupportLinkFields {
  applicationId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}
export interface SchemeEmailFields {
  to: string;
  subject: string;
  text: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  leaseUntil: Date | null;
  createdAt: Date;
  key?: string;
}
export type SchemeSettingsDoc = SchemeSettingsFields & Id;
export type ApplicationDoc = ApplicationFields & Id;
export type SupportLinkDoc = SupportLinkFields & Id;

export const SchemeSettings: Model<SchemeSettingsFields> =
  modelOnce<SchemeSettingsFields>('SchemeSettings', settingsSchema);
export const Application: Model<ApplicationFields> =
  modelOnce<ApplicationFields>('SchemeApplication', applicationSchema);
export const SupportLink: Model<SupportLinkFields> =
  modelOnce<SupportLinkFields>('SchemeSupportLink', supportLinkSchema);
export const SchemeEmail: Model<SchemeEmailFields> =
  modelOnce<SchemeEmailFields>('SchemeEmail', schemeEmailSchema);
