import mongoose, { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors.ts';

const leaseSchema = new Schema({ _id: { type: String, required: true }, holder: String, expiresAt: Date }, { versionKey: false });
export const Lease = mongoose.model('Lease', leaseSchema);

/**
 * Takes or renews a named lease for `ttlMs`. Of several app processes running the same job,
 * only the holder runs it; if the holder dies, another takes over once the lease expires.
 */
export async function acquireLease(name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  try {
    const lease = await Lease.findOneAndUpdate(
      { _id: name, $or: [{ holder }, { expiresAt: mongoose.trusted({ $lt: now }) }] },
      { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs) } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return lease?.holder === holder;
  } catch (error) {
    // Someone else holds it: the upsert's insert met their document.
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Gives a lease up at a clean stop, so another process (or this one restarted) takes it at once. */
export async function releaseLease(name: string, holder: string): Promise<void> {
  await Lease.updateOne({ _id: name, holder }, { $set: { expiresAt: new Date(0) } });
}
