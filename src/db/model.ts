import mongoose, { type Model, type Schema } from 'mongoose';

/**
 * A model registered once, however often its file is loaded: jest gives each test file a fresh module registry
 * over one mongoose, where a second `mongoose.model(name, schema)` would be refused (OverwriteModelError).
 */
export function modelOnce<T>(name: string, schema: Schema<T>): Model<T> {
  return (mongoose.models[name] as Model<T> | undefined) ?? mongoose.model<T>(name, schema);
}
