import { modelOnce } from '../db/model';
import mongoose, { InferSchemaType, Model } from 'mongoose';

/** A VLE course the tool was launched from: (issuer, deployment id, context id). */
const courseSchema = new mongoose.Schema(
  {
    issuer: { type: String, required: true },
    deploymentId: { type: String, required: true },
    contextId: { type: String, required: true },
    title: { type: String, default: '' },
    label: { type: String, default: '' },
    pathway: { type: String }, // chosen when the tool is added to the course (deep linking)
    /** The VLE sends one role for editing and non-editing teachers: who is a coordinator is decided per person. */
    teachersByPerson: { type: Boolean, default: false },
    /** The teacher who became coordinator by opening the tool first (claimed atomically, once). */
    firstCoordinator: { type: mongoose.Schema.Types.ObjectId, ref: 'User', default: null },
    frameworkId: { type: String }, // likewise; none means the default framework
    /** The coordinator's length advice for this course, shown in place of the scheme's. */
    wordAdvice: { type: new mongoose.Schema({ min: Number, max: Number, note: String }, { _id: false }), default: undefined },
    /** Canonical LTI role keys launches in this course carried, for the coordinator's role page. */
    rolesSeen: { type: [String], default: [] },
    /** Coordinator's changes to the default role mapping: one entry per context-role key. */
    roleOverrides: {
      type: [{ _id: false, key: { type: String, required: true }, roles: { type: [String], default: [] } }],
      default: [],
    },
  },
  { timestamps: true },
);
courseSchema.index({ issuer: 1, deploymentId: 1, contextId: 1 }, { unique: true });

export type CourseDoc = InferSchemaType<typeof courseSchema>;
export const Course: Model<CourseDoc> =
  modelOnce<CourseDoc>('Course', courseSchema);
