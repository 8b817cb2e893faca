import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A person on the VLE course roster (NRPS), whether or not they have opened the tool. */
export interface RosterMember {
  _id: Types.ObjectId;
  courseId: string; // our Course _id
  issuer: string;
  sub: string; // NRPS user_id = the LTI sub
  name: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  roles: string[]; // role URIs as the VLE sent them
  status: 'active' | 'inactive' | 'left'; // left: no longer on the roster (or Deleted)
  lastSyncId: string; // the sync that last saw them
  leftAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<RosterMember>(
  {
    courseId: { type: String, required: true },
    issuer: { type: String, required: true },
    sub: { type: String, required: true },
    name: { type: String, default: '' },
    givenName: String,
    familyName: String,
    email: String,
    roles: { type: [String], default: [] },
    status: { type: String, enum: ['active', 'inactive', 'left'], required: true },
    lastSyncId: { type: String, required: true },
    leftAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'roster_members' },
);
schema.index({ courseId: 1, sub: 1 }, { unique: true });
// The course's most recently changed entries, newest first (people-cache.service.ts).
schema.index({ courseId: 1, updatedAt: -1 });

export function rosterMemberModel(conn: Connection): Model<RosterMember> {
  return (conn.models.RosterMember as Model<RosterMember>) ?? conn.model<RosterMember>('RosterMember', schema);
}
