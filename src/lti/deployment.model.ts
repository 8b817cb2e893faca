import { modelOnce } from '../db/model';
import mongoose, { InferSchemaType, Model } from 'mongoose';

/**
 * A deployment of the tool on a platform: (issuer, client id, deployment id). ltijs knows platforms
 * but not deployments, so launches are only accepted from deployments stored here and active.
 */
const deploymentSchema = new mongoose.Schema(
  {
    platformUrl: { type: String, required: true }, // the platform's issuer
    clientId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    active: { type: Boolean, required: true, default: false },
    label: { type: String, default: '' },
  },
  { timestamps: true },
);
deploymentSchema.index({ platformUrl: 1, clientId: 1, deploymentId: 1 }, { unique: true });

export type DeploymentDoc = InferSchemaType<typeof deploymentSchema>;
export const Deployment: Model<DeploymentDoc> =
  modelOnce<DeploymentDoc>('Deployment', deploymentSchema);
