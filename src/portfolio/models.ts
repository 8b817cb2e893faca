import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * One submission to ALT and its outcome, recorded by the candidate or the coordinator (rules in
 * src/export/submission.service.ts). Kept in the portfolio document so a record is one atomic update.
 */
export const ALT_KINDS = ['first', 'review', 'referral'] as const;
export const ALT_OUTCOMES = ['pending', 'pass', 'referral'] as const;
const altRoundSchema = new Schema(
  {
    kind: { type: String, enum: ALT_KINDS, required: true },
    route: { type: String, enum: ['url', 'file'], required: true },
    submittedOn: { type: Date, required: true },
    recordedBy: { type: String, required: true },
    outcome: { type: String, enum: ALT_OUTCOMES, default: 'pending' },
    decidedOn: { type: Date, default: null },
    certifiedOn: { type: Date, default: null },
    feedback: { type: String, default: '' },
    reopenedAreas: { type: [String], default: [] },
  },
  { _id: false },
);

/** A candidate's portfolio in one course; it keeps the framework version it began with. */
const portfolioSchema = new Schema(
  {
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    frameworkId: { type: String, required: true },
    frameworkVersion: { type: Number, required: true },
    pathway: { type: String, required: true },
    specialistAreas: { type: [String], default: [] }, // the first chosen set's names, kept for older readers; areaNames rules
    /** The names the candidate gave the areas they chose (specialist areas, an advanced area), by area id. */
    areaNames: { type: [{ _id: false, areaId: { type: String, required: true }, name: { type: String, required: true } }], default: undefined },
    /** Set while a move to a newer framework version runs, so two requests never move the same text twice. */
    migratingSince: { type: Date, default: null },
    /** Each move to a newer framework version, with what moved, so the candidate can be told. */
    migrations: {
      type: [
        {
          _id: false,
          from: Number,
          to: Number,
          at: Date,
          notice: String,
          moved: { type: [String], default: [] },
          seen: { type: Boolean, default: false },
        },
      ],
      default: undefined,
    },
    submittedAt: { type: Date, default: null },
    signedOffAt: { type: Date, default: null },
    altRounds: { type: [altRoundSchema], default: [] },
    // Set when an approved section of a signed-off portfolio is edited; the sign-off stands (see docs/decisions.md (“Writing without losing a word”)).
    changedAfterSignOffAt: { type: Date, default: null },
  },
  { timestamps: true },
);
portfolioSchema.index({ userId: 1, courseId: 1 }, { unique: true });

export const SECTION_STATES = ['not_started', 'draft', 'ready_for_review', 'needs_more_work', 'meets_criterion'] as const;
export type SectionState = (typeof SECTION_STATES)[number];

const exampleSchema = new Schema({
  title: { type: String, default: '' },
  tags: {
    role: { type: String, default: '' },
    project: { type: String, default: '' },
    year: { type: String, default: '' },
  },
  description: { type: String, default: '' }, // sanitised HTML
  reflection: { type: String, default: '' }, // sanitised HTML
  evidenceIds: { type: [Schema.Types.ObjectId], default: [] },
  // Rises on every change to this example, so saves to different examples never conflict.
  version: { type: Number, default: 0 },
  /** The framework's dimensions this example evidences (a PSF case study tagged K4). */
  dimensions: { type: [String], default: undefined },
});

/** One framework area of one portfolio. `version` rises by one on every save (optimistic concurrency). */
const sectionSchema = new Schema(
  {
    portfolio: { type: Schema.Types.ObjectId, ref: 'Portfolio', required: true },
    areaId: { type: String, required: true },
    state: { type: String, enum: SECTION_STATES, default: 'not_started' },
    body: { type: String, default: '' }, // sanitised HTML, for plain sections
    examples: { type: [exampleSchema], default: [] },
    /** Short values the framework asks for beside the text (a nominated assessor), by field id. */
    fields: { type: [{ _id: false, id: { type: String, required: true }, value: { type: String, default: '' } }], default: undefined },
    /** The framework's dimensions this section evidences as a whole (examples carry their own). */
    dimensions: { type: [String], default: undefined },
    version: { type: Number, default: 0 },
    bodyVersion: { type: Number, default: 0 }, // rises on every change to `body` alone
    // When the candidate first changed the section after a mentor found that it meets the criterion.
    approvedChangedAt: { type: Date, default: null },
    updatedBy: { type: String, default: null },
    // What the overview shows, kept by every save in the same update (see section-summary.ts).
    // No default: sections saved before it existed have none, and the overview computes it for them.
    summary: {
      type: new Schema(
        {
          bodyWords: Number,
          bodyStamp: Number, // version + 1 when bodyWords was computed
          exampleWords: Number,
          exampleCount: Number,
          examplesStamp: Number, // version + 1 when the example figures were computed
        },
        { _id: false },
      ),
      default: undefined,
    },
    // The revision recent saves coalesce into (see revisions.ts); null = the next save starts a new one.
    openRevision: {
      // version/savedAt: when its content (the section's own, while open) was last saved
      type: new Schema({ id: Schema.Types.ObjectId, byUser: String, writer: String, startedAt: Date, version: Number, savedAt: Date }, { _id: false }),
      default: null,
    },
  },
  { timestamps: true },
);
sectionSchema.index({ portfolio: 1, areaId: 1 }, { unique: true });

/** A snapshot of a section's content; saves by one person within a few minutes share one revision. */
const sectionRevisionSchema = new Schema(
  {
    section: { type: Schema.Types.ObjectId, ref: 'Section', required: true },
    version: { type: Number, required: true },
    snapshot: {
      body: { type: String, default: '' },
      examples: { type: [exampleSchema], default: [] },
    },
    byUser: { type: String, required: true },
    restoredFrom: { type: Number, default: null },
  },
  { timestamps: true },
);
sectionRevisionSchema.index({ section: 1, version: 1 }, { unique: true });

/** Plain (lean) shapes that services and presenters work with. */
export interface MigrationRecord {
  from: number;
  to: number;
  at: Date;
  notice?: string;
  moved: string[];
  seen: boolean;
}
export type PortfolioDoc = Omit<InferSchemaType<typeof portfolioSchema>, 'areaNames' | 'migrations'> & {
  _id: Types.ObjectId;
  areaNames?: Array<{ areaId: string; name: string }> | null;
  migrations?: MigrationRecord[] | null;
  createdAt: Date;
  updatedAt: Date;
};

export interface ExampleDoc {
  _id: Types.ObjectId;
  title: string;
  tags: { role: string; project: string; year: string };
  description: string;
  reflection: string;
  evidenceIds: Types.ObjectId[];
  version?: number;
  dimensions?: string[] | null;
}

export interface SectionDoc {
  _id: Types.ObjectId;
  portfolio: Types.ObjectId;
  areaId: string;
  state: SectionState;
  body: string;
  examples: ExampleDoc[];
  fields?: Array<{ id: string; value: string }> | null;
  dimensions?: string[] | null;
  version: number;
  bodyVersion?: number;
  approvedChangedAt?: Date | null;
  updatedBy: string | null;
  openRevision: { id: Types.ObjectId; byUser: string; writer?: string | null; startedAt: Date; version?: number; savedAt?: Date } | null;
  summary?: SectionSummaryDoc | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Figures kept with a section for the overview; each half is trusted only when its stamp is version + 1. */
export interface SectionSummaryDoc {
  bodyWords?: number;
  bodyStamp?: number;
  exampleWords?: number;
  exampleCount?: number;
  examplesStamp?: number;
}

export interface SectionRevisionDoc {
  _id: Types.ObjectId;
  section: Types.ObjectId;
  version: number;
  snapshot: { body: string; examples: ExampleDoc[] };
  byUser: string;
  restoredFrom: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export const Portfolio = mongoose.model('Portfolio', portfolioSchema);
export const Section = mongoose.model('Section', sectionSchema);
export const SectionRevision = mongoose.model('SectionRevision', sectionRevisionSchema);
