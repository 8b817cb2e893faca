import { modelOnce } from '../db/model';
import mongoose, { Model } from 'mongoose';

/** The course the next cohort runs in, named by the coordinator of this one: deferred people's portfolios move there. */
const nextCohortSchema = new mongoose.Schema(
  {
    courseId: { type: String, required: true },
    nextCourseId: { type: String, required: true },
    setBy: { type: String, required: true },
  },
  { timestamps: true },
);
nextCohortSchema.index({ courseId: 1 }, { unique: true });
nextCohortSchema.index({ nextCourseId: 1 });

/**
 * A deferred person's arrival in the next cohort's course, claimed once (unique on person and course left): the
 * place taken there and whether the portfolio moved, so two launches at once never take two places.
 */
const arrivalSchema = new mongoose.Schema({
  userId: { type: String, required: true },
  fromCourseId: { type: String, required: true },
  toCourseId: { type: String, required: true },
  state: { type: String, enum: ['moving', 'moved', 'kept'], default: 'moving' }, // kept: a portfolio was already there, so nothing was merged
  place: { type: String, enum: ['accepted', 'waiting', ''], default: '' },
  at: { type: Date, default: () => new Date() },
});
arrivalSchema.index({ userId: 1, fromCourseId: 1 }, { unique: true });

export interface NextCohortFields {
  courseId: string;
  nextCourseId: string;
  setBy: string;
  updatedAt: Date;
}
export interface ArrivalFields {
  userId: string;
  fromCourseId: string;
  toCourseId: string;
  state: 'moving' | 'moved' | 'kept';
  place: 'accepted' | 'waiting' | '';
  at: Date;
}

export const NextCohort: Model<NextCohortFields> =
  modelOnce<NextCohortFields>('SchemeNextCohort', nextCohortSchema);
export const Arrival: Model<ArrivalFields> =
  modelOnce<ArrivalFields>('SchemeArrival', arrivalSchema);
