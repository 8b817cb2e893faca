import { modelOnce } from '../db/model';
import mongoose, { Model } from 'mongoose';

/** A mentor group within the learning set: a mentor and some of the people with a place, with their own meetings. */
const groupSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    name: { type: String, required: true },
    mentorId: { type: String, required: true }, // a mentor of the course (userId)
    memberIds: { type: [String], default: [] }, // userIds of people with a place
  },
  { timestamps: true },
);
groupSchema.index({ courseId: 1, name: 1 });
groupSchema.index({ courseId: 1, memberIds: 1 });

export interface GroupFields {
  courseId: string;
  name: string;
  mentorId: string;
  memberIds: string[];
  createdAt: Date;
  updatedAt: Date;
}
export type GroupDoc = GroupFields & { _id: mongoose.Types.ObjectId };

export const MentorGroup: Model<GroupFields> =
  modelOnce<GroupFields>('SchemeMentorGroup', groupSchema);
