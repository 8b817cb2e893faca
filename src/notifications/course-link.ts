import { modelOnce } from '../db/model';
import { Model, Schema, Types } from 'mongoose';

/** Where a course's launches return to in the VLE: emails link back through it, never with a session token. */
export interface CourseLinkDoc {
  _id: Types.ObjectId;
  courseId: string;
  returnUrl: string;
}
const courseLinkSchema = new Schema<CourseLinkDoc>(
  { courseId: { type: String, required: true }, returnUrl: { type: String, required: true } },
  { timestamps: true },
);
courseLinkSchema.index({ courseId: 1 }, { unique: true });
export const CourseLink: Model<CourseLinkDoc> =
  modelOnce<CourseLinkDoc>('CourseLink', courseLinkSchema);

const httpUrl = (v: unknown): string | undefined => {
  if (typeof v !== 'string') return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
};

/** An afterLaunch hook: keep the course's `launch_presentation.return_url` (the VLE page the tool sits on). */
export function courseLinkAfterLaunch() {
  return async (facts: { issuer: string; returnUrl?: string }, recorded: { courseId: string }): Promise<void> => {
    const url = httpUrl(facts.returnUrl);
    if (!url) return;
    await CourseLink.updateOne({ courseId: recorded.courseId }, { $set: { returnUrl: url } }, { upsert: true });
  };
}

export async function returnUrlOf(courseId: string): Promise<string | undefined> {
  return (await CourseLink.findOne({ courseId }).lean())?.returnUrl;
}
