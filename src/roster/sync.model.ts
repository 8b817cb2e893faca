import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** The roster sync job for one course: claimed with a lease, run daily and when a coordinator asks. */
export interface RosterSync {
  _id: Types.ObjectId;
  courseId: string;
  issuer: string;
  clientId: string;
  membershipsUrl: string;
  nextRunAt: Date;
  leaseOwner?: string | null;
  leaseUntil?: Date | null;
  attempts: number;
  lastRunAt?: Date | null;
  lastSuccessAt?: Date | null;
  lastError?: string | null;
  memberCount?: number;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<RosterSync>(
  {
    courseId: { type: String, required: true },
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    membershipsUrl: { type: String, required: true },
    nextRunAt: { type: Date, required: true },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    lastRunAt: { type: Date, default: null },
    lastSuccessAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    memberCount: Number,
  },
  { timestamps: true, collection: 'roster_syncs' },
);
schema.index({ courseId: 1 }, { unique: true });
schema.index({ nextRunAt: 1 });

export function rosterSyncModel(conn: Connection): Model<RosterSync> {
  return (conn.models.RosterSync as Model<RosterSync>) ?? conn.model<RosterSync>('RosterSync', schema);
}
