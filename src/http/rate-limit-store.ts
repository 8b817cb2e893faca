import { modelOnce } from '../db/model';
import mongoose, { type Model } from 'mongoose';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

/**
 * Rate-limit counters in MongoDB, so that every tool instance counts the same attempts (express-rate-limit's
 * own store counts in process memory). One document per key and window: `$inc` is atomic, and a TTL index
 * removes windows that have ended.
 */
interface RateLimitHitDoc {
  key: string;
  hits: number;
  resetAt: Date;
}

const hitSchema = new mongoose.Schema<RateLimitHitDoc>({
  key: { type: String, required: true },
  hits: { type: Number, required: true },
  resetAt: { type: Date, required: true },
});
hitSchema.index({ key: 1 }, { unique: true });
hitSchema.index({ resetAt: 1 }, { expireAfterSeconds: 0 });

export const RateLimitHit: Model<RateLimitHitDoc> =
  modelOnce<RateLimitHitDoc>('RateLimitHit', hitSchema);

export class MongoRateLimitStore implements Store {
  localKeys = false;
  private windowMs = 60_000;

  /** `clock`: tests move time past a window instead of waiting it out. */
  constructor(readonly prefix: string, private readonly clock: () => Date = () => new Date()) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const k = this.prefix + key;
    const now = this.clock();
    const counted = await RateLimitHit.findOneAndUpdate({ key: k, resetAt: { $gt: now } }, { $inc: { hits: 1 } }, { new: true }).lean();
    if (counted) return { totalHits: counted.hits, resetTime: counted.resetAt };
    // no window open for this key: open one (a concurrent opener wins the unique key; count against it)
    const fresh = { hits: 1, resetAt: new Date(now.getTime() + this.windowMs) };
    try {
      await RateLimitHit.updateOne({ key: k, resetAt: { $lte: now } }, { $set: fresh }, { upsert: true });
      return { totalHits: 1, resetTime: fresh.resetAt };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const other = await RateLimitHit.findOneAndUpdate({ key: k }, { $inc: { hits: 1 } }, { new: true }).lean();
      return { totalHits: other?.hits ?? 1, resetTime: other?.resetAt ?? fresh.resetAt };
    }
  }

  async decrement(key: string): Promise<void> {
    await RateLimitHit.updateOne({ key: this.prefix + key, resetAt: { $gt: this.clock() }, hits: { $gt: 0 } }, { $inc: { hits: -1 } });
  }

  async resetKey(key: string): Promise<void> {
    await RateLimitHit.deleteOne({ key: this.prefix + key });
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const doc = await RateLimitHit.findOne({ key: this.prefix + key, resetAt: { $gt: this.clock() } }).lean();
    return doc ? { totalHits: doc.hits, resetTime: doc.resetAt } : undefined;
  }
}
