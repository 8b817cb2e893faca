import { modelOnce } from '../../db/model';
import { Schema, Types, type Model } from 'mongoose';

/**
 * A portfolio section its candidate shares with the whole learning set: every member may read it and comment
 * (through mentoring's section page, as co-mentors do) until the candidate stops sharing (stoppedAt set).
 */
export interface SetShareDoc {
  _id: Types.ObjectId;
  courseId: string;
  ownerId: string;
  ownerName: string;
  sectionId: string;
  areaTitle: string;
  stoppedAt: Date | null;
  createdAt: Date;
}
const setShareSchema = new Schema<SetShareDoc>(
  {
    courseId: { type: String, required: true },
    ownerId: { type: String, required: true },
    ownerName: { type: String, required: true },
    sectionId: { type: String, required: true },
    areaTitle: { type: String, required: true },
    stoppedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'community_set_shares' },
);
setShareSchema.index({ courseId: 1, stoppedAt: 1, createdAt: -1, _id: -1 });
setShareSchema.index({ sectionId: 1, stoppedAt: 1 });
export const SetShare: Model<SetShareDoc> = modelOnce<SetShareDoc>('CommunitySetShare', setShareSchema);
