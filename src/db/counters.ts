import mongoose, { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors.ts';

const counterSchema = new Schema({ _id: { type: String, required: true }, value: { type: Number, default: 0 } }, { versionKey: false });

export const Counter = mongoose.model('Counter', counterSchema);

/**
 * Atomically adds `by` to a named counter and returns the new value. One `$inc` command, so
 * parallel callers never lose an increment (this needs the embedded engine's write fix).
 */
export async function incrementCounter(name: string, by = 1): Promise<number> {
  const update = () => Counter.findOneAndUpdate({ _id: name }, { $inc: { value: by } }, { upsert: true, returnDocument: 'after' }).lean();
  try {
    return (await update())?.value ?? by;
  } catch (error) {
    // Two first-time upserts can race to insert; the loser retries as a plain increment.
    if (!isDuplicateKeyError(error)) throw error;
    return (await update())?.value ?? by;
  }
}

/** A counter's value as a key that sorts as the numbers do, and a string, which the embedded engine finds by its `_id` index. */
export const sequenceKey = (seq: number) => String(seq).padStart(15, '0');
