import { modelOnce } from '../db/model';
import mongoose, { InferSchemaType, Model } from 'mongoose';

/** A person as one platform knows them: (issuer, sub). Name, email and picture follow the latest launch. */
const userSchema = new mongoose.Schema(
  {
    issuer: { type: String, required: true },
    sub: { type: String, required: true },
    name: { type: String, default: '' },
    email: { type: String },
    picture: { type: String },
    lastLaunchAt: { type: Date },
  },
  { timestamps: true },
);
userSchema.index({ issuer: 1, sub: 1 }, { unique: true });

export type UserDoc = InferSchemaType<typeof userSchema>;
export const User: Model<UserDoc> = modelOnce<UserDoc>('User', userSchema);
