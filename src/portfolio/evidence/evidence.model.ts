import mongoose, { Schema, InferSchemaType, Types } from 'mongoose';

export const EVIDENCE_KINDS = ['file', 'link', 'note'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** The stored file behind a file-kind item; the bytes live in GridFS (bucket `evidenceFiles`). */
const storedFileSchema = new Schema(
  {
    fileId: { type: Schema.Types.ObjectId, required: true },
    filename: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
  },
  { _id: false },
);

/** One piece of evidence in a candidate's library: a file, a link or a short note. */
const evidenceSchema = new Schema(
  {
    courseId: { type: String, required: true },
    ownerId: { type: String, required: true },
    kind: { type: String, enum: EVIDENCE_KINDS, required: true },
    title: { type: String, required: true },
    date: { type: Date },
    description: { type: String, default: '' },
    tags: { type: [String], default: [] },
    url: { type: String },
    text: { type: String },
    file: { type: storedFileSchema },
  },
  { timestamps: true, collection: 'evidence' },
);

evidenceSchema.index({ courseId: 1, ownerId: 1, createdAt: -1 });
evidenceSchema.index({ ownerId: 1, kind: 1 }); // the storage quota is summed per person, across courses

export type EvidenceDoc = InferSchemaType<typeof evidenceSchema> & { _id: Types.ObjectId };

export const Evidence = mongoose.model('Evidence', evidenceSchema);
