import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

export const CV_SOURCES = ['pasted', 'txt', 'docx', 'pdf'] as const;

/** One idea for one area: what the candidate did, what they learned, how they could prove it. */
const planningNoteSchema = new Schema(
  {
    areaId: { type: String, required: true },
    title: { type: String, default: '' },
    did: { type: String, default: '' },
    learned: { type: String, default: '' },
    proof: { type: String, default: '' },
    draftingSince: { type: Date, default: null }, // claimed while an example is being drafted, so a double click drafts once
    draftedExampleId: { type: String, default: null },
    draftedEvidenceId: { type: String, default: null },
    draftedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

/** A candidate's planning against their CV, one per candidate per course. */
const planSchema = new Schema(
  {
    courseId: { type: String, required: true },
    ownerId: { type: String, required: true },
    cvText: { type: String, default: '' },
    cvSource: { type: String, enum: CV_SOURCES, default: 'pasted' },
    cvFilename: { type: String, default: '' },
    cvUpdatedAt: { type: Date, default: null },
    notes: { type: [planningNoteSchema], default: [] },
  },
  { timestamps: true, collection: 'plans' },
);
planSchema.index({ courseId: 1, ownerId: 1 }, { unique: true });

export type PlanningNoteDoc = InferSchemaType<typeof planningNoteSchema> & { _id: Types.ObjectId };
export type PlanDoc = Omit<InferSchemaType<typeof planSchema>, 'notes'> & { _id: Types.ObjectId; notes: PlanningNoteDoc[] };

export const Plan = mongoose.model('Plan', planSchema);
