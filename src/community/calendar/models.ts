import { modelOnce } from '../../db/model';
import { Schema, Types, type Model } from 'mongoose';

export const SESSION_KINDS = ['skill-share', 'writing-retreat', 'study-group', 'other'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** A session a member proposes to the set (a skill-share, a writing retreat...): times are instants (UTC). */
export interface SessionDoc {
  _id: Types.ObjectId;
  courseId: string;
  proposedBy: string;
  proposedByName: string;
  kind: SessionKind;
  title: string;
  description: string;
  location: string;
  startsAt: Date;
  endsAt: Date;
  cancelledAt: Date | null;
  createdAt: Date;
}
const sessionSchema = new Schema<SessionDoc>(
  {
    courseId: { type: String, required: true },
    proposedBy: { type: String, required: true },
    proposedByName: { type: String, required: true },
    kind: { type: String, enum: SESSION_KINDS, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    location: { type: String, default: '' },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    cancelledAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'community_sessions' },
);
// A month of the calendar is one range read on this index.
sessionSchema.index({ courseId: 1, startsAt: 1, _id: 1 });
export const Session: Model<SessionDoc> = modelOnce<SessionDoc>('CommunitySession', sessionSchema);
