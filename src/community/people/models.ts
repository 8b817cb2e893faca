import { modelOnce } from '../../db/model';
import { Schema, Types, type Model } from 'mongoose';

/**
 * A member's short profile in one course's learning set. One per person per course: the same person in two sets
 * may describe themselves differently, and neither set sees the other's.
 */
export interface ProfileDoc {
  _id: Types.ObjectId;
  courseId: string;
  userId: string;
  name: string;
  /** Lower-case name: the directory's order. */
  nameKey: string;
  role: string;
  site: string;
  /** Lower-case site: "who is at my site" is an equality on it. */
  siteKey: string;
  interests: string[];
  helpWith: string[];
  about: string;
  /** False until the person saves the form: the directory lists everyone, and says who has not written one. */
  written: boolean;
  updatedAt: Date;
}
const profileSchema = new Schema<ProfileDoc>(
  {
    courseId: { type: String, required: true },
    userId: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    role: { type: String, required: true },
    site: { type: String, default: '' },
    siteKey: { type: String, default: '' },
    interests: { type: [String], default: [] },
    helpWith: { type: [String], default: [] },
    about: { type: String, default: '' },
    written: { type: Boolean, default: false },
  },
  { timestamps: { createdAt: false, updatedAt: true }, collection: 'community_profiles' },
);
profileSchema.index({ courseId: 1, userId: 1 }, { unique: true });
profileSchema.index({ courseId: 1, nameKey: 1, _id: 1 });
profileSchema.index({ courseId: 1, interests: 1 });
profileSchema.index({ courseId: 1, helpWith: 1 });
profileSchema.index({ courseId: 1, siteKey: 1 });
export const Profile: Model<ProfileDoc> = modelOnce<ProfileDoc>('CommunityProfile', profileSchema);

export const INVITATION_STATES = ['sent', 'accepted', 'declined', 'withdrawn'] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

/** An invitation to connect: a message, and perhaps a suggested meeting (start and end, in UTC). */
export interface InvitationDoc {
  _id: Types.ObjectId;
  courseId: string;
  fromId: string;
  fromName: string;
  toId: string;
  toName: string;
  message: string;
  meetingStartsAt: Date | null;
  meetingEndsAt: Date | null;
  meetingPlace: string;
  state: InvitationState;
  createdAt: Date;
  updatedAt: Date;
}
const invitationSchema = new Schema<InvitationDoc>(
  {
    courseId: { type: String, required: true },
    fromId: { type: String, required: true },
    fromName: { type: String, required: true },
    toId: { type: String, required: true },
    toName: { type: String, required: true },
    message: { type: String, required: true },
    meetingStartsAt: { type: Date, default: null },
    meetingEndsAt: { type: Date, default: null },
    meetingPlace: { type: String, default: '' },
    state: { type: String, enum: INVITATION_STATES, default: 'sent' },
  },
  { timestamps: true, collection: 'community_invitations' },
);
invitationSchema.index({ courseId: 1, toId: 1, createdAt: -1 });
invitationSchema.index({ courseId: 1, fromId: 1, createdAt: -1 });
export const Invitation: Model<InvitationDoc> = modelOnce<InvitationDoc>('CommunityInvitation', invitationSchema);
