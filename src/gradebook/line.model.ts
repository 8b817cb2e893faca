import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** Where a course's progress goes in the VLE: one AGS line item per course and resource link. */
export interface GradebookLine {
  _id: Types.ObjectId;
  courseId: string;
  resourceLinkId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  lineItemsUrl?: string;
  lineItemUrl?: string; // known once the claim, deep linking, a lookup or our creation gives it
  scoreMaximum?: number; // unknown until the line item has been read or created
  scopes: string[];
  source: 'claim' | 'found' | 'created' | 'pending'; // deep-linked items arrive as the claim
  resolvingBy?: string | null; // a worker finding or creating the line item holds this short lease
  resolvingUntil?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<GradebookLine>(
  {
    courseId: { type: String, required: true },
    resourceLinkId: { type: String, required: true },
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    lineItemsUrl: String,
    lineItemUrl: String,
    scoreMaximum: Number,
    scopes: { type: [String], default: [] },
    source: { type: String, required: true, default: 'pending' },
    resolvingBy: { type: String, default: null },
    resolvingUntil: { type: Date, default: null },
  },
  { timestamps: true, collection: 'gradebook_lines' },
);
// One line per course and resource link: the DB half of "never create duplicates".
schema.index({ courseId: 1, resourceLinkId: 1 }, { unique: true });

export function gradebookLineModel(conn: Connection): Model<GradebookLine> {
  return (conn.models.GradebookLine as Model<GradebookLine>) ?? conn.model<GradebookLine>('GradebookLine', schema);
}
