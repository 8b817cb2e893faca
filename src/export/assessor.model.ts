import { modelOnce as model } from '../db/model';
import { Schema, type Types } from 'mongoose';
import type { Book } from './book';

/**
 * A frozen copy of a portfolio, taken when an assessor link is made: its Book, with every cited file
 * copied, so what ALT's assessors read does not change while the candidate keeps working.
 */
export interface FrozenCopyDoc {
  _id: Types.ObjectId;
  courseId: string;
  portfolioId: string;
  book: Book;
  createdAt: Date;
}

const frozenCopySchema = new Schema<FrozenCopyDoc>(
  {
    courseId: { type: String, required: true },
    portfolioId: { type: String, required: true, index: true },
    book: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'frozenPortfolios', minimize: false },
);

/** A read-only link for assessors: only the SHA-256 of its token is kept, and of its access code a salted scrypt. */
export interface AssessorLinkDoc {
  _id: Types.ObjectId;
  courseId: string;
  portfolioId: string;
  candidateId: string;
  tokenHash: string;
  codeHash: string | null; // "salt:hash", or null when no access code is needed
  frozenCopy: Types.ObjectId;
  createdBy: string;
  createdByName: string;
  expiresAt: Date;
  revokedAt: Date | null;
  openings: number;
  createdAt: Date;
}

const assessorLinkSchema = new Schema<AssessorLinkDoc>(
  {
    courseId: { type: String, required: true },
    portfolioId: { type: String, required: true },
    candidateId: { type: String, required: true },
    tokenHash: { type: String, required: true, unique: true },
    codeHash: { type: String, default: null },
    frozenCopy: { type: Schema.Types.ObjectId, required: true },
    createdBy: { type: String, required: true },
    createdByName: { type: String, default: '' },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    openings: { type: Number, default: 0 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'assessorLinks' },
);
assessorLinkSchema.index({ portfolioId: 1, createdAt: -1 });

/** One opening of an assessor link: when, and roughly from where (a network, never a full address). */
export interface AssessorOpeningDoc {
  _id: Types.ObjectId;
  link: Types.ObjectId;
  portfolioId: string;
  network: string;
  browser: string;
  at: Date;
}

const assessorOpeningSchema = new Schema<AssessorOpeningDoc>(
  {
    link: { type: Schema.Types.ObjectId, required: true },
    portfolioId: { type: String, required: true },
    network: { type: String, default: '' },
    browser: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { collection: 'assessorOpenings' },
);
assessorOpeningSchema.index({ link: 1, at: -1 });

export const FrozenCopy = model('FrozenCopy', frozenCopySchema);
export const AssessorLink = model('AssessorLink', assessorLinkSchema);
export const AssessorOpening = model('AssessorOpening', assessorOpeningSchema);
