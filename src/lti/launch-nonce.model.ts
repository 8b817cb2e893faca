import mongoose, { InferSchemaType, Model } from 'mongoose';

/**
 * The nonce the tool sent with each login redirect, keyed by its state. ltijs 5.9 never compares the
 * id_token's nonce with the one it sent; we do, and each entry is used once.
 */
const launchNonceSchema = new mongoose.Schema({
  state: { type: String, required: true },
  nonce: { type: String, required: true },
  issuer: { type: String, required: true },
  createdAt: { type: Date, default: Date.now, expires: 600 }, // a login left unfinished for 10 minutes is abandoned
});
launchNonceSchema.index({ state: 1 }, { unique: true });
launchNonceSchema.index({ nonce: 1 });

export type LaunchNonceDoc = InferSchemaType<typeof launchNonceSchema>;
export const LaunchNonce: Model<LaunchNonceDoc> =
  (mongoose.models.LaunchNonce as Model<LaunchNonceDoc>) ?? mongoose.model<LaunchNonceDoc>('LaunchNonce', launchNonceSchema);
