import { modelOnce } from '../db/model';
import mongoose, { InferSchemaType, Model } from 'mongoose';

/** A user's place in a course, as the latest launch described it. */
const membershipSchema = new mongoose.Schema(
  {
    user: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    course: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: true },
    ltiRoles: { type: [String], default: [] }, // the role URIs exactly as the platform sent them
    appRoles: { type: [String], default: [] }, // what they mapped to at that launch (identity recomputes)
    mentorScope: { type: [String] }, // role_scope_mentor subs; absent = not limited
    lastLaunchAt: { type: Date },
    /** In a teachersByPerson course: coordinator or mentor, and why (see roles.ts withStaffChoice). */
    staffRole: { type: String, enum: ['coordinator', 'mentor', null], default: null },
    staffRoleBy: { type: String, enum: ['first-teacher', 'added-the-tool', 'coordinator', 'default', null], default: null },
  },
  { timestamps: true },
);
membershipSchema.index({ user: 1, course: 1 }, { unique: true });
membershipSchema.index({ course: 1, appRoles: 1 });
// The course's most recently changed memberships, newest first (the course's people, src/roster/people-cache.service.ts).
membershipSchema.index({ course: 1, updatedAt: -1 });

export type MembershipDoc = InferSchemaType<typeof membershipSchema>;
export const Membership: Model<MembershipDoc> =
  modelOnce<MembershipDoc>('Membership', membershipSchema);
