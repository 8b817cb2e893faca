/* Database commands counted through both copies of mongoose (ours and ltijs's own), as the ops tests count them. */
import path from 'node:path';
import mongoose from 'mongoose';

const ltijsMongoose = require(require.resolve('mongoose', { paths: [path.dirname(require.resolve('ltijs'))] })) as typeof mongoose;

/** Database commands sent by either copy of mongoose while `run` runs: ours and ltijs's. */
export async function countOps(run: () => Promise<unknown>): Promise<{ ours: number; ltijs: number }> {
  const n = { ours: 0, ltijs: 0 };
  mongoose.set('debug', () => void (n.ours += 1));
  ltijsMongoose.set('debug', () => void (n.ltijs += 1));
  try {
    await run();
  } finally {
    mongoose.set('debug', false);
    ltijsMongoose.set('debug', false);
  }
  return n;
}
