import { modelOnce } from '../db/model';
import mongoose, { Model } from 'mongoose';

/**
 * A learning-set meeting and the personal calendar feeds that carry the meetings. Times are instants; the
 * institution's time zone is only for reading and writing them. `sequence` rises with every change so calendar
 * programs replace the copy they hold (RFC 5545 3.8.7.4).
 */
const meetingSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    title: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    place: { type: String, default: '' },
    onlineUrl: { type: String, default: '' },
    agenda: { type: String, default: '' },
    notes: { type: String, default: '' }, // notes and actions, shared with the set after the meeting
    cancelled: { type: Boolean, default: false },
    sequence: { type: Number, default: 0 },
    attended: { type: [String], default: [] }, // userIds the coordinator marked present
    reminderSentAt: { type: Date, default: null },
    groupId: { type: String, default: null }, // a mentor group's meeting (groups.model.ts); null = the whole set's
  },
  { timestamps: true },
);
meetingSchema.index({ courseId: 1, startsAt: 1 });
meetingSchema.index({ reminderSentAt: 1, startsAt: 1 });

/** One person's subscription address for one course. The secret is derived (HMAC of id and version), never stored. */
const feedSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    userId: { type: String, required: true },
    version: { type: Number, default: 1 }, // revoking bumps it, so every earlier address stops working
  },
  { timestamps: true },
);
feedSchema.index({ courseId: 1, userId: 1 }, { unique: true });

type Id = { _id: mongoose.Types.ObjectId };
export interface MeetingFields {
  courseId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  onlineUrl: string;
  agenda: string;
  notes: string;
  cancelled: boolean;
  sequence: number;
  attended: string[];
  reminderSentAt: Date | null;
  groupId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export interface CalendarFeedFields {
  courseId: string;
  userId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
export type MeetingDoc = MeetingFields & Id;
export type CalendarFeedDoc = CalendarFeedFields & Id;

export const Meeting: Model<MeetingFields> =
  modelOnce<MeetingFields>('SchemeMeeting', meetingSchema);
export const CalendarFeed: Model<CalendarFeedFields> =
  modelOnce<CalendarFeedFields>('SchemeCalendarFeed', feedSchema);
